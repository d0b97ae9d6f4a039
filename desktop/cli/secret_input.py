"""The values of ``workspace add|set --secret-env NAME``: never in argv (other
users can read it, shells keep it in history), but asked for in a terminal
(not echoed) or read from standard input, one line per name in the order
given. The client reads them in the user's terminal and hands them to the
service with the command. Kept light: the client imports it at every start.
"""

from __future__ import annotations

import sys

OPTION = "--secret-env"
_SHORTEST = "--secret"  # argparse takes any unambiguous start of an option


def secret_names(argv: list[str]) -> list[str]:
    """The names ``--secret-env`` is given in ``workspace add|set``'s argv."""
    if argv[:2] not in (["workspace", "add"], ["workspace", "set"]):
        return []
    names: list[str] = []
    tokens = iter(argv[2:])
    for token in tokens:
        if token == "--":
            break
        option, equals, value = token.partition("=")
        if not (option.startswith(_SHORTEST) and OPTION.startswith(option)):
            continue
        names.append(value if equals else next(tokens, ""))
    return names


def read_values(names: list[str], keeps: bool) -> str:
    """What the user gives for ``names``: typed at a prompt each (a terminal),
    else standard input as it is. ``keeps``: an empty answer keeps the value."""
    if sys.stdin is None:
        return ""
    if not sys.stdin.isatty():
        return sys.stdin.read()
    import getpass

    hint = "; Enter keeps the current value" if keeps else ""
    return "\n".join(getpass.getpass(f"{name} (secret, not shown{hint}): ") for name in names) + "\n"


def parse_values(names: list[str], text: str) -> dict[str, str]:
    """One value per line, in the order of the names; a single name takes all
    of standard input (less its last line break), so a value may span lines.
    Raises ValueError with a sentence for the user."""
    if "=" in "".join(names):
        raise ValueError(f"{OPTION} takes a NAME: its value is asked for, or read from standard input, "
                         "never taken from the command line")
    if len(names) == 1:
        return {names[0]: text.removesuffix("\n").removesuffix("\r")}
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if len(lines) > len(names) and any(lines[len(names):]):
        raise ValueError(f"Standard input has more lines than the {len(names)} names of {OPTION}: "
                         "give one value per line, in their order")
    lines += [""] * (len(names) - len(lines))
    return dict(zip(names, lines[:len(names)]))
