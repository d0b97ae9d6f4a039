"""Docker engines, for both front ends: this machine's own ("local") and the
ones a person adds by URL (ssh://, tcp:// with TLS, unix://) or imports from
their Docker contexts; each with a connection test."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.engines import LOCAL, BadEngine, EngineSpec, TlsFiles, check_name, check_url
from desktop.services.context import AppContext
from desktop.services.errors import Conflict, EngineUnavailable, UserError, boundary

# A PEM file bigger than this is not a certificate or key.
_PEM_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class EngineEntry:
    name: str
    url: str  # "" for the local engine's platform default
    tls: bool
    workspaces: int  # how many live there

    @property
    def local(self) -> bool:
        return self.name == LOCAL


@dataclass(frozen=True)
class EngineReport:
    """A connection test's result; ``facts`` only when it answered."""

    name: str
    url: str
    ok: bool
    message: str  # "Docker 20.10.24 (API 1.41), linux/amd64" or what failed
    fix: str = ""
    version: str = ""
    os_arch: str = ""
    cpus: int = 0
    memory_bytes: int = 0
    free_disk_bytes: int | None = None
    running: int = 0
    reserved_memory_bytes: int = 0  # the running containers' memory limits, summed
    image_present: bool = False
    image_usable: bool = False
    # The engine's agent image was built from what this machine's was built
    # from (None: this machine's image could not be looked at to compare).
    image_current: bool | None = None
    workspaces: int = 0


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (context, why)


@boundary
class Engines:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def list(self) -> list[EngineEntry]:
        """The local engine first, then the added ones by name."""
        counts = self.ctx.db.engines.workspace_counts()
        local = EngineEntry(LOCAL, self.ctx.engine.url or "", False, counts.get(LOCAL, 0))
        return [local, *(EngineEntry(s.name, s.url, s.tls is not None, counts.get(s.name, 0))
                         for s in self.ctx.db.engines.list())]

    def get(self, name: str) -> EngineEntry:
        for entry in self.list():
            if entry.name == name.strip():
                return entry
        raise UserError(f"no engine called {name.strip()!r} (see 'aicode engine list')")

    def add(self, name: str, url: str, tls_ca: str | None = None, tls_cert: str | None = None,
            tls_key: str | None = None, tls_key_passphrase: str | None = None) -> EngineEntry:
        """Remember an engine; it is not connected to (``test`` does that). A
        TLS key's passphrase goes to the keyring, checked against the key first."""
        name = check_name(name)
        tls = _tls_files(tls_ca, tls_cert, tls_key, tls_key_passphrase)
        spec = self.ctx.db.engines.add(EngineSpec(name, check_url(url, tls), tls))
        if tls is not None and tls_key_passphrase:
            try:
                self.ctx.secrets.set_tls_passphrase(name, tls_key_passphrase)
            except BaseException:
                self.ctx.db.engines.remove(name)  # nothing half-added
                raise
        self.ctx.forget_engine(name)
        self.ctx.record("engine.add", name, spec.url)
        return self.get(name)

    def remove(self, name: str) -> None:
        """Forget an engine; refused while a workspace lives there."""
        name = name.strip()
        if name == LOCAL:
            raise UserError("the local engine cannot be removed")
        self.ctx.db.engines.get(name)  # NotFound first
        count = self.ctx.db.engines.workspace_counts().get(name, 0)
        if count:
            raise Conflict(f"{count} workspace(s) live on the engine {name!r}: move them to another engine "
                           f"('aicode workspace move WS --engine local') or remove them first")
        spec = self.ctx.db.engines.get(name)
        self.ctx.db.engines.remove(name)
        self.ctx.forget_engine(name)
        if spec.tls is not None and key_is_encrypted(spec.tls.key):
            from desktop.secrets import KeyringUnavailable

            try:
                self.ctx.secrets.delete_tls_passphrase(name)
            except KeyringUnavailable:
                pass  # nothing could be read from it either
        self.ctx.record("engine.remove", name)

    def test(self, name: str) -> EngineReport:
        """Connect and describe the engine: version, machine, free disk and
        whether the agent image is there and built as this machine's is."""
        from desktop.containers import engine_facts, images
        from desktop.containers.errors import EngineUnavailable as LowerUnavailable

        entry = self.get(name)
        engine = self.ctx.engine_named(entry.name)
        try:
            facts = engine_facts.gather(engine, self._image_tag())
        except LowerUnavailable as error:
            return EngineReport(entry.name, entry.url, False, error.message, error.fix, workspaces=entry.workspaces)
        current: bool | None = None
        if facts.image.present:
            if entry.local:
                current = True
            else:
                try:
                    mine = images.status(self.ctx.engine, facts.image.tag)
                    current = mine.present and mine.context is not None and mine.context == facts.image.context
                except LowerUnavailable:
                    current = None
        return EngineReport(
            name=entry.name, url=entry.url, ok=True,
            message=f"Docker {facts.version} (API {facts.api_version}), {facts.os}/{facts.arch}",
            version=facts.version, os_arch=f"{facts.os}/{facts.arch}", cpus=facts.cpus,
            memory_bytes=facts.memory_bytes, free_disk_bytes=facts.free_disk_bytes, running=facts.running,
            reserved_memory_bytes=facts.reserved_memory_bytes,
            image_present=facts.image.present, image_usable=facts.image.usable, image_current=current,
            workspaces=entry.workspaces,
        )

    def roomiest(self) -> str:
        """The engine a new workspace goes to when none is named: of those that
        answer and have the agent image (this machine's can always build it),
        the one with the most memory not promised to running containers."""
        return roomiest_of([self.test(entry.name) for entry in self.list()])

    def import_contexts(self, names: tuple[str, ...] = ()) -> ImportResult:
        """Add the engines of the user's Docker contexts (all but "default", or
        those named), with their TLS files where the context has them."""
        from desktop.containers.contexts import docker_contexts

        try:
            contexts = {c.name: c for c in docker_contexts()}
        except (OSError, ValueError) as error:
            raise UserError(f"the Docker contexts could not be read ({str(error)[:200]})") from None
        wanted = names or tuple(n for n in contexts if n != "default")
        added: list[str] = []
        skipped: list[tuple[str, str]] = []
        known = {e.name for e in self.list()}
        for context_name in wanted:
            context = contexts.get(context_name)
            if context is None:
                skipped.append((context_name, "no such Docker context"))
                continue
            name = context_name.lower()
            if name in known:
                skipped.append((context_name, f"an engine called {name!r} exists already"))
                continue
            try:
                self.add(name, context.host, context.ca, context.cert, context.key)
            except (UserError, BadEngine) as error:
                skipped.append((context_name, str(error)))
                continue
            added.append(name)
            known.add(name)
        return ImportResult(tuple(added), tuple(skipped))

    def engine_of(self, name: str) -> EngineEntry:
        """The entry for a workspace's engine; EngineUnavailable if it was removed."""
        try:
            return self.get(name)
        except UserError:
            raise EngineUnavailable(f"the engine {name!r} is not known here any more: "
                                    "add it again ('aicode engine add') or move the workspace") from None

    def _image_tag(self) -> str:
        from desktop.services.settings import load_settings

        return load_settings(self.ctx.db).default_image


