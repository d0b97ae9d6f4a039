"""Validate a repository address typed by a user before git ever sees it.

The text is hostile: git has a long history of option smuggling through URLs
(``ssh://-oProxyCommand=...``, ``--upload-pack=...``) and of transports that run
commands (``ext::``, ``fd::``). We accept a small, explicit grammar and refuse
everything else, rather than trying to list what is dangerous.

Decisions:
* ``http://`` and ``git://`` are refused: both are unencrypted and
  unauthenticated, so anyone on the network can read credentials or alter the
  code the agent will work on. The message suggests https/ssh, or cloning by
  hand and adding the folder.
* Local repositories must be given as an absolute path (or ``file://`` URL) to
  an existing directory; relative paths depend on the current directory.
"""

from __future__ import annotations

import enum
import os
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from desktop.hostgit.errors import UnsafeUrlError

_HINT = "Use an https:// or ssh:// address, git@host:path, or the full path of a local repository."

# Host labels may hold "_" (ssh config aliases) but never start with "-":
# a leading dash is how hosts turn into ssh options.
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?"
_HOST = re.compile(rf"^(?:{_LABEL})(?:\.{_LABEL})*\.?$|^\[[0-9A-Fa-f:.]+\]$")
_SSH_USER = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.+-]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# Token prefixes of the big forges: such a user name is a secret, not a login.
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "glpat-", "x-token")


class UrlKind(enum.StrEnum):
    HTTPS = "https"
    SSH = "ssh"  # ssh://[user@]host[:port]/path
    SCP = "scp"  # [user@]host:path
    LOCAL = "local"  # an existing directory on this machine


@dataclass(frozen=True)
class GitUrl:
    """A validated repository address.

    ``url`` is what git receives (always after ``--``); ``display`` is safe to
    show and log (passwords and token-like user names masked); ``remote_url``
    is what the clone stores as its origin: without https credentials, so a
    token never lands in a ``.git/config`` the agent can read.
    """

    kind: UrlKind
    url: str
    display: str
    remote_url: str
    host: str | None = None
    has_credentials: bool = False

    @property
    def is_local(self) -> bool:
        return self.kind is UrlKind.LOCAL


def parse_git_url(text: str) -> GitUrl:
    """Validate ``text`` and return its normalized form, or raise UnsafeUrlError."""
    if not isinstance(text, str):
        raise UnsafeUrlError("The repository address must be text.")
    text = text.strip()
    if not text:
        raise UnsafeUrlError(f"The repository address is empty. {_HINT}")
    _refuse_invisible_characters(text)
    if text.startswith("-"):
        raise UnsafeUrlError(
            "The repository address starts with '-', which git would read as an option. " + _HINT
        )
    first_slash = text.find("/")
    head = text if first_slash < 0 else text[:first_slash]
    if "::" in head:
        transport = head.split("::", 1)[0] or "?"
        raise UnsafeUrlError(
            f"'{transport}::' addresses use a git transport helper, which can run commands "
            f"on this computer; they are not supported. {_HINT}"
        )
    scheme = _SCHEME.match(text)
    if scheme:
        return _parse_with_scheme(scheme.group(1).lower(), text)
    if os.path.isabs(text):
        return _local(text)
    colon = text.find(":")
    if colon > 0 and (first_slash < 0 or colon < first_slash):
        return _parse_scp(text, colon)
    raise UnsafeUrlError(f"'{text}' is not a repository address. {_HINT}")


def _refuse_invisible_characters(text: str) -> None:
    # Control and format characters (newlines, NUL, ESC, bidi overrides) are
    # never part of a real address and can hide what the address really is.
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            raise UnsafeUrlError(
                f"The repository address contains an invisible or control character "
                f"(U+{ord(char):04X}). Retype the address by hand."
            )


def _parse_with_scheme(scheme: str, text: str) -> GitUrl:
    if scheme == "https":
        return _parse_https(text)
    if scheme in ("ssh", "git+ssh", "ssh+git"):
        return _parse_ssh(text)
    if scheme == "file":
        return _parse_file(text)
    if scheme in ("http", "git"):
        raise UnsafeUrlError(
            f"{scheme}:// is unencrypted: anyone on the network could read your credentials "
            "or change the code. Use the repository's https:// or SSH (git@host:path) address; "
            "if the server offers nothing else, clone it yourself and add the folder instead."
        )
    raise UnsafeUrlError(f"Addresses starting with '{scheme}://' are not supported. {_HINT}")


def _refuse_remote_ambiguity(text: str) -> None:
    # Characters on which URL parsers disagree (git, curl, Python) could make
    # us validate one host while git connects to another.
    if any(char.isspace() for char in text):
        raise UnsafeUrlError("The repository address contains spaces; write them as %20.")
    if "\\" in text:
        raise UnsafeUrlError("The repository address contains a backslash. " + _HINT)


