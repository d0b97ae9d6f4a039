"""The shell script that runs one task inside the workspace container.

One ``docker exec`` does it all, so a warm task costs one round trip:
prepare the working copy (a snapshot of the user's folder, or the state a
follow-up continues), run ``claude`` in its own process group (so cancel can
signal the whole tree), then commit what the agent left and emit the task's
binary patch as one marker line on stdout (a follow-up's also its own step
since its parent's end). Git here runs only inside the
container, on a repository the agent can write; the host never does.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

MARKER_PREFIX = "aicode_"
# Patches up to this size travel inline (base64 in the marker line); larger
# ones are fetched from the volume with get_archive.
INLINE_PATCH_BYTES = 4 * 1024 * 1024
PATCH_DIR = "/workspace/.git/aicode-patches"
PID_DIR = "/run/aicode"
# Exit code of the script when the base it was told to start from is gone
# (a recreated volume): the host then sends a full snapshot and retries.
BASE_MISSING_EXIT = 86


class PrepareMode(enum.StrEnum):
    FULL = "full"  # wipe the tree and take the staged snapshot
    INCREMENTAL = "incremental"  # reset to the last base, apply the staged changes
    SAME = "same"  # the folder did not change: reset to the last base
    RESUME = "resume"  # a follow-up: continue the parent task's result


SCRIPT = r"""
set -u
task=$1 mode=$2 from=$3 diffbase=$4 inline_max=$5
shift 5
cd /workspace || exit 70
g() {
  git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c user.name=AICode \
      -c user.email=aicode@localhost -c commit.gpgsign=false -c gc.auto=0 \
      -c diff.noprefix=false -c diff.mnemonicPrefix=false -c core.quotePath=true "$@"
}
marker() { printf '{"type":"aicode_%s",%s}\n' "$1" "$2"; }
[ -f .git/HEAD ] || g init -q || exit 71
stage=.git/aicode-stage/$task
take_stage() {  # $1: mv into an emptied tree (no copy), or cp to merge
  if [ -s "$stage.deleted" ]; then xargs -0 rm -rf -- < "$stage.deleted"; fi
  if [ -d "$stage" ]; then
    if [ "$1" = mv ]; then (cd "$stage" && find . -mindepth 1 -maxdepth 1 -exec mv -t /workspace {} +)
    else (cd "$stage" && find . -mindepth 1 -maxdepth 1 -exec cp -a --remove-destination -t /workspace {} +)
    fi
  fi
  rm -rf .git/aicode-stage
}
reset_to() {
  g rev-parse -q --verify "$1^{commit}" >/dev/null || { marker base_missing "\"ref\":\"$1\""; exit 86; }
  g checkout -q -f --detach "$1" && g clean -q -fd
}
case $mode in
  full)
    find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    take_stage mv ;;
  incremental) reset_to "$from"; take_stage cp ;;
  same) reset_to "$from" ;;
  resume) reset_to "$from" ;;
esac
if [ "$mode" != resume ]; then
  if [ "$mode" = same ]; then g update-ref "$diffbase" "$from"
  else g add -A && g commit -q --allow-empty --no-verify -m "aicode: snapshot for task $task" && g update-ref "$diffbase" HEAD
  fi || exit 72
fi
marker base "\"ref\":\"$diffbase\""
mkdir -p /run/aicode
setsid "$@" &
pid=$!
echo "$pid" > "/run/aicode/$task.pid"
wait "$pid"
rc=$?
rm -f "/run/aicode/$task.pid"
g add -A >/dev/null 2>&1
g commit -q --allow-empty --no-verify -m "aicode: result of task $task" >/dev/null 2>&1
g update-ref "refs/aicode/result/$task" HEAD
mkdir -p .git/aicode-patches
emit() {  # $1: marker kind, $2: the ref the patch is taken against
  patch=.git/aicode-patches/$task.$1
  g diff --binary --full-index --no-color --no-ext-diff --no-textconv --find-renames --src-prefix=a/ --dst-prefix=b/ "$2" HEAD > "$patch"
  size=$(wc -c < "$patch")
  if [ "$size" -le "$inline_max" ]; then
    printf '{"type":"aicode_%s","bytes":%s,"data":"' "$1" "$size"; base64 -w0 "$patch"; printf '"}\n'
  else
    marker "$1" "\"bytes\":$size,\"path\":\"/workspace/$patch\""
  fi
}
emit patch "$diffbase"
# A follow-up's own step, for when its parent's change is already applied.
[ "$mode" = resume ] && emit step_patch "$from"
exit $rc
"""


@dataclass(frozen=True)
class TaskScript:
    task_id: str
    mode: PrepareMode
    from_ref: str  # base to reset to (incremental, same) or result to continue (resume)
    diff_base: str  # the ref the patch is taken against
    claude_argv: list[str]

    def argv(self) -> list[str]:
        return [
            "sh", "-c", SCRIPT, "aicode-task",
            self.task_id, str(self.mode), self.from_ref, self.diff_base, str(INLINE_PATCH_BYTES),
            *self.claude_argv,
        ]


def base_ref(task_id: str) -> str:
    return f"refs/aicode/base/{task_id}"


def result_ref(task_id: str) -> str:
    return f"refs/aicode/result/{task_id}"


def pid_file(task_id: str) -> str:
    return f"{PID_DIR}/{task_id}.pid"


def parse_marker(line: str) -> dict[str, Any] | None:
    """The script's own marker lines (``{"type":"aicode_..."}``), else None."""
    if not line.startswith('{"type":"aicode_'):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def cancel_argv(task_id: str, signal: str) -> list[str]:
    """Signal the task's whole process group (claude and the tools it runs)."""
    path = pid_file(task_id)
    return ["sh", "-c", f'p=$(cat "{path}" 2>/dev/null) && kill -s {signal} -- "-$p" 2>/dev/null || true']
