"""The shell script that runs one task inside the workspace container.

One ``docker exec``, so a warm task costs one round trip: ``SCRIPT``
prepares the working copy (a snapshot of the user's folder, or the state a
follow-up continues) and runs ``claude`` in its own process group (so cancel
can signal the whole tree); ``COLLECT`` then ends whatever the agent left
running, commits its work and writes the patches to fixed files. Git here
runs only inside the container, on a repository the agent can write; the
host never does, and trusts nothing of it but what its own checks accept.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

from desktop.agent.sweep import sweep_shell_function

MARKER_PREFIX = "aicode_"
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
task=$1 mode=$2 from=$3 diffbase=$4 first=$5
shift 5
cd /workspace || exit 70
# git reads no configuration, attributes or replacement objects but the
# app's: the agent can write ~/.gitconfig and all of .git, and a filter,
# an exclude or a replaced commit there would run its code in a later task's
# git (or hide its files from the patch).
g() {
  GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_ATTR_NOSYSTEM=1 GIT_NO_REPLACE_OBJECTS=1 \
  git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c user.name=AICode \
      -c user.email=aicode@localhost -c commit.gpgsign=false -c gc.auto=0 \
      -c diff.noprefix=false -c diff.mnemonicPrefix=false -c core.quotePath=true "$@"
}
own_git() {  # .git's own settings back to the app's, whatever an agent wrote there
  rm -rf .git/info .git/hooks .git/commondir .git/objects/info/alternates .git/refs/replace .git/config &&
  printf '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n' > .git/config &&
  mkdir .git/info && printf '%s' "${AICODE_EXCLUDE:-}" > .git/info/exclude  # the workspace's excluded paths
}
# A commit of the index as it stands, on a detached HEAD: each caller has
# just refreshed the index (add -A, or a checkout), and git commit would
# look at every file of the folder again (--allow-empty: a commit even when
# nothing changed; no hook runs).
commit_index() {
  tree=$(g write-tree) || return
  parent=$(g rev-parse -q --verify 'HEAD^{commit}') || parent=
  commit=$(g commit-tree ${parent:+-p "$parent"} -m "$1" "$tree" < /dev/null) &&
    g update-ref --no-deref HEAD "$commit"
}
marker() { printf '{"type":"aicode_%s",%s}\n' "$1" "$2"; }
# Every process of the agent's user but this shell and a person's terminals
# (desktop.agent.sweep; never PID 1, the keeper, which runs as another user).
SWEEP_FUNCTION
# Whatever an earlier task left running (a daemon of its agent, or its whole
# run when the app lost the engine mid-task) ends before this one starts.
sweep
# ~/.claude is a volume (it keeps the sessions --resume needs) and outlives
# tasks and Recreate: keep only the sessions. Settings, hooks, commands,
# agents, memory or MCP servers an earlier agent wrote there (or into
# ~/.claude.json) would otherwise run in, or instruct, this task.
find "${HOME:-/home/agent}/.claude" -mindepth 1 -maxdepth 1 ! -name projects -exec rm -rf {} + 2>/dev/null
rm -f "${HOME:-/home/agent}/.claude.json" "${HOME:-/home/agent}/.claude.json.backup"
[ -f .git/HEAD ] || g init -q || exit 71
own_git || exit 71
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
  else g add -A && commit_index "aicode: snapshot for task $task" && g update-ref "$diffbase" HEAD
  fi || exit 72
fi
marker base "\"ref\":\"$diffbase\""
# claude reads its stdin from a FIFO that a holder process keeps open, so it
# outlives this exec's own stdin (the app may quit while the agent waits for
# an answer). The app writes answers and messages into it with short execs
# of another user (flock keeps their lines whole). claude's output goes to
# this exec and to a file, from which an app started later reads what it
# missed.
run=/run/aicode/$task out=.git/aicode-run/$task.out
rm -rf /run/aicode/* .git/aicode-run && mkdir -p .git/aicode-run || exit 75
mkfifo -m 622 "$run.in" && mkfifo -m 600 "$run.pipe" && : > "$run.lock" && chmod 666 "$run.lock" || exit 75
echo $$ > "$run.script"
trap 'echo $? > "$run.rc"' EXIT
tee -p "$out" < "$run.pipe" &
teepid=$!
# From here on a change in the tree is the agent's. Files' times come from a
# coarse clock: wait for its next tick, so whatever the agent changes is
# strictly newer than $ref (a change time, which no one can set back).
: > "$run.ref" && ref=$(date -r "$run.ref" +%s.%N) || exit 75
while : > "$run.tick" && [ "$(date -r "$run.tick" +%s.%N)" = "$ref" ]; do :; done
setsid "$@" < "$run.in" > "$run.pipe" &
pid=$!
echo "$pid" > "$run.pid"
# The holder ends (and so claude's input) when the app says "close" on this
# exec's stdin; if the app goes away instead, it keeps the FIFO open.
exec 3<&0
{ printf '%s' "$first"; while IFS= read -r l <&3; do [ "$l" = close ] && exit 0; done
  exec sleep 2147483647; } > "$run.in" &
echo $! > "$run.holder"
wait "$pid"
rc=$?
# The agent's own process group goes, and the FIFO's holder; the tee ends
# once no writer holds its pipe (a daemon the agent detached might: it gets
# a few seconds to drain, then goes too).
kill -KILL -- "-$pid" "$(cat "$run.holder")" 2>/dev/null
( sleep 3; kill -KILL "$teepid" ) 2>/dev/null &
watchdog=$!
wait "$teepid"
kill -KILL "$watchdog" 2>/dev/null
rm -f "$run.pid"
""".replace("SWEEP_FUNCTION", sweep_shell_function())


