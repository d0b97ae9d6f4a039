"""What a task costs in a large folder, against baselines of the same run.

For each tree it makes (7,000 and 70,000 small files by default), prints:
  first copy   the first task's time less a bare exec's (its container already
               started: what remains is the copy and its first commit), against a `tar`
               stream of the same tree into a fresh container's volume, through docker-py's
               put_archive and through `docker exec -i … tar -x`
  unchanged    a task when nothing changed, in-process (a long-lived app, as
               the GUI and the warm service are) and through the CLI, against
               the bare `claude -p` exec of the same one-tool task (docker-py,
               the app's own client path)
and the ratios (targets at 70k: in-process <= 1.15, CLI <= 1.5; first copy no
slower than the tar pipe).

Run: .venv/bin/python bench/large_folder.py [RUNS] [FILES ...]   (needs the engine and image)
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeapi import FakeAnthropic, Reply, ToolCall  # noqa: E402
from tests.keyring_service import running_keyring_service  # noqa: E402

KEY = "sk-ant-api03-BENCH-" + "b" * 40
PROMPT = "bench: write one file"


def make_tree(root: Path, files: int) -> int:
    """A source tree of ``files`` small files, 100 to a folder, 10 folders to a package."""
    rng = random.Random(files)
    total = 0
    for index in range(files):
        folder = root / f"pkg{index // 1000}" / f"mod{index // 100 % 10}"
        if index % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = b"x" * rng.randint(200, 6000)
        (folder / f"f{index % 100}.js").write_bytes(data)
        total += len(data)
    return total


def tar_pipe(client, image: str, tree: Path) -> float:  # noqa: ANN001 - a docker-py client
    """A `tar` stream of the tree into a new container's volume, as `docker cp` would."""
    volume = client.volumes.create()
    container = client.containers.run(image, ["sleep", "600"], entrypoint=[], detach=True,
                                      volumes={volume.name: {"bind": "/data", "mode": "rw"}})
    try:
        started = time.perf_counter()
        tar = subprocess.Popen(["tar", "-C", str(tree), "-cf", "-", "."], stdout=subprocess.PIPE)
        assert tar.stdout is not None
        client.api.put_archive(container.id, "/data", tar.stdout)
        tar.wait()
        return time.perf_counter() - started
    finally:
        container.remove(force=True)
        volume.remove(force=True)


def tar_exec_pipe(client, image: str, tree: Path) -> float:  # noqa: ANN001
    """The same tree through `tar | docker exec -i … tar -x` (the shell's way), into a fresh volume."""
    volume = client.volumes.create()
    container = client.containers.run(image, ["sleep", "600"], entrypoint=[], detach=True, user="0",
                                      volumes={volume.name: {"bind": "/data", "mode": "rw"}})
    try:
        started = time.perf_counter()
        subprocess.run(f"tar -C {tree} -cf - . | docker exec -i {container.id} tar -C /data -xf -",
                       shell=True, check=True)
        return time.perf_counter() - started
    finally:
        container.remove(force=True)
        volume.remove(force=True)


def bare_exec(client, container_id: str, env: dict[str, str]) -> None:  # noqa: ANN001
    """The same task straight from claude: one exec, through docker-py."""
    api = client.api
    exec_id = api.exec_create(container_id, ["claude", "-p", "--output-format", "stream-json", "--verbose",
                                             "--permission-mode", "bypassPermissions", "--", PROMPT],
                              environment=env, workdir="/workspace", user="agent")["Id"]
    for _ in api.exec_start(exec_id, stream=True):
        pass
    if api.exec_inspect(exec_id)["ExitCode"]:
        raise SystemExit("the bare claude exec failed")


def timed(action, runs: int) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def one_tree(files: int, runs: int, api: FakeAnthropic) -> None:
    from desktop.containers.engine import Engine
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec

    tree = Path(tempfile.mkdtemp(prefix=f"aicode-bench-{files}-"))
    size = make_tree(tree, files)
    ctx = AppContext()
    ctx.shared = True  # a long-lived app: its folders are watched
    app = App(ctx)
    app.set_secret("anthropic-api-key", KEY)
    client = Engine().client
    workspace = app.workspaces.add(WorkspaceSpec(name=f"large{files}", path=str(tree), egress="open",
                                                 permission_mode="bypassPermissions"))
    try:
        def in_process() -> None:
            task = app.tasks.wait(app.tasks.submit(workspace.id, PROMPT).id, 600)
            assert task.state == "succeeded", task.error

        def through_cli() -> None:
            subprocess.run([sys.executable, "-m", "desktop.cli", "task", "run", workspace.name, PROMPT],
                           check=True, capture_output=True)

        app.containers.start(workspace.id)  # so the first task's extra time is the copy, not the container
        first = timed(in_process, 1)[0]
        container = app.ctx.containers.info(workspace.id).id
        env = {"ANTHROPIC_BASE_URL": api.base_url, "ANTHROPIC_API_KEY": KEY,
               "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}
        image = app.ctx.db.workspaces.get(workspace.id).image
        pipe = tar_pipe(client, image, tree)
        exec_pipe = tar_exec_pipe(client, image, tree)
        through_cli()  # starts the warm service, whose own first task reads the folder
        bare, local, cli = [], [], []
        for _ in range(runs):  # interleaved, so that the machine's drift hits all alike
            bare += timed(lambda: bare_exec(client, container, env), 1)
            local += timed(in_process, 1)
            cli += timed(through_cli, 1)
        b, a, c = statistics.median(bare), statistics.median(local), statistics.median(cli)
        print(f"{files:,} files, {size / 2**20:.0f} MB; medians of {runs}")
        print(f"  bare claude -p exec (docker-py)      {b * 1000:7.0f} ms")
        print(f"  first copy (first task - bare)       {(first - b) * 1000:7.0f} ms   "
              f"tar pipe into a volume {pipe * 1000:.0f} ms (docker-py), ratio {(first - b) / pipe:.2f}; "
              f"through docker exec -i {exec_pipe * 1000:.0f} ms, ratio {(first - b) / exec_pipe:.2f} (target <= 1)")
        print(f"  unchanged task, in-process           {a * 1000:7.0f} ms   ratio {a / b:.3f} (target <= 1.15 at 70k)")
        print(f"  unchanged task, `aicode task run`    {c * 1000:7.0f} ms   ratio {c / b:.3f} (target <= 1.5 at 70k)")
    finally:
        subprocess.run([sys.executable, "-m", "desktop.cli", "service", "stop"], capture_output=True)
        app.workspaces.remove(workspace.id)
        app.close()
        subprocess.run(["rm", "-rf", str(tree)], check=False)


def main(runs: int, sizes: list[int]) -> None:
    os.environ["AICODE_HOME"] = tempfile.mkdtemp(prefix="aicode-bench-")
    gateway = subprocess.run(["docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"],
                             capture_output=True, text=True, check=True).stdout.strip()
    with running_keyring_service(), FakeAnthropic(host=gateway) as api:
        os.environ["AICODE_ANTHROPIC_BASE_URL"] = api.base_url
        api.script(Reply(text="Writing.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/out.txt",
                                                                         "content": "x\n"}),)),
                   Reply(text="Done."), match="bench:")
        for files in sizes:
            one_tree(files, runs, api)


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 5, arguments[1:] or [7_000, 70_000])
