"""The ``aicode`` executable: a thin client of the warm service.

This module imports nothing heavy. It hands the command line to the warm
service of this environment (starting it when none answers) and relays its
output and exit code, so a command costs a Python start-up and a round trip
instead of importing SQLAlchemy, docker-py and keyring again. When the
service cannot be reached the command simply runs in this process.
AICODE_NO_SERVICE=1 always runs in-process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

SPAWN_WAIT_SECONDS = 10.0
# The commands the service runs; anything else (--help, --version, a typo)
# is answered in-process without starting a service.
_COMMANDS = {"doctor", "image", "workspace", "task", "egress", "secret", "audit"}
SERVICE_FLAG = "--aicode-service"  # how a frozen bundle starts its own service


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == [SERVICE_FLAG]:
        from desktop.cli.service_server import main as serve

        serve()
        return 0
    if argv[:2] == ["service", "stop"]:
        return _stop_service()
    if os.environ.get("AICODE_NO_SERVICE") or not argv or argv[0] not in _COMMANDS or _asks_inline(argv):
        return _local(argv)
    argv = absolute_paths(argv)
    stdin = _read_stdin(argv)
    conn = _connect()
    if conn is None:
        return _local(argv)
    return _relay(conn, argv, stdin)


# ``workspace add``'s options naming a folder, as argparse takes them: whole
# or any unambiguous start (--permission-mode also starts with --p).
_PATH_OPTIONS = {"--path": "--pa", "--git": "--g"}


def absolute_paths(argv: list[str]) -> list[str]:
    """``argv`` with ``workspace add``'s folder made absolute here, in the
    user's working directory: the service runs in a directory of its own, where
    ``--path .`` would name another folder. ``--git`` is made absolute only when
    it names a local folder or has no scheme or host (``host:repo``)."""
    if argv[:2] != ["workspace", "add"]:
        return argv
    out = argv[:2]
    rest = iter(argv[2:])
    for token in rest:
        if token == "--":
            out.append(token)
            out.extend(rest)
            break
        option, equals, value = token.partition("=")
        name = next((n for n, shortest in _PATH_OPTIONS.items()
                     if option.startswith(shortest) and n.startswith(option)), None)
        if name is None:
            out.append(token)
        elif equals:
            out.append(f"{option}={_absolute(name, value)}")
        else:
            following = next(rest, None)
            out.append(token)
            if following is not None:
                out.append(following if following.startswith("-") else _absolute(name, following))
    return out


def _absolute(option: str, value: str) -> str:
    if not value:
        return value
    local = os.path.expanduser(value)
    if option == "--git" and not os.path.isdir(local) and ("://" in value or ":" in value):
        return value  # a URL, or git's host:path
    return os.path.abspath(local)


def _local(argv: list[str]) -> int:
    from desktop.cli.dispatch import main as run

    return run(argv)


def _asks_inline(argv: list[str]) -> bool:
    """A task run in a terminal asks there when the agent needs an answer:
    it runs in this process, which owns the terminal."""
    return (argv[:2] in (["task", "run"], ["task", "follow-up"]) and "--detach" not in argv
            and "--json" not in argv and sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty())


def _read_stdin(argv: list[str]) -> str | None:
    """Only ``secret set`` and ``workspace add|set --secret-env`` read standard
    input; read it here, in the terminal."""
    from desktop.cli.secret_input import read_values, secret_names

    if names := secret_names(argv):
        return read_values(names, keeps=argv[1] == "set")
    if argv[:2] != ["secret", "set"]:
        return None
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{argv[2] if len(argv) > 2 else 'secret'}: ")
    return sys.stdin.read()


def _connect() -> socket.socket | None:
    if not hasattr(socket, "AF_UNIX"):
        return None  # Windows' Python has no Unix sockets: the command runs in-process
    try:
        from desktop.cli.service_address import socket_path

        path = socket_path()
    except OSError:
        return None
    conn = _try(path)
    if conn is not None:
        return conn
    try:
        _spawn()
    except OSError:
        return None
    deadline = time.monotonic() + SPAWN_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        conn = _try(path)
        if conn is not None:
            return conn
    return None


def _try(path: object) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
    except OSError:
        conn.close()
        return None
    return conn


def _spawn() -> None:
    from desktop import paths

    logs = paths.data_dir() / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / "service.log", "ab") as log:
        frozen = getattr(sys, "frozen", False)
        command = [sys.executable, SERVICE_FLAG] if frozen else [sys.executable, "-m", "desktop.cli.service_server"]
        # A frozen service is a new instance of the bundle, not this process's helper: its
        # bootloader must set up the bundle's library path again (ours was given back to
        # the user's by packaging/rthook_host_env.py), or it loads the system's libssl and
        # libsqlite3, or fails where the system has none.
        env = dict(os.environ, PYINSTALLER_RESET_ENVIRONMENT="1") if frozen else None
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True, env=env,
        )


def _relay(conn: socket.socket, argv: list[str], stdin: str | None) -> int:
    from desktop.cli.service_protocol import Reader, send

    def interrupt(_signum: int, _frame: object) -> None:
        try:
            send(conn, {"interrupt": True})
        except OSError:
            pass

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        # Whether the output is a terminal decides how ``task diff`` prints.
        send(conn, {"argv": argv, "stdin": stdin, "tty": sys.stdout.isatty()})
        reader = Reader(conn)
        while (message := reader.next()) is not None:
            if "out" in message:
                _write(sys.stdout, message["out"])
            elif "err" in message:
                _write(sys.stderr, message["err"])
            elif "exit" in message:
                return int(message["exit"])
        print("aicode: the service stopped before the command ended; see its log", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, previous)
        conn.close()


def _write(stream: object, text: str) -> None:
    """The command's output, byte for byte: the service sent bytes that are
    not UTF-8 (a patch's content) as surrogate escapes."""
    data = text.encode("utf-8", "surrogateescape")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a replaced stream (tests): text it is
        stream.write(data.decode("utf-8", "replace"))  # type: ignore[attr-defined]
        stream.flush()  # type: ignore[attr-defined]


def _stop_service() -> int:
    from desktop.cli.service_address import socket_path
    from desktop.cli.service_protocol import Reader, send

    conn = _try(socket_path())
    if conn is None:
        print("no service is running")
        return 0
    with conn:
        send(conn, {"shutdown": True})
        Reader(conn).next()
    print("service stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
