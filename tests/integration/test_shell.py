"""``aicode shell``: the workspace's container from the user's own terminal,
and a terminal that outlives the sweep around a task while the task's own
leftovers still do not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _workspace(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "add", "demo", "--path", str(make_project(tmp_path)), "--permission-mode", "bypassPermissions")


def test_a_command_runs_as_the_agent_in_the_working_copy_and_its_status_is_passed_on(cli: Cli,
                                                                                      tmp_path: Path) -> None:
    _workspace(cli, tmp_path)
    done = cli("shell", "demo", "--", "sh", "-c", "id -un; pwd; echo oops >&2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["agent", "/workspace"]
    assert done.stderr == "oops\n"
    assert cli("shell", "demo", "--", "sh", "-c", "exit 7").returncode == 7
    piped = cli("shell", "demo", "--", "tr", "a-z", "A-Z", input="through stdin\n")
    assert (piped.returncode, piped.stdout) == (0, "THROUGH STDIN\n")


def test_bad_requests_get_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    _workspace(cli, tmp_path)
    for args in (("shell", "nosuch", "--", "true"), ("shell", "--claude", "demo", "--", "true")):
        done = cli(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert done.stderr.startswith("aicode: ") and done.stderr.count("\n") == 1, done.stderr


def test_a_terminal_outlives_a_task_whose_own_leftovers_do_not(cli: Cli, fake_api: FakeAnthropic,
                                                                tmp_path: Path) -> None:
    _workspace(cli, tmp_path)
    terminal = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "shell", "demo", "--", "sh", "-c",
         "(sleep 600 &); echo started; read line; echo survived $line"],
        env=cli.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert terminal.stdout.readline() == "started\n"
        leftover = "nohup sh -c 'while :; do date > /workspace/leftover.txt; sleep 0.2; done' >/dev/null 2>&1 &"
        fake_api.script(Reply(text="Leaving.", tool_calls=(ToolCall("Bash", {"command": leftover}),)),
                        Reply(text="Done."), match="leave something")
        task = json.loads(cli.ok("task", "run", "demo", "leave something", "--json"))
        assert task["state"] == "succeeded", task["error"]
        # The task's daemon is gone: nothing in the container writes the file any more.
        look = cli("shell", "demo", "--", "sh", "-c", "ps -eo gid=,args= | grep -c '[w]hile :' || true")
        assert look.stdout.strip() == "0", look.stdout
        out, err = terminal.communicate("intact\n", timeout=60)
        assert (terminal.returncode, out) == (0, "survived intact\n"), err
    finally:
        if terminal.poll() is None:
            terminal.kill()
            terminal.wait()
    # Closing the terminal ended what it left running (its background sleep).
    left = cli("shell", "demo", "--", "sh", "-c", "ps -eo args= | grep -c '[s]leep 600' || true")
    assert left.stdout.strip() == "0", left.stdout


def test_on_a_tty_keys_size_and_status_pass_through(cli: Cli, tmp_path: Path) -> None:
    import fcntl
    import os
    import pty
    import struct
    import termios

    _workspace(cli, tmp_path)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    shell = subprocess.Popen([sys.executable, "-m", "desktop.cli", "shell", "demo"], env=cli.env,
                             stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen = bytearray()

    def until(text: bytes) -> None:
        while text not in seen:
            try:
                chunk = os.read(master, 4096)  # the test's time-out bounds a hang
            except OSError:  # EIO: the other end closed
                chunk = b""
            assert chunk, bytes(seen)
            seen.extend(chunk)

    try:
        until(b"agent@aicode:/workspace$ ")
        os.write(master, b"echo size=$(stty size)\r")
        until(b"size=30 100")
        # The window grows: the container's terminal follows.
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.kill(shell.pid, 28)  # SIGWINCH, as the terminal sends it on a resize
        os.write(master, b"for i in 1 2 3 4 5 6 7 8 9 10; do s=$(stty size); [ \"$s\" = '40 120' ] && break; "
                         b"sleep 0.2; done; echo now=$s\r")
        until(b"now=40 120")
        os.write(master, b"exit 5\r")
        assert shell.wait(timeout=60) == 5
    finally:
        if shell.poll() is None:
            shell.kill()
            shell.wait()
        os.close(master)
