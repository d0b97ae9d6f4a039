"""Security finding 3: a stored secret inside a binary file of a change is
found (git writes binary content deflated and base85-encoded, so a search of
the patch's text never sees it), across the pieces it is inflated in, and a
change whose binary content inflates past the cap is refused, not read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from desktop.hostgit.patch import binary
from desktop.secrets import Masker
from desktop.services.errors import UserError
from desktop.services.patch_checks import secret_files, withheld_for_secrets

SECRET = "user-secret-Hq83-value"


def _binary_patch(tmp_path: Path, files: dict[str, bytes]) -> bytes:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "seed.txt").write_text("seed\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "seed"], check=True)
    for name, content in files.items():
        (repo / name).write_bytes(content)
    subprocess.run([*git, "add", "-A"], check=True)
    return subprocess.run([*git, "diff", "--cached", "--binary"], check=True, capture_output=True).stdout


def test_finding_3_a_secret_inside_a_binary_file_is_found(tmp_path: Path) -> None:
    patch = _binary_patch(tmp_path, {"blob.bin": b"\x00\x01" + SECRET.encode() + b"\x00\xff" * 40,
                                     "clean.bin": b"\x00\x02 nothing here \x00"})
    assert b"GIT binary patch" in patch and SECRET.encode() not in patch  # deflated: no text search sees it
    masker = Masker([SECRET])
    assert secret_files(patch, masker) == ["blob.bin"]
    assert "'blob.bin'" in (withheld_for_secrets((patch, None), masker) or "")
    assert secret_files(patch, Masker(["another-value-entirely"])) == []


def test_finding_3_a_secret_across_two_inflated_pieces_is_found(tmp_path: Path) -> None:
    # Random bytes do not compress: the secret straddles the first piece's end.
    noise = os.urandom(binary.PIECE_BYTES - len(SECRET) // 2)
    patch = _binary_patch(tmp_path, {"big.bin": b"\x00" + noise + SECRET.encode() + os.urandom(1000)})
    pieces = list(binary.written_pieces(patch[patch.index(b"diff --git"):]))
    assert len(pieces) >= 2 and not any(SECRET.encode() in p for p in pieces)
    assert secret_files(patch, Masker([SECRET])) == ["big.bin"]


def test_a_binary_file_inflating_past_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch = _binary_patch(tmp_path, {"zeros.bin": b"\x00" * (4 * binary.PIECE_BYTES)})
    monkeypatch.setattr(binary, "MAX_INFLATED_BYTES", 2 * binary.PIECE_BYTES)
    with pytest.raises(UserError, match="cannot be checked for secrets"):
        secret_files(patch, Masker([SECRET]))


def test_a_change_too_large_to_check_is_not_kept_either(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch = _binary_patch(tmp_path, {"zeros.bin": b"\x00" * (4 * binary.PIECE_BYTES)})
    monkeypatch.setattr(binary, "MAX_INFLATED_BYTES", 2 * binary.PIECE_BYTES)
    assert "not kept" in (withheld_for_secrets((patch,), Masker([SECRET])) or "")