def _split(text: str) -> tuple[str, str | None, str | None, str, int | None, str]:
    """(raw user info, user, password, host, port, path) of an URL, strictly."""
    _refuse_remote_ambiguity(text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrlError(f"The repository address is malformed ({exc}). {_HINT}") from exc
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise UnsafeUrlError("The repository address must not contain '?' or '#'. " + _HINT)
    netloc = parts.netloc
    if netloc.count("@") > 1:
        raise UnsafeUrlError(
            "The repository address contains more than one '@' before the host; "
            "write an '@' inside a user name or password as %40."
        )
    host = netloc.rpartition("@")[2]
    if port is not None or host.endswith(":"):
        host = host.rsplit(":", 1)[0]
    _check_host(host)
    userinfo = netloc.rpartition("@")[0]
    return userinfo, parts.username, parts.password, host, port, parts.path


def _check_host(host: str) -> None:
    if not host:
        raise UnsafeUrlError(f"The repository address has no host name. {_HINT}")
    if host.startswith("-"):
        raise UnsafeUrlError(
            f"The host name '{host}' starts with '-', which ssh would read as an option."
        )
    if not _HOST.match(host):
        raise UnsafeUrlError(
            f"'{host}' is not a valid host name (letters, digits, '.', '-' and '_' only; "
            "write international names in their xn-- form)."
        )


def _check_ssh_user(user: str) -> None:
    if user.startswith("-"):
        raise UnsafeUrlError(
            f"The user name '{user}' starts with '-', which ssh would read as an option."
        )
    if not _SSH_USER.match(user):
        raise UnsafeUrlError(f"'{user}' is not a valid ssh user name.")


def check_user_info(*decoded: str) -> None:
    """Refuse a user name or password git's line-based credential protocol
    cannot carry: a line break would add lines (a host, say) of its own."""
    if any(char in value for value in decoded for char in "\n\r\0"):
        raise UnsafeUrlError(
            "The user name or password in the address contains a line break; "
            "write it without one, or set up a git credential helper instead."
        )


def _parse_https(text: str) -> GitUrl:
    userinfo, user, password, host, port, path = _split(text)
    if path in ("", "/"):
        # Not echoing ``text``: it may carry a password.
        raise UnsafeUrlError(f"The address names the server '{host}' but no repository on it.")
    check_user_info(unquote(user or ""), unquote(password or ""))
    hostport = host if port is None else f"{host}:{port}"
    clean = f"https://{hostport}{path}"
    if password is not None:
        shown_user = f"{user}:***@"
    elif user:
        looks_secret = len(user) >= 20 or user.lower().startswith(_TOKEN_PREFIXES)
        shown_user = "***@" if looks_secret else f"{user}@"
    else:
        shown_user = ""
    display = f"https://{shown_user}{hostport}{path}"
    url = f"https://{userinfo}@{hostport}{path}" if userinfo else clean
    return GitUrl(UrlKind.HTTPS, url, display, clean, host, has_credentials=bool(userinfo))


def _parse_ssh(text: str) -> GitUrl:
    _, user, password, host, port, path = _split(text)
    if password is not None:
        raise UnsafeUrlError("ssh addresses cannot carry a password; use an ssh key instead.")
    if user is not None:
        _check_ssh_user(user)
    if path in ("", "/"):
        raise UnsafeUrlError(f"The address '{text}' names a server but no repository on it.")
    userpart = f"{user}@" if user else ""
    portpart = f":{port}" if port is not None else ""
    normalized = f"ssh://{userpart}{host}{portpart}{path}"
    return GitUrl(UrlKind.SSH, normalized, normalized, normalized, host)


def _parse_scp(text: str, colon: int) -> GitUrl:
    _refuse_remote_ambiguity(text)
    userhost, path = text[:colon], text[colon + 1 :]
    user, at, host = userhost.rpartition("@")
    if at:
        _check_ssh_user(user)
    _check_host(host)
    if not path:
        raise UnsafeUrlError(f"The address '{text}' has no repository path after ':'.")
    if path.startswith("-"):
        raise UnsafeUrlError(
            f"The repository path '{path}' starts with '-', which git would read as an option."
        )
    return GitUrl(UrlKind.SCP, text, text, text, host)


def _parse_file(text: str) -> GitUrl:
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise UnsafeUrlError(
            f"file:// addresses must name a folder on this computer, not '{parts.netloc}'."
        )
    if parts.query or parts.fragment:
        raise UnsafeUrlError("The file:// address must not contain '?' or '#'.")
    path = unquote(parts.path)
    _refuse_invisible_characters(path)
    if not os.path.isabs(path):
        raise UnsafeUrlError(f"'{text}' is not an absolute file:// address.")
    return _local(path)


def _local(path: str) -> GitUrl:
    # abspath normalizes "..": the folder we check is the folder git clones.
    absolute = os.path.abspath(path)
    if not os.path.isdir(absolute):
        raise UnsafeUrlError(
            f"There is no folder at '{absolute}'. Check the path of the local repository."
        )
    return GitUrl(UrlKind.LOCAL, absolute, absolute, absolute, None)