# The agent has ended. End whatever it left running: its processes run as the
# same user, so the sweep from here reaches all of them (and never this shell,
# PID 1 or a terminal's processes). Then commit what it left and write the patches to fixed files,
# which the host reads through the engine with a size cap once this exec
# has ended: nothing the agent started can still print a forged patch on this
# exec's output or rewrite those files.
COLLECT = r"""
patch() {
  g diff --binary --full-index --no-color --no-ext-diff --no-textconv --find-renames \
    --src-prefix=a/ --dst-prefix=b/ "$1" HEAD > "$2.tmp" && mv -f "$2.tmp" "$2"
}
sweep
own_git || exit 73
g add -A >/dev/null 2>&1
commit_index "aicode: result of task $task" >/dev/null 2>&1 || exit 73
g update-ref "refs/aicode/result/$task" HEAD || exit 73
done=.git/aicode-patches/$task
rm -rf .git/aicode-patches && mkdir -p "$done" || exit 73
patch "$diffbase" "$done/patch" || exit 74
if [ "$mode" = resume ]; then patch "$from" "$done/step.patch" || exit 74; fi
# What the agent changed that git ignores (so no patch shows it): the host
# sends those paths afresh, or removes them, before the next fresh task, so
# nothing it planted there (in node_modules, say) outlives its task.
find . -path ./.git -prune -o -newerct "@$ref" -print0 | sed -z 's|^\./||' |
  g check-ignore -z --stdin | head -c IGNORED_CAP > "$done/ignored.tmp"
mv -f "$done/ignored.tmp" "$done/ignored" || exit 74
sweep
exit "$rc"
"""
# The most of the ignored paths' list the host takes; a longer one (an agent
# that wrote a million ignored files) has the next task copy the folder whole.
MAX_IGNORED_BYTES = 16 * 1024 * 1024
COLLECT = COLLECT.replace("IGNORED_CAP", str(MAX_IGNORED_BYTES + 1))
# Exit codes of the collecting part: the container's repository is unusable.
COLLECT_FAILED_EXITS = frozenset({73, 74})


@dataclass(frozen=True)
class TaskScript:
    task_id: str
    mode: PrepareMode
    from_ref: str  # base to reset to (incremental, same) or result to continue (resume)
    diff_base: str  # the ref the patch is taken against
    claude_argv: list[str]
    first_input: str = ""  # the stdin lines claude starts with (initialize, the prompt)

    def argv(self) -> list[str]:
        return [
            "sh", "-c", SCRIPT + COLLECT, "aicode-task",
            self.task_id, str(self.mode), self.from_ref, self.diff_base, self.first_input,
            *self.claude_argv,
        ]


def collected_dir(task_id: str) -> str:
    """Where the script leaves what it collected of a task, read in one go by the host:
    ``patch``, a follow-up's own ``step.patch``, and ``ignored`` (the paths the
    agent changed that git ignores, NUL-separated)."""
    return f"{PATCH_DIR}/{task_id}"


def base_ref(task_id: str) -> str:
    return f"refs/aicode/base/{task_id}"


def result_ref(task_id: str) -> str:
    return f"refs/aicode/result/{task_id}"


def pid_file(task_id: str) -> str:
    return f"{PID_DIR}/{task_id}.pid"


OUT_DIR = "/workspace/.git/aicode-run"
# How long a writer waits for claude to take a line before giving up (it has
# ended, or its stdin is full because it stopped reading).
WRITE_TIMEOUT_SECONDS = 10


def write_argv(task_id: str, line: str) -> list[str]:
    """Append one line to claude's stdin (run as a user other than the agent's)."""
    base = f"{PID_DIR}/{task_id}"
    # Opening the FIFO blocks while it has no reader: the time-out ends the wait.
    return ["flock", "-w", str(WRITE_TIMEOUT_SECONDS), f"{base}.lock", "timeout", str(WRITE_TIMEOUT_SECONDS),
            "sh", "-c", 'printf "%s\\n" "$1" > "$0"', f"{base}.in", line]


def follow_argv(task_id: str, after_lines: int) -> list[str]:
    """claude's output from line ``after_lines + 1`` on, until the task's script has ended."""
    base = f"{PID_DIR}/{task_id}"
    return ["sh", "-c", 'p=$(cat "$1.script" 2>/dev/null) || exit 3; '
            'exec tail -n "+$(($2 + 1))" -s 0.2 --pid="$p" -f "$3"',
            "follow", base, str(after_lines), f"{OUT_DIR}/{task_id}.out"]


def close_argv(task_id: str) -> list[str]:
    """End claude's input (it finishes its turn's output and exits): stop the FIFO's holder."""
    return ["sh", "-c", 'h=$(cat "$1.holder" 2>/dev/null) && kill -KILL "$h" 2>/dev/null; true',
            "close", f"{PID_DIR}/{task_id}"]


def alive_argv(task_id: str) -> list[str]:
    """Exit 0 if the task's script still runs in the container."""
    base = f"{PID_DIR}/{task_id}"
    return ["sh", "-c", 'p=$(cat "$1.script" 2>/dev/null) && [ -d "/proc/$p" ]', "alive", base]


def exit_code_path(task_id: str) -> str:
    return f"{PID_DIR}/{task_id}.rc"


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
