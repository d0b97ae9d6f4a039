"""Hand an https address's user name and password to git without its argv.

Anything in a process's arguments is readable by every local user through
/proc; its environment is readable only by its owner. So the clone gives git
the address without its user info, and a credential helper that prints the
user name and password from two environment variables set for git alone.
The helper is a shell snippet in git's configuration (itself in argv): it
names the variables, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from desktop.hostgit.clone.urls import GitUrl, UrlKind, check_user_info
from desktop.hostgit.gitenv import CLONE_CREDENTIAL_PREFIX

# clone_env drops inherited variables of this prefix.
USERNAME_VARIABLE = f"{CLONE_CREDENTIAL_PREFIX}USERNAME"
PASSWORD_VARIABLE = f"{CLONE_CREDENTIAL_PREFIX}PASSWORD"

# git runs a "!" helper as `sh -c '<snippet> "$@"' <snippet> get|store|erase`.
_PRINT_USERNAME = f"printf 'username=%s\\n' \"${USERNAME_VARIABLE}\""
_PRINT_PASSWORD = f"printf 'password=%s\\n' \"${PASSWORD_VARIABLE}\""


@dataclass(frozen=True)
class Credentials:
    """The decoded user info of an https address (``repr`` hides it)."""

    username: str = field(repr=False)
    password: str | None = field(repr=False)


def credentials_of(url: GitUrl) -> Credentials | None:
    """The user name and password an https address carries, if any."""
    if url.kind is not UrlKind.HTTPS or not url.has_credentials:
        return None
    parts = urlsplit(url.url)
    username = unquote(parts.username or "")
    password = None if parts.password is None else unquote(parts.password)
    check_user_info(username, password or "")  # also for a GitUrl not made by parse_git_url
    return Credentials(username, password)


def helper_settings(credentials: Credentials) -> list[str]:
    """The ``-c`` settings that make git ask our helper.

    With a password, the helper list is emptied first, so no helper the user
    configured answers in its place or stores the token afterwards. With a user
    name alone, the user's helpers stay (they may hold its password) and ours
    comes last.
    """
    if credentials.password is None:
        snippet = f"!f() {{ test \"$1\" = get || return 0; {_PRINT_USERNAME}; }}; f"
        return [f"credential.helper={snippet}"]
    snippet = f"!f() {{ test \"$1\" = get || return 0; {_PRINT_USERNAME}; {_PRINT_PASSWORD}; }}; f"
    return ["credential.helper=", f"credential.helper={snippet}"]


def helper_environment(credentials: Credentials) -> dict[str, str]:
    env = {USERNAME_VARIABLE: credentials.username}
    if credentials.password is not None:
        env[PASSWORD_VARIABLE] = credentials.password
    return env
