"""``aicode shell``: the workspace's container in the user's own terminal.

It runs in the client's process, never in the warm service: it needs this
terminal. With a TTY on both ends the terminal is put in raw mode (every
key goes to the container, Ctrl+C too) and its size follows the window;
otherwise standard input, output and error are passed through as bytes.
The exit status is the command's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading

from desktop.cli.exits import CliError
from desktop.services.app import App
from desktop.services.terminals import Terminal, TerminalKind, TerminalSpec

READ_BYTES = 65536
# How often the exit status is asked for once the output has ended (the
# engine may report the process as running for a moment longer).
EXIT_POLLS = 100


def shell(args: argparse.Namespace) -> int:
    command = tuple(args.command)
    if command and args.claude:
        raise CliError("Give --claude or a command, not both")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    size = shutil.get_terminal_size()
    kind = TerminalKind.COMMAND if command else TerminalKind.CLAUDE if args.claude else TerminalKind.SHELL
    spec = TerminalSpec(kind, command, tty=interactive, rows=size.lines, cols=size.columns)
    with App(runs_queue=False) as app:
        terminal = app.terminals.open(args.workspace, spec)
        try:
            if interactive:
                _interactive(terminal)
            else:
                _piped(terminal)
            return _exit_status(terminal)
        finally:
            terminal.close()


def _interactive(terminal: Terminal) -> None:
    import termios
    import tty

    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    saved = termios.tcgetattr(stdin)

    def resized(*_: object) -> None:
        size = shutil.get_terminal_size()
        try:
            terminal.resize(size.lines, size.columns)
        except Exception:  # noqa: BLE001 - a resize racing the end is of no matter
            pass

    previous = signal.signal(signal.SIGWINCH, resized)
    tty.setraw(stdin, termios.TCSANOW)  # keep what was typed ahead
    try:
        threading.Thread(target=_pump_input, args=(stdin, terminal, False), name="shell-input", daemon=True).start()
        while data := terminal.read():
            os.write(stdout, data)
    finally:
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        signal.signal(signal.SIGWINCH, previous)


def _piped(terminal: Terminal) -> None:
    if sys.stdin is not None and not sys.stdin.closed:
        threading.Thread(target=_pump_input, args=(sys.stdin.fileno(), terminal, True), name="shell-input",
                         daemon=True).start()
    else:
        terminal.close_input()
    out, err = sys.stdout.buffer, sys.stderr.buffer
    for is_err, data in terminal.frames():
        target = err if is_err else out
        target.write(data)
        target.flush()


def _pump_input(fd: int, terminal: Terminal, close_at_end: bool) -> None:
    try:
        while data := os.read(fd, READ_BYTES):
            terminal.write(data)
    except Exception:  # noqa: BLE001 - the terminal ended: nothing more to send
        return
    if close_at_end:
        terminal.close_input()


def _exit_status(terminal: Terminal) -> int:
    import time

    for _ in range(EXIT_POLLS):
        code = terminal.exit_code()
        if code is not None:
            return code
        time.sleep(0.02)  # a back-off: the engine has no event for an exec's end
    return 1
