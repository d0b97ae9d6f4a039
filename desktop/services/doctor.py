"""Health checks of what a task needs: engine, image, claude, keyring, data."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.containers import images
from desktop.services.app import App
from desktop.services.errors import KeyringUnavailable


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(app: App) -> list[Check]:
    checks = [_database(app)]
    engine = app.engine_status()
    checks.append(Check("engine", engine.ok, engine.message, engine.fix))
    if engine.ok:
        checks.extend(_image(app))
    else:
        checks.append(Check("image", False, "not checked: no engine", "start the engine first"))
    checks.append(_keyring(app))
    return checks


def _database(app: App) -> Check:
    try:
        app.ctx.db.settings.all()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return Check("database", False, str(error), "check AICODE_HOME and the data folder's permissions")
    return Check("database", True, str(app.ctx.db.path))


def _image(app: App) -> list[Check]:

    tag = app.settings().default_image
    found = images.status(app.ctx.engine, tag)
    if not found.present:
        return [Check("image", False, f"{tag} is not built", "run 'aicode image build'")]
    if not found.schema_ok:
        return [Check("image", False, f"{tag} is of another schema", "run 'aicode image build --force'")]
    return [Check("image", True, tag), _claude(app, tag, found.claude_code_version)]


def _claude(app: App, tag: str, labelled: str | None) -> Check:
    """Runs the image's real `claude --version` (no network, no privileges)."""
    from desktop.agent.command import parse_version, version_argv

    try:
        output = images.run_in_image(app.ctx.engine, tag, version_argv())
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return Check("claude", False, f"claude does not run in {tag}: {error}", "rebuild: aicode image build --force")
    version = parse_version(output.decode(errors="replace"))
    if version != labelled:
        return Check("claude", False, f"claude reports {version}, the image label says {labelled}",
                     "rebuild: aicode image build --force")
    pinned = images.CLAUDE_CODE_VERSION
    if version != pinned:
        return Check("claude", False, f"Claude Code {version}; this app pins {pinned}", "run 'aicode image build'")
    return Check("claude", True, f"Claude Code {version}")


def _keyring(app: App) -> Check:
    try:
        status = app.secret_status()
    except KeyringUnavailable as error:
        from desktop.secrets.errors import FIX_HINT

        return Check("keyring", False, f"no usable keyring: {error.reason}", FIX_HINT)
    stored = [str(name) for name, present in status.secrets.items() if present]
    if not stored:
        return Check("keyring", False, f"{status.backend}: no API key stored",
                     "run 'aicode secret set anthropic-api-key' (reads the key from stdin)")
    return Check("keyring", True, f"{status.backend}: {', '.join(stored)} stored")
