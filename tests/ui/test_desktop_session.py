"""The tray and desktop notifications on a real (virtual) desktop.

Each test starts its own Xvfb, private session bus with gnome-keyring and,
as the case needs, trayer (a real system tray) and dunst (a real notification
server, printing what it receives), then runs the app in a child process on
that display (``desktop_child``) against the real engine and claude and the
fake API. If any piece cannot start, the test fails with its output.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.conftest import TEST_KEY
from tests.ui.desktop_session import Desktop, DesktopError, desktop
from tests.ui.real import make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = "desk-project"


@dataclass
class Child:
    proc: subprocess.Popen[str]
    lines: queue.Queue[dict | None]
    seen: list[dict]

    def next(self, event: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"the app never said {event!r}; it said {self.seen}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the app exited ({self.proc.poll()}) before {event!r}; it said {self.seen}\n"
                                     f"{self.stderr()}")
            self.seen.append(line)
            if line["event"] == "error":
                raise AssertionError(f"the app failed: {line['message']}\n{self.stderr()}")
            if line["event"] == event:
                return line

    def stderr(self) -> str:
        if self.proc.stderr is None or self.proc.stderr.closed or self.proc.poll() is None:
            return ""
        return self.proc.stderr.read()


def _desktop(tray: bool, notifications: bool) -> Iterator[Desktop]:
    try:
        with desktop(tray=tray, notifications=notifications) as session:
            yield session
    except DesktopError as error:
        pytest.fail(f"the test desktop did not start: {error}", pytrace=False)
    left = sorted(name for name, alive in session.left_behind.items() if alive)
    if left:
        pytest.fail(f"processes left behind: {', '.join(left)}", pytrace=False)


@pytest.fixture
def full_desktop() -> Iterator[Desktop]:
    """Xvfb, trayer (a system tray), dunst (a notification server), gnome-keyring."""
    yield from _desktop(tray=True, notifications=True)


@pytest.fixture
def tray_desktop() -> Iterator[Desktop]:
    """Xvfb, trayer and gnome-keyring: a tray but no notification server."""
    yield from _desktop(tray=True, notifications=False)


@pytest.fixture
def bare_desktop() -> Iterator[Desktop]:
    """Xvfb and gnome-keyring: neither a tray nor a notification server."""
    yield from _desktop(tray=False, notifications=False)


@pytest.fixture
def scripted(fake_api: FakeAnthropic) -> FakeAnthropic:
    fake_api.script(Reply(text="Hello from the agent."), match="say hello")
    fake_api.script(Reply(status=529), match="overload me", after_end=Reply(status=529))
    fake_api.script(Reply(text="Once upon a time " * 200, chunks=800, delay=0.05), match="slow story")
    return fake_api


@contextmanager
def run_app(session: Desktop, fake_api: FakeAnthropic, home: Path, folder: Path, click: bool,
            quit_running: bool = False, needs_input: bool = False) -> Iterator[Child]:
    env = session.env | {
        "AICODE_HOME": str(home),
        "AICODE_ANTHROPIC_BASE_URL": fake_api.base_url,
        "PYTHONPATH": str(ROOT),
    }
    argv = [sys.executable, "-m", "tests.ui.desktop_child", "--folder", str(folder), "--workspace", WORKSPACE,
            "--key", TEST_KEY, *(["--click"] if click else []), *(["--quit-running"] if quit_running else []),
            *(["--needs-input"] if needs_input else [])]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[dict | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            try:
                lines.put(json.loads(raw))
            except json.JSONDecodeError:
                pass  # not ours
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    child = Child(proc, lines, [])
    try:
        yield child
        assert proc.wait(timeout=60) == 0, child.stderr()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        _remove_leftovers(home)


def _remove_leftovers(home: Path) -> None:
    """If the app died before removing its workspace, remove it (and its container) here."""
    if not (home / "aicode.sqlite3").exists():
        return
    from desktop.services.app import App
    from desktop.services.context import AppContext

    app = App(AppContext())  # AICODE_HOME is this test's (the aicode_home fixture)
    try:
        for ws in app.workspaces.list():
            app.workspaces.remove(ws.id)
    finally:
        app.close()


def test_tray_and_desktop_notifications(full_desktop: Desktop, scripted: FakeAnthropic, agent_image: str,
                                        aicode_home: Path, tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    with run_app(full_desktop, scripted, aicode_home, folder, click=True) as app:
        started = app.next("started")
        assert started["platform"] == "xcb"
        assert started["system_tray"] and started["tray_available"] and started["icon_visible"], started
        assert started["close_offers_tray"]
        assert app.next("elsewhere")["window_visible"] is False  # closed to the tray

        succeeded = app.next("notified")
        failed = app.next("notified")
        assert (succeeded["state"], failed["state"]) == ("succeeded", "failed")
        assert succeeded["route"] == failed["route"] == "desktop", app.seen

        # dunst received both: the workspace's name and the outcome in each.
        deadline = time.monotonic() + 10
        while len(full_desktop.notifications()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        shown = full_desktop.notifications()
        assert [n["summary"] for n in shown] == [f"Task succeeded in {WORKSPACE}",
                                                 f"Task failed in {WORKSPACE}"], full_desktop.logs()
        assert all(n["appname"] == "AICode Manager" for n in shown)
        assert shown[0]["body"].startswith("say hello") and shown[1]["body"].startswith("overload me")
        assert "529" in shown[1]["body"] and shown[1]["urgency"] == "CRITICAL"

        # Clicking the notification (dunst's default action) opens that task.
        app.next("waiting_for_click")
        full_desktop.click_notification()
        opened = app.next("opened")
        assert opened["task_id"] == failed["task_id"] and opened["window_visible"]


def test_a_task_that_needs_you_is_a_notification_of_its_own(full_desktop: Desktop, scripted: FakeAnthropic,
                                                             agent_image: str, aicode_home: Path,
                                                             tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    scripted.script(Reply(text="Writing them.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/notes.md",
                                                                                "content": "hello\n"}),)),
                    Reply(text="Finished."), match="write the notes")
    with run_app(full_desktop, scripted, aicode_home, folder, click=True, needs_input=True) as app:
        app.next("started")
        app.next("elsewhere")
        finished, asking = app.next("notified"), app.next("notified")
        assert (finished["kind"], asking["kind"]) == ("finished", "needs_input"), app.seen
        assert finished["route"] == asking["route"] == "desktop"
        assert asking["state"] == "needs_input" and asking["asks"] == "allow Write? /workspace/notes.md"
        assert asking["tooltip"].endswith("1 needs you") and asking["title_bar"] == "AICode Manager — 1 needs you"

        # dunst got both, and they differ: summary, category, urgency, and the "needs you" one stays.
        deadline = time.monotonic() + 10
        while len(full_desktop.notifications()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        done, needs = full_desktop.notifications()
        assert done["summary"] == f"Task succeeded in {WORKSPACE}", full_desktop.logs()
        assert needs["summary"] == f"Task needs you in {WORKSPACE}: allow Write? /workspace/notes.md"
        assert needs["body"].startswith("write the notes")
        assert (done["category"], needs["category"]) == ("x-aicode.task.finished", "x-aicode.task.needs-input")
        assert (done["urgency"], needs["urgency"]) == ("NORMAL", "CRITICAL")
        assert (done["timeout"], needs["timeout"]) == ("10000", "0")
        assert needs["appname"] == "AICode Manager"

        # Its default action brings the window up on that task, waiting for the person.
        app.next("waiting_for_click")
        full_desktop.click_notification()
        opened = app.next("opened")
        assert opened["task_id"] == asking["task_id"] and opened["window_visible"] and opened["needs_input"]
        assert opened["chip"] == "Needs input"
        answered = app.next("answered")
        assert answered["succeeded"], app.seen
        assert answered["title_bar"] == "AICode Manager — 1 to review", answered  # notes.md waits for review


def test_a_tray_without_a_notification_server_shows_balloons(tray_desktop: Desktop, scripted: FakeAnthropic,
                                                             agent_image: str, aicode_home: Path, tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    with run_app(tray_desktop, scripted, aicode_home, folder, click=False) as app:
        started = app.next("started")
        assert started["tray_available"] and started["icon_visible"], started
        app.next("elsewhere")
        for state in ("succeeded", "failed"):
            notice = app.next("notified")
            assert notice["state"] == state and notice["route"] == "tray", app.seen
            assert notice["title"] == f"Task {state} in {WORKSPACE}" and notice["balloon"]
            assert "notification" in notice["detail"], notice  # why the desktop was not told
        app.next("banner")


def test_without_a_tray_or_notification_server_the_banner_tells(bare_desktop: Desktop, scripted: FakeAnthropic,
                                                                agent_image: str, aicode_home: Path,
                                                                tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    with run_app(bare_desktop, scripted, aicode_home, folder, click=False, quit_running=True) as app:
        started = app.next("started")
        assert started["platform"] == "xcb"
        assert not started["system_tray"] and not started["tray_available"] and not started["icon_visible"]
        assert not started["close_offers_tray"], "closing cannot hide the app without a tray"
        elsewhere = app.next("elsewhere")
        assert elsewhere["window_visible"] and not elsewhere["window_active"]

        for state in ("succeeded", "failed"):
            notice = app.next("notified")
            assert notice["state"] == state and notice["route"] == "banner", app.seen
            assert notice["title"] == f"Task {state} in {WORKSPACE}"
            assert "notification" in notice["detail"], notice  # why the desktop was not told
        banner = app.next("banner")
        assert banner["visible"] and f"Task failed in {WORKSPACE}" in banner["text"]

        # "Stop tasks and quit" with a task running: it ends cancelled, nothing is left running.
        app.next("quitting")
        left = app.next("after_quit")
        assert left["active"] == 0 and left["states"]["tell a slow story"] == "cancelled", left
    assert bare_desktop.notifications() == []