def roomiest_of(reports: list[EngineReport]) -> str:
    """The engine with most memory not promised to running containers, of
    those that answered and have the image (the local one can build it);
    the first such on a tie, and the local engine when none qualifies."""
    best, room = LOCAL, -1
    for report in reports:
        if not report.ok or not (report.name == LOCAL or report.image_usable):
            continue
        free = report.memory_bytes - report.reserved_memory_bytes
        if free > room:
            best, room = report.name, free
    return best


def key_is_encrypted(path: str) -> bool:
    """Whether a PEM key needs a passphrase (PKCS#8 "ENCRYPTED" or an old-style "Proc-Type: 4,ENCRYPTED")."""
    try:
        with open(path, "rb") as key:
            return b"ENCRYPTED" in key.read(_PEM_MAX_BYTES)
    except OSError:
        return False


def _tls_files(ca: str | None, cert: str | None, key: str | None, passphrase: str | None = None) -> TlsFiles | None:
    given = [p for p in (ca, cert, key) if p]
    if not given:
        if passphrase:
            raise UserError("a passphrase is for a TLS key: give --tls-ca, --tls-cert and --tls-key too")
        return None
    if len(given) != 3:
        raise UserError("TLS needs all three files: --tls-ca, --tls-cert and --tls-key")
    ca_path, cert_path, key_path = (_pem_file(p, what) for p, what in
                                    ((ca, "CA certificate"), (cert, "client certificate"), (key, "client key")))
    if key_is_encrypted(key_path):
        if not passphrase:
            raise UserError(f"the client key {key_path} is protected by a passphrase: add --tls-key-passphrase "
                            "(it is asked for, or read from standard input, and kept in the keyring)")
        _check_passphrase(cert_path, key_path, passphrase)
    elif passphrase:
        raise UserError(f"the client key {key_path} has no passphrase: leave out --tls-key-passphrase")
    return TlsFiles(ca_path, cert_path, key_path)


def _check_passphrase(cert: str, key: str, passphrase: str) -> None:
    import ssl

    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(cert, key, password=passphrase)
    except ssl.SSLError:
        raise UserError(f"the passphrase does not open the client key {key} (or the key is not the "
                        "certificate's)") from None


def _pem_file(path: str | None, what: str) -> str:
    assert path is not None
    full = Path(os.path.expanduser(path)).resolve()
    try:
        size = full.stat().st_size
        head = full.read_bytes()[:_PEM_MAX_BYTES] if size <= _PEM_MAX_BYTES else b""
    except OSError as error:
        raise UserError(f"the {what} {full} cannot be read ({error.strerror or error})") from None
    if not full.is_file() or b"-----BEGIN " not in head:
        raise UserError(f"the {what} {full} is not a PEM file")
    return str(full)
