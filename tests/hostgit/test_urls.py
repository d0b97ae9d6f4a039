from __future__ import annotations

from pathlib import Path

import pytest

from desktop.hostgit.clone.urls import UrlKind, parse_git_url
from desktop.hostgit.errors import UnsafeUrlError


@pytest.mark.parametrize(
    ("text", "kind", "host"),
    [
        ("https://github.com/owner/repo.git", UrlKind.HTTPS, "github.com"),
        ("https://git.example.com:8443/group/sub/repo", UrlKind.HTTPS, "git.example.com"),
        ("https://[::1]:8443/repo.git", UrlKind.HTTPS, "[::1]"),
        ("ssh://git@github.com/owner/repo.git", UrlKind.SSH, "github.com"),
        ("ssh://git@host.example:2222/~user/repo.git", UrlKind.SSH, "host.example"),
        ("ssh://host/repo", UrlKind.SSH, "host"),
        ("git@github.com:owner/repo.git", UrlKind.SCP, "github.com"),
        ("me@my_alias:repo.git", UrlKind.SCP, "my_alias"),
        ("host:repo.git", UrlKind.SCP, "host"),
    ],
)
def test_accepts_remote_addresses(text: str, kind: UrlKind, host: str) -> None:
    url = parse_git_url(text)
    assert url.kind is kind
    assert url.host == host
    assert url.url == url.display == url.remote_url == text
    assert not url.has_credentials


def test_git_plus_ssh_is_normalized() -> None:
    assert parse_git_url("git+ssh://git@host/r.git").url == "ssh://git@host/r.git"


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_git_url("  https://github.com/o/r.git\n").url == "https://github.com/o/r.git"


def test_https_password_is_masked_and_kept_out_of_the_remote() -> None:
    url = parse_git_url("https://me:s3cret@github.com/o/r.git")
    assert url.url == "https://me:s3cret@github.com/o/r.git"  # the clone hands it to git's credential helper
    assert url.display == "https://me:***@github.com/o/r.git"
    assert url.remote_url == "https://github.com/o/r.git"
    assert url.has_credentials
    assert "s3cret" not in repr(url.display)


def test_token_user_name_is_masked() -> None:
    url = parse_git_url("https://ghp_0123456789abcdefghij@github.com/o/r.git")
    assert url.display == "https://***@github.com/o/r.git"
    assert url.remote_url == "https://github.com/o/r.git"


def test_plain_user_name_is_shown() -> None:
    assert parse_git_url("https://alice@host.example/r").display == "https://alice@host.example/r"


def test_local_directory(tmp_path: Path) -> None:
    url = parse_git_url(str(tmp_path))
    assert url.kind is UrlKind.LOCAL and url.is_local
    assert url.url == str(tmp_path)


def test_local_path_is_normalized(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    assert parse_git_url(f"{tmp_path}/x/../repo").url == str(tmp_path / "repo")


def test_local_path_with_spaces(tmp_path: Path) -> None:
    (tmp_path / "my repo").mkdir()
    assert parse_git_url(str(tmp_path / "my repo")).url == str(tmp_path / "my repo")


@pytest.mark.parametrize("prefix", ["file://", "file://localhost"])
def test_file_url(tmp_path: Path, prefix: str) -> None:
    (tmp_path / "my repo").mkdir()
    url = parse_git_url(f"{prefix}{tmp_path}/my%20repo")
    assert url.kind is UrlKind.LOCAL
    assert url.url == str(tmp_path / "my repo")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ext::sh -c touch /tmp/pwned", "transport helper"),
        ("ext::sh", "transport helper"),
        ("fd::17", "transport helper"),
        ("fd::0,1", "transport helper"),
        ("foo::https://github.com/o/r", "transport helper"),
        ("--upload-pack=touch /tmp/x", "starts with '-'"),
        ("-oProxyCommand=touch /tmp/y", "starts with '-'"),
        ("-u@host:repo", "starts with '-'"),
        ("ssh://-oProxyCommand=touch /tmp/y/x", "spaces"),
        ("ssh://-oProxyCommand=touch%20x/y", "starts with '-'"),
        ("ssh://git@-oProxyCommand=x/y", "starts with '-'"),
        ("ssh://-oProxyCommand=x@host/y", "starts with '-'"),
        ("ssh://%2DoProxyCommand=x/y", "not a valid host"),
        ("git@-oProxyCommand=x:repo", "starts with '-'"),
        ("git@host:-repo", "starts with '-'"),
        ("https://-host/repo", "starts with '-'"),
        ("https://github.com/o/r\n--upload-pack=x", "control character"),
        ("https://github.com/o/r\x00", "control character"),
        ("https://github.com/\x1b[31mo/r", "control character"),
        ("https://github.com/o/r\u202e", "control character"),
        ("https://github.com/o\tr", "control character"),
        ("http://github.com/o/r.git", "https://"),
        ("git://github.com/o/r.git", "unencrypted"),
        ("ftp://host/r.git", "not supported"),
        ("https://a@b@evil.example/r", "more than one '@'"),
        ("https://host.example", "no repository"),
        ("https://host.example/", "no repository"),
        ("https://host.example/r?x=1", "'?'"),
        ("https://host.example/r#frag", "'?'"),
        ("https://host.example\\@evil/r", "backslash"),
        ("https://exa mple.com/r", "spaces"),
        ("https://host:99999/r", "malformed"),
        ("https://ex!ample.com/r", "not a valid host"),
        ("ssh://me:pw@host/r", "password"),
        ("ssh://host", "no repository"),
        ("host:", "no repository path"),
        ("relative/path", "not a repository address"),
        ("repo", "not a repository address"),
        ("", "empty"),
        ("   ", "empty"),
        ("file://otherhost/srv/r", "on this computer"),
        ("file://relative", "on this computer"),
    ],
)
def test_refuses(text: str, says: str) -> None:
    with pytest.raises(UnsafeUrlError) as caught:
        parse_git_url(text)
    assert says in str(caught.value)


def test_refuses_missing_local_folder(tmp_path: Path) -> None:
    with pytest.raises(UnsafeUrlError, match="no folder"):
        parse_git_url(str(tmp_path / "missing"))


def test_refuses_local_file_that_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(UnsafeUrlError, match="no folder"):
        parse_git_url(str(tmp_path / "f"))


def test_refuses_non_text() -> None:
    with pytest.raises(UnsafeUrlError):
        parse_git_url(b"https://x/y")  # type: ignore[arg-type]


def test_error_does_not_echo_a_password() -> None:
    with pytest.raises(UnsafeUrlError) as caught:
        parse_git_url("https://me:s3cret@host.example/")
    assert "s3cret" not in str(caught.value)
