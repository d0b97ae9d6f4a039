"""The user's Docker contexts (``docker context ls``), read for import.

Read from the files the docker CLI writes rather than through docker-py,
whose reader looks in a relative "contexts" folder when ~/.docker has no
config.json (a machine that only ever ran ``docker context create``)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

_META_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class DockerContext:
    name: str
    host: str  # the docker endpoint's URL, "" if it has none
    ca: str | None = None
    cert: str | None = None
    key: str | None = None


def config_folder() -> Path:
    return Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")


def docker_contexts(folder: Path | None = None) -> list[DockerContext]:
    """Every context with a docker endpoint, by name; a context whose files
    cannot be read as Docker writes them raises ValueError naming it."""
    contexts_dir = (folder or config_folder()) / "contexts"
    found = []
    meta_dir = contexts_dir / "meta"
    for meta in sorted(meta_dir.glob("*/meta.json")) if meta_dir.is_dir() else ():
        try:
            if meta.stat().st_size > _META_MAX_BYTES:
                raise ValueError("too large")
            data = json.loads(meta.read_text(encoding="utf-8"))
            name = str(data["Name"])
            endpoint = data.get("Endpoints", {}).get("docker") or {}
            host = str(endpoint.get("Host") or "")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{meta} is not a Docker context's metadata ({error})") from None
        tls = contexts_dir / "tls" / hashlib.sha256(name.encode()).hexdigest() / "docker"
        ca, cert, key = (str(tls / f) if (tls / f).is_file() else None for f in ("ca.pem", "cert.pem", "key.pem"))
        found.append(DockerContext(name, host, ca, cert, key))
    return found
