"""The agent image: built from resources/docker, checked by its labels.

An image is rebuilt only when its build context changes: the hash of the
Dockerfile, the extra CA certificates, the base image and the CLI version
is stored as a label and compared before any build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from desktop.containers.engine import APP_LABEL, Engine, translate
from desktop.containers.errors import ContainerFailed, EngineError, ImageMissing
from desktop.containers.workspace_container import AGENT_USER
from desktop.paths import resources_dir

DEFAULT_IMAGE = "aicode-agent:latest"
DEFAULT_BASE = "debian:bookworm-slim"
# The Claude Code release the image pins; recorded on every task.
CLAUDE_CODE_VERSION = "2.1.330"
# What the app expects of an image (user, paths, tools). Bump on change.
IMAGE_SCHEMA = "1"

SCHEMA_LABEL = "io.aicode.image-schema"
CLI_VERSION_LABEL = "io.aicode.claude-code-version"
CONTEXT_LABEL = "io.aicode.context-hash"

# Debian-like systems keep locally added CAs (corporate proxies) here; the
# fetch stage trusts them so npm works behind such a proxy.
_LOCAL_CA_DIRS = ("/usr/local/share/ca-certificates",)

Progress = Callable[[float | None, str], None]


@dataclass(frozen=True)
class ImageStatus:
    tag: str
    present: bool
    schema_ok: bool = False
    claude_code_version: str | None = None
    up_to_date: bool = False  # built from the current context
    context: str | None = None  # the hash of what it was built from (CONTEXT_LABEL)

    @property
    def usable(self) -> bool:
        return self.present and self.schema_ok


def extra_ca_certs() -> list[Path]:
    found: list[Path] = []
    extra = os.environ.get("AICODE_EXTRA_CA")
    if extra and Path(extra).is_file():
        found.append(Path(extra))
    for folder in _LOCAL_CA_DIRS:
        if os.path.isdir(folder):
            found.extend(sorted(Path(folder).rglob("*.crt")))
    return found


def context_hash(base: str, cli_version: str = CLAUDE_CODE_VERSION) -> str:
    digest = hashlib.sha256()
    digest.update(f"{base}\0{cli_version}\0{IMAGE_SCHEMA}\0".encode())
    digest.update((resources_dir() / "docker" / "Dockerfile").read_bytes())
    for cert in extra_ca_certs():
        digest.update(cert.read_bytes())
    return digest.hexdigest()[:32]


def status(engine: Engine, tag: str = DEFAULT_IMAGE, base: str | None = None) -> ImageStatus:
    import docker.errors

    try:
        image = engine.client.images.get(tag)
    except docker.errors.ImageNotFound:
        return ImageStatus(tag, present=False)
    labels = image.labels or {}
    current = base is not None and labels.get(CONTEXT_LABEL) == context_hash(base)
    return ImageStatus(
        tag,
        present=True,
        schema_ok=labels.get(SCHEMA_LABEL) == IMAGE_SCHEMA,
        claude_code_version=labels.get(CLI_VERSION_LABEL),
        up_to_date=current,
        context=labels.get(CONTEXT_LABEL),
    )


def require_usable(engine: Engine, tag: str) -> ImageStatus:
    found = status(engine, tag)
    if not found.present:
        raise ImageMissing(f"The agent image {tag} is not built", "run 'aicode image build' (or use Build in the app)")
    if not found.schema_ok:
        raise ImageMissing(
            f"The image {tag} is not an AICode agent image of schema {IMAGE_SCHEMA}",
            "rebuild it with 'aicode image build'",
        )
    return found


def run_in_image(engine: Engine, tag: str, argv: list[str]) -> bytes:
    """The output of ``argv`` run once in a throwaway container of the image.

    No network, no capabilities, as the agent user: what the image reports
    about itself (``claude --version``) without trusting it with anything.
    Raises ContainerFailed with the engine's words if it does not run.
    """
    import docker.errors

    try:
        output: bytes = engine.client.containers.run(
            tag, argv, remove=True, network_mode="none", cap_drop=["ALL"],
            security_opt=["no-new-privileges"], user=AGENT_USER,
        )
    except docker.errors.DockerException as error:
        # The engine's own text (exit status, stderr), which callers show as is.
        raise translate(error) or ContainerFailed(str(error)) from None
    except Exception as error:
        raise translate(error) or error from None
    return output


_STEP = re.compile(r"^Step (\d+)/(\d+)")


def build(
    engine: Engine,
    tag: str = DEFAULT_IMAGE,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    force: bool = False,
) -> ImageStatus:
    """Build the agent image unless an image of the same context exists."""
    report = progress or (lambda fraction, line: None)
    if not force:
        existing = status(engine, tag, base)
        if existing.usable and existing.up_to_date:
            report(1.0, f"{tag} is up to date (Claude Code {existing.claude_code_version})")
            return existing
    with tempfile.TemporaryDirectory(prefix="aicode-build-") as tmp:
        context = Path(tmp) / "context"
        shutil.copytree(resources_dir() / "docker", context)
        for i, cert in enumerate(extra_ca_certs()):
            shutil.copyfile(cert, context / "extra-ca" / f"extra-{i}.crt")
        _stream_build(engine, context, tag, base, report)
    built = status(engine, tag, base)
    if not built.usable:
        raise EngineError(f"The build of {tag} finished but the image is not usable", "see the build log")
    report(1.0, f"Built {tag} with Claude Code {built.claude_code_version}")
    return built


def _stream_build(engine: Engine, context: Path, tag: str, base: str, report: Progress) -> None:
    tail: list[str] = []
    stream = engine.api.build(
        path=str(context),
        tag=tag,
        buildargs={"BASE_IMAGE": base, "CLAUDE_CODE_VERSION": CLAUDE_CODE_VERSION},
        labels={CONTEXT_LABEL: context_hash(base), APP_LABEL: "1"},
        rm=True,
        forcerm=True,
        decode=True,
        pull=False,
    )
    for chunk in stream:
        if "error" in chunk:
            detail = "\n".join(tail[-8:])
            raise EngineError(
                f"Building the agent image failed: {chunk['error'].strip()}",
                f"check the base image '{base}' exists and the package registries are reachable\n{detail}",
            )
        for line in str(chunk.get("stream", "")).splitlines():
            line = line.rstrip()
            if not line:
                continue
            tail = (tail + [line])[-50:]
            step = _STEP.match(line)
            report(int(step[1]) / (int(step[2]) + 1) if step else None, line)


def transfer(source: Engine, target: Engine, tag: str, progress: Progress | None = None) -> ImageStatus:
    """Copy the image ``tag`` from ``source`` to ``target`` (``docker save |
    docker -H target load``), streamed: neither side holds it in memory."""
    import docker.errors

    report = progress or (lambda fraction, line: None)
    try:
        image = source.client.images.get(tag)
    except docker.errors.ImageNotFound:
        raise ImageMissing(f"The agent image {tag} is not on {source.label.removeprefix('The ')}",
                           "build it first ('aicode image build')") from None
    total = int(image.attrs.get("Size") or 0)
    where = target.label.removeprefix("The ")
    report(0.0 if total else None, f"Copying the agent image {tag} to {where}…")

    def counted(chunks: Any) -> Any:
        sent = 0
        shown = -1
        for chunk in chunks:
            sent += len(chunk)
            percent = min(99, sent * 100 // total) if total else -1
            if percent != shown:
                shown = percent
                report(percent / 100 if total else None, f"Copying the agent image to {where}: {sent >> 20} MB")
            yield chunk

    try:
        target.client.images.load(counted(image.save(chunk_size=1 << 20, named=True)))
    except docker.errors.DockerException as error:
        raise translate(error) or EngineError(f"The image could not be copied to {where} ({str(error)[:200]})") \
            from None
    except Exception as error:
        raise translate(error) or error from None
    copied = status(target, tag)
    if not copied.usable:
        raise EngineError(f"The image copied to {where} is not usable", "build it there with 'aicode image build'")
    report(1.0, f"Copied {tag} to {where}")
    return copied
