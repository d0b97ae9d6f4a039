"""Render the GUI's screens to docs/screenshots/*.png, in light and dark, from a real run.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py [--only approvals]

Nothing is hand-made: the real window over the real Core, with the Docker
engine, the real ``claude`` in the agent image, a private Secret Service and
the fake Anthropic API scripting the agent's turns. The agent's tools really
run in the workspace's container (the outputs shown are theirs). The first-run
dialog is shot before the API key is stored, the add-workspace dialog while a
workspace is added; then tasks run (one succeeds with tool calls, one fails,
one is cancelled, one still runs, one waits) and the main window, its
workspace details (live container stats), the review of the finished task's
change (three files, one a CI workflow) with the confirmation its flagged
file asks for and the three-way merge an edit of the person's that conflicts
leads to, the settings and the history are shot, each at 1280x800; the main
window also at 800x500 and 1024x640 (``main-WxH``, ``main-details-WxH``). Last, two
tasks that ask first: a Write waiting for approval (its card under the
transcript) and a plan waiting in plan mode. ``--only approvals`` shoots just
those two, in a run of their own. Dialogs
are drawn over the dimmed main window with the title bar a window manager
would add (Xvfb has none). Needs what the
tests need (``scripts/setup.sh test``); removes its workspaces at the end.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from shot_approvals import script_approvals, shoot_approvals, shoot_only_approvals  # noqa: E402
from shot_frames import SIZE, framed, over  # noqa: E402 - beside this script
from shot_session import OUT, Shooter, until, wind_down  # noqa: E402

KEY = "sk-ant-api03-SCREENSHOTS-" + "s" * 30

BUMP = """#!/bin/sh
# Usage: bump-version VERSION PART   (PART: major, minor or patch)
set -eu
version=$1
part=$2
core=${version%%-*}
major=${core%%.*}; rest=${core#*.}; minor=${rest%%.*}; patch=${rest#*.}
case $part in
  major) major=$((major + 1)); minor=0; patch=0 ;;
  minor) minor=$((minor + 1)); patch=0 ;;
  patch) patch=$((patch + 1)) ;;
  *) echo "unknown part: $part" >&2; exit 2 ;;
esac
echo "$major.$minor.$patch"
"""
TESTS = """#!/bin/sh
fail=0
check() {
  got=$(sh bin/bump-version "$1" "$2" 2>&1) || true
  if [ "$got" = "$3" ]; then echo "ok   $1 $2 -> $3"; else echo "FAIL $1 $2: expected $3, got: $got"; fail=1; fi
}
check 1.4.2 patch 1.4.3
check 1.4.2 minor 1.5.0
check 2.0.9 major 3.0.0
check v2.3.9 major v3.0.0
check v1.4.0-rc.2 major v2.0.0
if [ $fail = 0 ]; then echo "5 passed"; else echo "2 failed, 3 passed"; exit 1; fi
"""

WORKFLOW = """name: tests
on: [push, pull_request]
jobs:
  bump-version:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: sh tests/test_bump.sh
