"""Say why a clone failed in words a user can act on."""

from __future__ import annotations

from desktop.hostgit.clone.urls import GitUrl, UrlKind

# (what git says, lower-cased) -> what the user can do about it.
_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("host key verification failed",),
        "The server's SSH host key is not trusted yet. Connect once with `ssh {host}` "
        "in a terminal and accept the key, then try again.",
    ),
    (
        ("permission denied (publickey", "permission denied, please try again"),
        "The server refused your SSH key. Add your public key to your account on {host}, "
        "or load the key into your ssh agent.",
    ),
    (
        (
            "could not read username",
            "could not read password",
            "authentication failed",
            "terminal prompts disabled",
        ),
        "The server asked for credentials. Set up a git credential helper (or an SSH key) "
        "for {host}; the app cannot ask for a password.",
    ),
    (
        ("could not resolve host", "name or service not known", "temporary failure in name"),
        "The server name {host} could not be found. Check the address and your network.",
    ),
    (
        (
            "connection timed out",
            "operation timed out",
            "connection refused",
            "network is unreachable",
            "failed to connect",
        ),
        "The server {host} could not be reached. Check your network, proxy or VPN.",
    ),
    (
        ("ssl certificate problem", "server certificate verification failed"),
        "The server's TLS certificate is not trusted. If your network uses its own "
        "certificate authority, configure git's http.sslCAInfo.",
    ),
    (
        ("no space left on device",),
        "The disk is full. Free some space and try again.",
    ),
    (
        (
            "repository not found",
            "does not appear to be a git repository",
            "not found",
            "does not exist",
        ),
        "There is no repository at that address, or you have no access to it. "
        "Check the address and your permissions.",
    ),
)


def explain_clone_failure(git_said: str, url: GitUrl) -> str:
    # Never echo the address as typed: it may hold a password.
    said = git_said.replace(url.url, url.display).strip()
    lowered = said.lower()
    host = url.host or "the server"
    hint = ""
    for needles, advice in _HINTS:
        if any(needle in lowered for needle in needles):
            hint = advice.format(host=host)
            break
    if not hint and url.kind is UrlKind.LOCAL:
        hint = "Check that the folder is a git repository you can read."
    message = f"Could not clone {url.display}."
    if hint:
        message += f" {hint}"
    if said:
        message += f"\n\ngit said:\n{said}"
    return message
