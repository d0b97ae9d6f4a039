"""Allowlist entries: parsed strictly, matched exactly."""

from __future__ import annotations

import pytest

from desktop.egress.rules import DEFAULT_ALLOWLIST, BadEntry, allowed, inside_address, parse_entry, parse_list


def test_entries_and_matching() -> None:
    github, any_port, wild, address = (parse_entry(t) for t in ("GitHub.com", "example.test:8443", "*.npmjs.org",
                                                                 "10.0.0.5:8080"))
    assert github.matches("github.com", 443) and github.matches("github.com.", 80)
    assert not github.matches("github.com", 22) and not github.matches("evil-github.com", 443)
    assert not github.matches("github.com.evil.test", 443)
    assert any_port.matches("example.test", 8443) and not any_port.matches("example.test", 443)
    assert wild.matches("registry.npmjs.org", 443) and not wild.matches("npmjs.org", 443)
    assert not wild.matches("npmjs.org.evil.test", 443)
    assert address.is_address and address.matches("10.0.0.5", 8080)
    assert str(parse_entry("[::1]:99")) == "[::1]:99" and str(wild) == "*.npmjs.org"
    assert allowed([github, wild], "registry.npmjs.org", 443) == wild
    assert allowed([github], "pypi.org", 443) is None


@pytest.mark.parametrize("text", ["", "a b", "évil.test", "host:0", "host:70000", "host:x", "-bad.test",
                                  "a..b", "*.", "http://x.test", "x.test/path", "\x1b[2K", "a" * 300])
def test_bad_entries_are_refused(text: str) -> None:
    with pytest.raises(BadEntry):
        parse_entry(text)


def test_defaults_parse_and_inside_addresses() -> None:
    assert len(parse_list(DEFAULT_ALLOWLIST)) == len(DEFAULT_ALLOWLIST)
    assert parse_list(["ok.test", "bad entry"]) == [parse_entry("ok.test")]
    for inside in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.17.0.1", "169.254.169.254", "::1", "fe80::1%eth0"):
        assert inside_address(inside), inside
    assert not inside_address("140.82.112.3")
