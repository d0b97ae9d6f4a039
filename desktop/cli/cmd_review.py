"""``aicode task diff|apply|undo|compare|discard``: reviewing a task's change."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.exits import EXIT_FAILED, CliError
from desktop.cli.patch_view import hunk_lines, show, show_files
from desktop.domain.changes import DiffStat
from desktop.domain.review import Selection, visible, visible_lines
from desktop.services.app import App
from desktop.services.errors import Conflict


def diff(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        if args.stat:
            files = app.review.changed_files(args.task_id)
            for f in files:
                counts = "binary" if f.binary else f"+{f.insertions or 0} −{f.deletions or 0}"
                print(f"{f.status:<9} {f.path}  {counts}")
            stat = DiffStat.of(files)
            print(f"{stat.files} files changed, {stat.insertions} insertions(+), {stat.deletions} deletions(−)")
        elif args.hunks:
            for line in hunk_lines(list(app.review.changes(args.task_id).pending_files)):
                print(line)
        elif sys.stdout.isatty():  # what Apply writes, as the review computed it
            show_files(list(app.review.changes(args.task_id).pending_files), sys.stdout, color=True)
        else:  # the exact bytes, for git apply
            sys.stdout.buffer.write(app.review.patch(args.task_id))
        return 0


def apply(args: argparse.Namespace) -> int:
    selection = _selection(args.files, args.hunks)
    with App(runs_queue=False) as app:
        changes = app.review.changes(args.task_id)
        for item in changes.pending_files:  # said, not asked: the command was the confirmation
            if selection is None or selection.covers(item.path):
                for flag in item.flags:
                    print(f"⚑ {visible(item.path)}: {visible(flag.reason)}", file=sys.stderr)
        try:
            applied = app.review.apply(args.task_id, selection, reviewed=changes.digest)
        except Conflict as conflict:  # which parts, one a line, then exit 1
            print(f"aicode: {conflict}", file=sys.stderr)
            for part in conflict.parts:
                print(f"  {part}", file=sys.stderr)
            return EXIT_FAILED
        files = applied.files
        print(f"Applied {len(files)} file{'s' if len(files) != 1 else ''}:")
        for f in files:
            print(f"  {f.status:<9} {f.path}")
        if applied.kept is not None:
            print(f"The parts not applied were saved in {applied.kept}")
        return 0


def merge(args: argparse.Namespace) -> int:
    selection = _selection(args.files, args.hunks)
    with App(runs_queue=False) as app:
        if args.write:
            applied = app.review.apply_merged(args.task_id, selection)
            print(f"Applied {len(applied.files)} files; look for conflict markers (<<<<<<<) in the merged ones")
            return 0
        previews = app.review.merge_preview(args.task_id, selection)
        if not previews:
            print("Everything applies as it is: use 'aicode task apply'")
        terminal = sys.stdout.isatty()
        for preview in previews:
            what = preview.problem or f"{preview.conflicts} conflict{'s' if preview.conflicts != 1 else ''}"
            print(f"=== {visible(preview.path)}: {what}")
            if preview.text and terminal:
                print(visible_lines(preview.text), end="")
            elif preview.text:
                sys.stdout.flush()
                sys.stdout.buffer.write(preview.text.encode("utf-8", "surrogateescape"))
        return 0 if all(not p.problem for p in previews) else EXIT_FAILED


def undo(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        try:
            files = app.review.undo(args.task_id)
        except Conflict as conflict:
            print(f"aicode: {conflict}", file=sys.stderr)
            return EXIT_FAILED
        print(f"Undid {len(files)} file{'s' if len(files) != 1 else ''}:")
        for f in files:
            print(f"  {f.status:<9} {f.path}")
        return 0


def compare(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        _print_patch(app.review.compare(args.first, args.second))
        return 0


def discard(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        discarded = app.review.discard(args.task_id)
        saved = f"; saved in {discarded.kept}" if discarded.kept else ""
        saved = f"; {discarded.withheld}" if discarded.withheld else saved
        print(f"{discarded.task.id}: changes discarded{saved}")
        return 0


def _print_patch(patch: bytes) -> None:
    """On a terminal, coloured and made safe to read; piped, the exact bytes
    (``git apply`` takes them)."""
    if sys.stdout.isatty():
        show(patch, sys.stdout, color=True)
    else:
        sys.stdout.buffer.write(patch)
    sys.stdout.flush()


def _selection(files: list[str], hunks: list[str]) -> Selection | None:
    if not files and not hunks:
        return None
    picked: set[tuple[str, int]] = set()
    for item in hunks:
        path, _, number = item.rpartition(":")
        if not path or not number.isdigit() or int(number) < 1:
            raise CliError(f"--hunks takes PATH:N (N from 'aicode task diff --hunks'), not {item!r}")
        picked.add((path, int(number)))
    return Selection(frozenset(files), frozenset(picked))
