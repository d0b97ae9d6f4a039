"""The stage archive sends the folder's files and nothing a link points at,
even when a file or folder is replaced by a link between the walk and the copy."""

from __future__ import annotations

import tarfile
from pathlib import Path

from desktop.snapshots.archive import build_stage
from desktop.snapshots.manifest import Manifest, scan

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- not for the agent"


def _members(stage: object) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    with tarfile.open(fileobj=stage, mode="r") as tar:  # type: ignore[call-overload]
        for member in tar.getmembers():
            if member.isfile():
                found[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
            elif member.issym():
                found[member.name] = f"-> {member.linkname}"
    return found


def _stage(task_id: str, root: Path, manifest: Manifest) -> tuple[bytes, dict[str, bytes | str]]:
    """(the archive's bytes, its members) for a first snapshot of ``manifest``."""
    changed, deleted = Manifest({}).changes(manifest)
    with build_stage(task_id, root, manifest, changed, deleted) as stage:
        raw = stage.read()
        stage.seek(0)
        return raw, _members(stage)


def _project(tmp_path: Path) -> tuple[Path, Path, Manifest]:
    secret = tmp_path / "secret" / "id_rsa"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "notes.txt").write_text("plain notes\n")
    (root / "src" / "main.py").write_text("print('hi')\n")
    return root, secret, scan(root)


def test_finding_10_a_file_swapped_for_a_link_after_the_scan_is_not_followed(tmp_path: Path) -> None:
    root, secret, manifest = _project(tmp_path)
    # Between the walk and the copy the file becomes a link to a secret outside the folder.
    (root / "notes.txt").unlink()
    (root / "notes.txt").symlink_to(secret)
    raw, members = _stage("t1", root, manifest)
    assert SECRET not in raw
    assert members[".git/aicode-stage/t1/src/main.py"] == b"print('hi')\n"
    assert ".git/aicode-stage/t1/notes.txt" not in members


def test_finding_10_a_folder_swapped_for_a_link_after_the_scan_is_not_followed(tmp_path: Path) -> None:
    root, secret, manifest = _project(tmp_path)
    # The folder above a scanned file becomes a link to a folder holding a file of the same name.
    (secret.parent / "main.py").write_bytes(SECRET)
    (root / "src" / "main.py").unlink()
    (root / "src").rmdir()
    (root / "src").symlink_to(secret.parent)
    raw, members = _stage("t2", root, manifest)
    assert SECRET not in raw
    assert members[".git/aicode-stage/t2/notes.txt"] == b"plain notes\n"


def test_links_seen_by_the_scan_travel_as_links(tmp_path: Path) -> None:
    root, secret, _ = _project(tmp_path)
    (root / "key").symlink_to(secret)
    raw, members = _stage("t3", root, scan(root))
    assert SECRET not in raw
    assert members[".git/aicode-stage/t3/key"] == f"-> {secret}"


def test_the_streamed_stage_is_the_same_archive_and_a_failure_reaches_the_reader(tmp_path: Path) -> None:
    import io

    import pytest

    from desktop.snapshots.archive import stream_stage

    root, _secret, manifest = _project(tmp_path)
    (root / "big.bin").write_bytes(bytes(range(256)) * 20_000)  # several blocks of the stream
    manifest = scan(root)
    changed, deleted = Manifest({}).changes(manifest)
    streamed = b"".join(stream_stage("t1", root, manifest, changed, deleted))
    with build_stage("t1", root, manifest, changed, deleted) as stage:
        assert _members(io.BytesIO(streamed)) == _members(stage)
    with pytest.raises(KeyError):  # a path the manifest does not know: the writer's error, raised to the reader
        b"".join(stream_stage("t2", root, manifest, ["not/in/the/manifest"], []))