"""

SOAK = """#!/bin/sh
# Checksums release-sized archives for a while: the soak test of the packaging step.
end=$(( $(date +%s) + ${1:-60} )); rounds=0
while [ "$(date +%s)" -lt "$end" ]; do head -c 200000000 /dev/urandom | sha256sum >/dev/null; rounds=$((rounds + 1)); done
echo "$rounds archives checksummed"
"""


def make_projects(home: Path) -> dict[str, Path]:
    src = home / "src"
    tools = src / "release-tools"
    (tools / "bin").mkdir(parents=True)
    (tools / "tests").mkdir()
    (tools / "bin" / "bump-version").write_text(BUMP)
    (tools / "bin" / "publish").write_text("#!/bin/sh\nset -eu\ngit tag \"$1\"\ngit push origin \"$1\"\n")
    (tools / "tests" / "test_bump.sh").write_text(TESTS)
    (tools / "tests" / "soak.sh").write_text(SOAK)
    (tools / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n")
    (tools / "README.md").write_text("# release-tools\n\nScripts that version, tag and publish our releases.\n")
    folders = {"release-tools": tools}
    for name in ("billing-api", "data-pipeline", "web-frontend"):
        folders[name] = src / name
        folders[name].mkdir(parents=True)
        (folders[name] / "README.md").write_text(f"# {name}\n")
    web = folders["web-frontend"]
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=Ada", "-c", "user.email=ada@example.com",
                                                 "commit", "-qm", "Initial commit"]):
        subprocess.run(["git", "-C", str(web), *args], check=True, capture_output=True)
    return folders


def script_agent(api) -> None:  # noqa: ANN001 - tests.fakeapi.FakeAnthropic
    from tests.fakeapi import Reply, ToolCall

    usage = {"input_tokens": 6_400, "output_tokens": 380}
    tests = ToolCall("Bash", {"command": "sh tests/test_bump.sh", "description": "Run the version-bump tests"})
    api.script(
        Reply(text="I'll run the version-bump tests first to see what fails.", tool_calls=(tests,), **usage),
        Reply(text="Both versions with a leading `v` fail with *Illegal number*. Let me read the script.",
              tool_calls=(ToolCall("Read", {"file_path": "/workspace/bin/bump-version"}),), **usage),
        Reply(text=("The script splits `v2.3.9` at the dots, so the major part is `v2`, which shell "
                    "arithmetic cannot add one to. I'll strip the **`v` prefix** before splitting and put it "
                    "back after:\n\n"
                    "```sh\nprefix=\ncase $version in v*) prefix=v; version=${version#v} ;; esac\n```"),
              tool_calls=(ToolCall("Edit", {"file_path": "/workspace/bin/bump-version",
                                            "old_string": "core=${version%%-*}",
                                            "new_string": "prefix=\ncase $version in v*) prefix=v; "
                                                          "version=${version#v} ;; esac\ncore=${version%%-*}"}),
                          ToolCall("Edit", {"file_path": "/workspace/bin/bump-version",
                                            "old_string": 'echo "$major.$minor.$patch"',
                                            "new_string": 'echo "$prefix$major.$minor.$patch"'})), **usage),
        Reply(text="Running the tests again:", tool_calls=(tests,), **usage),
        Reply(tool_calls=(ToolCall("Bash", {"command": "printf -- '- bump-version keeps a leading v "
                                                       "(v2.3.9 -> v3.0.0)\\n' >> CHANGELOG.md && tail -n 1 CHANGELOG.md",
                                            "description": "Note the fix in the changelog"}),
                          ToolCall("Write", {"file_path": "/workspace/.github/workflows/tests.yml",
                                             "content": WORKFLOW})), **usage),
        Reply(text=("All **5 tests pass**. What changed:\n\n"
                    "- `bin/bump-version` keeps a leading `v`, so `v2.3.9` becomes `v3.0.0`\n"
                    "- `CHANGELOG.md` notes the fix under *Unreleased*\n"
                    "- `.github/workflows/tests.yml` runs the tests on every push\n\n"
                    "Versions without a prefix behave exactly as before."), **usage),
        match="Fix the failing version-bump tests")
    api.script(Reply(text="I'll add the flag.", tool_calls=(ToolCall("Write", {
        "file_path": "/workspace/bin/publish",
        "content": "#!/bin/sh\nset -eu\nrun=\nif [ \"${1:-}\" = --dry-run ]; then run=echo; shift; fi\n"
                   "$run git tag \"$1\"\n$run git push origin \"$1\"\n"}),), **usage),
        Reply(text="Done: `bin/publish --dry-run v1.2.0` prints the git commands instead of running them.", **usage),
        match="--dry-run")
    api.script(Reply(status=529), match="changelog generator", after_end=Reply(status=529))
    api.script(Reply(text="Releasing takes three steps. " * 60, chunks=600, delay=0.05), match="README section")
    api.script(Reply(text="First the packaging soak test.", tool_calls=(ToolCall("Bash", {
        "command": "sh tests/soak.sh 90", "description": "Soak-test the packaging step"}),), **usage),
        Reply(text="Tagging the candidate. " * 200, chunks=2000, delay=0.1), match="release candidate")
    api.script(Reply(text="Set up the dev server.", **usage), match="dev server")
    script_approvals(api)


async def shoot(app: QApplication, api, folders: dict[str, Path]) -> None:  # noqa: ANN001
    from desktop.domain import TaskState
    from desktop.domain.review import Selection
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.bridge.payloads import RunRequested, TaskRef
    from desktop.ui.dialogs.check_row import CheckState
    from desktop.ui.notify.tray import Tray
    from desktop.ui.transcript.rows import ResultRow, ToolRow
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    w = MainWindow()
    w.resize(*SIZE)
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    d = binding.dialogs
    w.show()
    binding.start()
    try:
        # First run: engine and image found, no API key yet; the key is typed in the dialog.
        await until("the first-run dialog", lambda: d.welcome is not None and d.welcome.isVisible())
        await until("the checks", lambda: d.welcome.engine.state is CheckState.OK
                    and d.welcome.image.state is CheckState.OK and d.welcome.key.state is CheckState.PROBLEM)
        await shots.both("welcome", lambda: over(w, d.welcome, app))
        d.welcome.key_field.edit.setText(KEY)
        d.welcome.key_field.save.click()
        await until("the key stored", lambda: d.welcome.summary.text() == "All set.")
        d.welcome.accept()

        # Workspaces: one through the dialog (shot), the others as a script would.
        for name in ("web-frontend", "billing-api", "release-tools"):
            # These run unattended; the approvals at the end ask per task, and
            # scripts/screenshots_talk.py shows a task that needs you.
            spec = WorkspaceSpec(name=name, permission_mode="bypassPermissions",
                                 **({"git_url": str(folders[name])} if name == "web-frontend"
                                    else {"path": str(folders[name])}))
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("three workspaces", lambda: w.sidebar.model.rowCount() == 3)
        w.actions.add_folder.trigger()
        await until("the add dialog", lambda: d.add is not None and d.add.isVisible())
        d.add.folder.setText("~/src/data-pipeline")
        d.add.advanced_toggle.setChecked(True)
        d.add.limits.env.add_row("TZ", "Europe/Berlin", edit=False)
        d.add.limits.env.add_row("NPM_TOKEN", "npm_3f9c2a7e51d04b8a", secret=True, edit=False)  # to the keyring
        await shots.both("add-workspace", lambda: over(w, d.add, app))
        d.add.add_button.click()
        await until("the workspace added", lambda: d.add is None or not d.add.isVisible())
        c.refresh_workspaces()
        await until("four workspaces", lambda: w.sidebar.model.rowCount() == 4)
        by_name = {ws.name: ws for ws in core.workspaces.list()}
        tools, web = by_name["release-tools"].id, by_name["web-frontend"].id

        async def run(workspace_id: str, prompt: str, end: TaskState | None = None) -> str:
            task = await aio.run_blocking(core.tasks.submit, workspace_id, prompt)
            if end is not None:
                await until(prompt, lambda: core.tasks.get(task.id).state is end)
            return task.id

        cancelled = await run(tools, "Write a README section about releasing")
        await until("the slow task running", lambda: core.tasks.get(cancelled).state is TaskState.RUNNING)
        await asyncio.sleep(1.5)
        await aio.run_blocking(core.tasks.cancel, cancelled)
        await until("the cancel", lambda: core.tasks.get(cancelled).state is TaskState.CANCELLED)
        await run(web, "Set up the dev server with hot reload", TaskState.SUCCEEDED)
        await run(tools, "Add a --dry-run flag to bin/publish", TaskState.SUCCEEDED)
        await run(tools, "Upgrade the changelog generator to the new template", TaskState.FAILED)
        showcase = await run(tools, "Fix the failing version-bump tests and explain the cause", TaskState.SUCCEEDED)
        w.sidebar.select(tools)
        c.submit(RunRequested(tools, "Tag the release candidate and draft the release notes"))
        await until("the running task", lambda: len(core.tasks.list(states=[TaskState.RUNNING])) == 1)
        queued = "Check every script with shellcheck and fix the warnings"
        c.submit(RunRequested(tools, queued))
        await until("the queued task shown", lambda: w.shown_task is not None and w.shown_task.prompt == queued)

        # The main window on the finished task, its last test run opened.
        binding.reveal_task(TaskRef(showcase))
        await until("the transcript", lambda: any(isinstance(r, ResultRow) for r in w.transcript.rows)
                    and w.transcript.idle() and w.review.changes is not None)
        w.transcript.flush_now()
        bash = [i for i, r in enumerate(w.transcript.rows) if isinstance(r, ToolRow) and r.name == "Bash"]
        w.transcript.toggle(bash[1])
        w.transcript.scroll_to_end()
        await asyncio.sleep(1.2)  # the list's "running for" ticks once
        w.banner.hide()  # the news of the tasks that ended meanwhile
        await shots.both("main", w.grab)

        # Workspace details: the container's live CPU and memory.
        w.details_dock.show()
        await until("stats", lambda: w.workspace_panel.charts_loaded and w.workspace_panel._charts.cpu.upper.count() >= 30,
                    timeout=60)
        await shots.both("main-details", w.grab)
        await shoot_sizes(w, shots)
        w.details_dock.hide()

        # The review: the change as a diff, the workflow flagged; Apply asks about it first.
        w.actions.focus_changes.trigger()
        await until("the diff", lambda: w.review.diff.isVisible())
        files = w.review.diff.file_list.files  # the changelog line left out, as a person would
        row = next(i for i in range(files.rowCount()) if files.file(i).path == "CHANGELOG.md")
        files.setData(files.index(row), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
        await shots.both("review", w.grab)
        w.review.apply_button.click()
        await until("the flags question", lambda: d.flags is not None and d.flags.isVisible())
        await shots.both("review-flags", lambda: over(w, d.flags, app))
        d.flags.reject()

        # Meanwhile the person edited the script's last line: Apply conflicts, and the three-way merge shows
        # it between git's markers (the workflow left out, as it was not confirmed). Nothing is written.
        script = folders["release-tools"] / "bin" / "bump-version"
        script.write_text(BUMP.replace('echo "$major.$minor.$patch"', "printf '%s\\n' \"$major.$minor.$patch\""))
        await until("the buttons back", w.review.apply_button.isEnabled)
        w.review.diff.set_selection(Selection(files=frozenset({"bin/bump-version", "CHANGELOG.md"})))
        w.review.apply_button.click()
        await until("the conflict", w.review.conflict.isVisible)
        w.review.conflict.merge_button.click()
        await until("the merge", lambda: d.merge is not None and bool(d.merge.listed))
        await shots.both("review-merge", lambda: over(w, d.merge, app))
        d.merge.reject()
        w.review.conflict.hide()
        script.write_text(BUMP)
        w.actions.focus_transcript.trigger()

        d.open_settings()
        await until("the settings", lambda: d.settings_dialog is not None
                    and "stored in" in d.settings_dialog.secrets.status.text())
        await shots.both("settings", lambda: over(w, d.settings_dialog, app))
        d.settings_dialog.reject()

        d.open_history()
        h = d.history
        h.resize(SIZE[0], SIZE[1] - 30)  # and a title bar: 1280x800
        await until("the history", lambda: h.model.rowCount() >= 7)
        row = next(i for i in range(h.model.rowCount()) if h.model.task(i).id == showcase)
        h.table.setCurrentIndex(h.model.index(row, 0))
        await until("its transcript", lambda: any(isinstance(r, ResultRow) for r in h.transcript.rows)
                    and h.transcript.idle())
        h.transcript.flush_now()
        await shots.both("history", lambda: framed(h, app))
        d.close_all()

        # What the agent asks: in billing-api, whose slot is free.
        await shoot_approvals(core, w, binding, shots, by_name["billing-api"].id)
    finally:
        await wind_down(core, c, d, w)


async def shoot_sizes(w, shots: Shooter) -> None:  # noqa: ANN001 - MainWindow
    """The main window at each size a laptop or a tiled desktop gives it, with and
    without the details: nothing overlaps, and in a narrow window the open details
    push the lists aside."""
    for width, height in ((800, 500), (1024, 640), SIZE):
        w.details_dock.hide()
        await asyncio.sleep(0.2)
        w.resize(width, height)
        await until(f"{width}x{height}", lambda: w.width() == width and w.height() == height, timeout=10)
        await shots.both(f"main-{width}x{height}", w.grab)
        w.details_dock.show()
        await until(f"{width}x{height} with details", lambda: w.details_dock.isVisible() and w.width() == width,
                    timeout=10)
        await shots.both(f"main-details-{width}x{height}", w.grab)


def main() -> int:
    demo = Path(tempfile.mkdtemp(prefix="aicode-shots-"))
    home = demo / "home" / "ada"
    home.mkdir(parents=True)
    os.environ.update(HOME=str(home), AICODE_HOME=str(demo / "aicode"))  # paths read ~/src/..., as at home
    folders = make_projects(home)

    import qasync

    from desktop.ui.bridge import aio
    from desktop.ui.look import icons, theme
    from tests.fakeapi import FakeAnthropic
    from tests.keyring_service import running_keyring_service

    app = QApplication(sys.argv[:1])
    app.setApplicationName("AICode Manager")
    app.setWindowIcon(icons.app_icon())
    theme.apply(app, theme.ThemeMode.LIGHT)
    OUT.mkdir(parents=True, exist_ok=True)
    with running_keyring_service(), FakeAnthropic() as api:
        os.environ["AICODE_ANTHROPIC_BASE_URL"] = api.base_url
        script_agent(api)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            only_approvals = sys.argv[1:] == ["--only", "approvals"]
            loop.run_until_complete(shoot_only_approvals(app, folders, KEY) if only_approvals else shoot(app, api, folders))
        aio.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
