"""Render the Engines page to docs/screenshots/engines-*.png.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_engines.py

As ``screenshots_egress.py`` does, from a real run: the real window over the
real Core, a private Secret Service (the audit log of the engines added), and
the real Docker engine of this machine, tested by the page as it opens. Two
engines are added: a tcp:// one with TLS client certificates (made here by
openssl) where nothing listens, and a unix:// one whose socket does not exist;
the page shows this machine's engine up with its load and agent image, and
why the other two do not answer. The page is drawn over the dimmed window,
in light and dark, with the title bar a window manager would draw. Removes
its workspaces and engines at the end.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import KEY  # noqa: E402 - beside this script
from shot_frames import SIZE, over  # noqa: E402
from shot_session import Shooter, run_shots, until, wind_down  # noqa: E402

# Nothing listens on this port here; the connection is refused at once.
TLS_URL = "tcp://127.0.0.1:2376"
# A Colima socket of the demo user's that was never started.
SOCKET_URL = "unix:///home/ada/.colima/default/docker.sock"


def tls_files(folder: Path) -> tuple[str, str, str]:
    """A self-signed certificate as CA and client certificate, and its key."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, cert, key = (str(folder / n) for n in ("ca.pem", "cert.pem", "key.pem"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=aicode-demo", "-days", "1", "-keyout", key, "-out", cert], check=True,
                   capture_output=True, timeout=60)
    Path(ca).write_bytes(Path(cert).read_bytes())
    return ca, cert, key


async def shoot(app: QApplication, folders: dict[str, Path]) -> None:
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    await aio.run_blocking(core.set_secret, "anthropic-api-key", KEY)
    w = MainWindow()
    w.resize(SIZE[0], SIZE[1] - 30)  # and a title bar: 1280x800
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    w.show()
    binding.start()
    added: list[str] = []
    try:
        for name in ("billing-api", "release-tools"):
            spec = WorkspaceSpec(name=name, path=str(folders[name]), permission_mode="bypassPermissions")
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("two workspaces", lambda: w.sidebar.model.rowCount() == 2)
        files = tls_files(folders["billing-api"].parent / ".docker" / "gpu-box")
        await aio.run_blocking(core.engines.add, "gpu-box", TLS_URL, *files)
        await aio.run_blocking(core.engines.add, "old-laptop", SOCKET_URL)
        added += ["gpu-box", "old-laptop"]
        w.actions.engines.trigger()
        page = binding.dialogs.engines
        assert page is not None
        names = ("local", *added)
        await until("every engine tested", lambda: all(
            n in page.cards and page.cards[n].health is not None and not page.cards[n].checking for n in names))
        await until("the page laid out", lambda: page.isVisible())
        await asyncio.sleep(0.5)
        await shots.both("engines", lambda: over(w, page, app))
    finally:
        for name in added:
            await aio.run_blocking(core.engines.remove, name)
        await wind_down(core, c, binding.dialogs, w)


def main() -> int:
    return run_shots(shoot, lambda _api: None)


if __name__ == "__main__":
    sys.exit(main())
