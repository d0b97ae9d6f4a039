"""How fast does the embedded terminal show a flood, and how long does the GUI stall?

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/terminal_throughput.py [--mb 20] [--runs 2]

A workspace's container prints a 20 MB coloured log (``cat`` of a file made
in the container first) into a terminal of the app: from the command's
Enter to the moment xterm.js has parsed the last byte. The baseline, in the
same page and the same run: the same bytes (as the pseudo-terminal sends
them, "\\r\\n" line ends) written straight into xterm.js from JavaScript.
The ratio is throughput through the app / direct (target >= 0.7). A 5 ms
heartbeat timer on the GUI thread records the longest gap meanwhile
(target < 100 ms). Needs Docker and the agent image; no keyring or API key.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.ui.terminal.web_engine import prepare_application  # noqa: E402

prepare_application()

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

RATIO_TARGET, STALL_TARGET_MS = 0.7, 100
MARKER = "BENCH-END-OF-LOG"
# A log line in eight colours, bold and dim, of varied length, to the size asked.
MAKE_LOG = r"""
my ($bytes) = @ARGV; my $n = 0; my $i = 0; open(my $f, ">", "/tmp/bench.log") or die;
my @words = qw(request handler cache retry upstream token session worker queue commit);
while ($n < $bytes) {
  my $c = 31 + $i % 7; my $w = join(" ", map { $words[($i * 7 + $_) % 10] } 0 .. ($i % 12));
  my $line = sprintf("\e[2m%06d\e[0m \e[1;%dm%-5s\e[0m \e[38;2;%d;%d;200m%s\e[0m %s\n",
                     $i, $c, (qw(INFO WARN DEBUG TRACE))[$i % 4], 80 + $i % 170, 200 - $i % 150, "svc", $w);
  print $f $line; $n += length $line; $i++;
}
"""


def wait(condition, timeout: float = 600.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the terminal did not finish in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def js(view, script: str):  # noqa: ANN001, ANN201
    box: list = []
    view.run_js(f"JSON.stringify({script})", box.append)
    wait(lambda: bool(box), 60)
    return json.loads(box[0]) if box[0] else None


def through_the_app(view, session, heartbeat) -> tuple[float, float]:  # noqa: ANN001
    """(seconds, longest stall ms) from Enter to xterm.js having parsed the marker."""
    seen = {"tail": "", "done": False}

    def watch(text: str) -> None:
        seen["tail"] = (seen["tail"] + text)[-200:]
        seen["done"] = seen["done"] or MARKER + "\r\n" in seen["tail"]

    session.output_ready.connect(watch)
    heartbeat.gaps.clear()
    heartbeat.start()
    start = time.perf_counter()
    session.write(f"cat /tmp/bench.log; echo {MARKER[:5]}''{MARKER[5:]}\r".encode())
    wait(lambda: seen["done"] and session._in_flight == 0)  # noqa: SLF001 - the page has parsed it all
    elapsed = time.perf_counter() - start
    heartbeat.stop()
    session.output_ready.disconnect(watch)
    return elapsed, max(heartbeat.gaps, default=0.0)


def direct(view, heartbeat) -> tuple[float, float]:  # noqa: ANN001
    """The same bytes written by the page itself, in batches of the app's size."""
    heartbeat.gaps.clear()
    heartbeat.start()
    view.run_js("window.benchDone = null; (async () => { const t = performance.now();"
                " for (const c of window.benchChunks) await aicode.write(c);"
                " window.benchDone = (performance.now() - t) / 1000; })()")
    result: list = []

    asked = [0.0]

    def poll() -> bool:
        if not result and time.monotonic() - asked[0] > 0.25:  # asking often would load the page itself
            asked[0] = time.monotonic()
            view.run_js("window.benchDone", lambda value: value and result.append(value))
        return bool(result)

    wait(poll)
    heartbeat.stop()
    return float(result[0]), max(heartbeat.gaps, default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    os.environ["AICODE_HOME"] = tempfile.mkdtemp(prefix="aicode-bench-home-")
    qapp = QApplication.instance() or QApplication([])

    from desktop.services.app import App
    from desktop.services.terminals import TerminalKind, TerminalSpec
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.look import theme
    from desktop.ui.terminal.session import BATCH_BYTES
    from desktop.ui.terminal.window import TerminalWindows
    from tests.ui.stall import Heartbeat

    theme.apply(qapp, theme.ThemeMode.LIGHT)
    folder = Path(tempfile.mkdtemp(prefix="aicode-bench-folder-"))
    (folder / "README.md").write_text("bench\n")
    app = App()
    ws = app.workspaces.add(WorkspaceSpec(name="bench", path=str(folder)))
    windows = TerminalWindows(app.terminals)
    try:
        maker = app.terminals.open(ws.id, TerminalSpec(TerminalKind.COMMAND, (
            "sh", "-c", 'perl -e "$0" "$1" && cat /tmp/bench.log', MAKE_LOG, str(int(args.mb * 1e6))), tty=False))
        log = b"".join(data for is_err, data in maker.frames() if not is_err)
        maker.close()
        lines = log.count(b"\n")
        print(f"log: {len(log) / 1e6:.1f} MB, {lines} lines", flush=True)
        window = windows.open(ws.id, ws.name)
        window.resize(1280, 800)
        view = window.views()[0]
        wait(lambda: view.session is not None and js(view, "window.aicode ? aicode.lines().join('') : ''"))
        session = view.session
        text = log.decode().replace("\n", "\r\n")
        view.run_js("window.benchChunks = []")
        for i in range(0, len(text), BATCH_BYTES):
            view.run_js(f"window.benchChunks.push({json.dumps(text[i:i + BATCH_BYTES])})")
        js(view, "window.benchChunks.length")
        heartbeat = Heartbeat()
        idle = Heartbeat()
        idle.start()
        wait(lambda: len(idle.gaps) > 100)
        idle.stop()
        print(f"idle event loop: longest gap {max(idle.gaps):.0f} ms", flush=True)
        for run in range(1, args.runs + 1):
            direct_s, direct_stall = direct(view, heartbeat)
            print(f"run {run}: direct {direct_s:.2f} s", flush=True)
            app_s, app_stall = through_the_app(view, session, heartbeat)
            mb = len(log) / 1e6
            ratio = direct_s / app_s
            print(f"run {run}: through the app {app_s:.2f} s ({mb / app_s:.1f} MB/s, longest stall {app_stall:.0f} ms); "
                  f"direct {direct_s:.2f} s ({mb / direct_s:.1f} MB/s, longest stall {direct_stall:.0f} ms); "
                  f"ratio {ratio:.2f} (target >= {RATIO_TARGET}), stall "
                  f"{'ok' if app_stall < STALL_TARGET_MS else 'OVER'} (target < {STALL_TARGET_MS} ms)")
    finally:
        windows.close_all()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the pages go before their profile
        app.workspaces.remove(ws.id)
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
