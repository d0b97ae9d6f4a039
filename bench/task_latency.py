"""How much the app adds to a task, against a bare `docker exec … claude -p`.

Prints, from one run on this machine (medians of N runs each):
  baseline  the same exec of `claude -p …` in the warm container, through docker-py
            (the app's own client), of a one-tool task
  (a)       the in-process service call the GUI makes (app already loaded)
  (b)       a whole `aicode task run` process (the thin client of the warm
            service), with its start-up cost broken down by `python -X importtime`;
            also its first, cold call (which starts the service) and the same
            command run entirely in-process (AICODE_NO_SERVICE=1)
and the ratios (a)/baseline (target ≤ 1.05) and (b)/baseline (target ≤ 1.4).
What the credential proxy adds is measured twice: the bare exec through the
proxy against the bare exec, and (a) against (a) with the agent given the real
key and the model's address (as before the proxy; for this comparison only).

Run: .venv/bin/python bench/task_latency.py [N]   (needs the engine and image)
"""

from __future__ import annotations

import os
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


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _time(action, runs: int) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _importtime(env: dict[str, str], workspace: str) -> list[tuple[str, float]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop.cli", "task", "run", workspace, PROMPT],
        env=env, capture_output=True, text=True, check=True,
    )
    tops: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2]
        if len(name) - len(name.lstrip()) > 1:
            continue  # nested: counted in its top-level import's cumulative time
        package = name.strip().split(".")[0]
        tops[package] = tops.get(package, 0.0) + int(parts[1]) / 1e6
    return sorted(tops.items(), key=lambda item: -item[1])[:10]


def main(runs: int) -> None:
    home = tempfile.mkdtemp(prefix="aicode-bench-")
    project = Path(tempfile.mkdtemp(prefix="aicode-bench-project-"))
    (project / "README.md").write_text("# bench\n")
    os.environ["AICODE_HOME"] = home
    # The fake API listens where a bridge container reaches this machine, so
    # the bare baseline can go straight to it (egress open) while the app's
    # runs go through its credential proxy, as every task does.
    gateway = subprocess.run(["docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"],
                             capture_output=True, text=True, check=True).stdout.strip()
    with running_keyring_service(), FakeAnthropic(host=gateway) as api:
        os.environ["AICODE_ANTHROPIC_BASE_URL"] = api.base_url
        api.script(Reply(text="Writing.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/out.txt", "content": "x\n"}),)),
                   Reply(text="Done."), match="bench:")
        from desktop.services.app import App
        from desktop.services.workspaces import WorkspaceSpec

        app = App()
        app.set_secret("anthropic-api-key", KEY)
        workspace = app.workspaces.add(WorkspaceSpec(name="bench", path=str(project), egress="open",
                                                     permission_mode="bypassPermissions"))
        try:
            from desktop.services import runner

            proxied_environment = runner.agent_environment

            def straight_environment(ctx, workspace):  # noqa: ANN001, ANN202 - the runner's signature
                # For this comparison only: the real key and the model's own
                # address in the agent's environment, as before the proxy.
                return {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": api.base_url}

            def in_process(straight: bool = False) -> None:
                runner.agent_environment = straight_environment if straight else proxied_environment
                try:
                    task = app.tasks.submit(workspace.id, PROMPT)
                    final = app.tasks.wait(task.id, 120)
                finally:
                    runner.agent_environment = proxied_environment
                assert final.state == "succeeded", final.error

            in_process()  # warm: the container and the first snapshot
            container = app.ctx.containers.info(workspace.id).id

            def bare(proxied: bool = False) -> None:
                from desktop.services.egress import PROXY_URL, placeholder, serve

                if proxied:
                    serve(app.ctx, workspace)  # as a task does: this process's proxy answers
                url, key = (PROXY_URL, placeholder(app.ctx, workspace.id)) if proxied else (api.base_url, KEY)
                # Through docker-py, the app's own client path, so the ratio compares like with like.
                docker_api = app.ctx.engine.api
                exec_id = docker_api.exec_create(
                    container, ["claude", "-p", "--output-format", "stream-json", "--verbose",
                                "--permission-mode", "bypassPermissions", "--", PROMPT],
                    environment={"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": key,
                                 "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"},
                    workdir="/workspace", user="agent")["Id"]
                output = b"".join(docker_api.exec_start(exec_id, stream=True))
                if docker_api.exec_inspect(exec_id)["ExitCode"]:
                    raise SystemExit(f"claude failed ({'proxied' if proxied else 'direct'}): {output[-400:]!r}")

            env = dict(os.environ)
            local_env = dict(env, AICODE_NO_SERVICE="1")

            def whole_process(environment: dict[str, str] = env) -> None:
                subprocess.run([sys.executable, "-m", "desktop.cli", "task", "run", "bench", PROMPT],
                               env=environment, check=True, capture_output=True)

            bare()
            cold = _time(whole_process, 1)[0]  # starts the warm service
            # Interleaved, so that drift of the machine hits all alike.
            baseline, proxied, service, straight, process, local = [], [], [], [], [], []
            for _ in range(runs):
                baseline += _time(bare, 1)
                proxied += _time(lambda: bare(proxied=True), 1)
                service += _time(in_process, 1)
                straight += _time(lambda: in_process(straight=True), 1)
                process += _time(whole_process, 1)
                local += _time(lambda: whole_process(local_env), 1)
            client_imports = _importtime(env, "bench")
            local_imports = _importtime(local_env, "bench")
            startup = _time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
            subprocess.run([sys.executable, "-m", "desktop.cli", "service", "stop"], env=env, capture_output=True)
        finally:
            app.workspaces.remove(workspace.id)
            app.close()

    b, a, p, n = _median(baseline), _median(service), _median(process), _median(local)
    x, s = _median(proxied), _median(straight)
    print(f"runs: {runs} each, medians")
    print(f"baseline  exec claude -p (docker-py)     {b * 1000:7.0f} ms   (straight to the model)")
    print(f"          the same through the proxy     {x * 1000:7.0f} ms   ratio {x / b:.3f}  (target <= 1.05)")
    print(f"(a)       in-process service call        {a * 1000:7.0f} ms   ratio {a / b:.3f}  (target <= 1.05)")
    print(f"          the same, straight to the model {s * 1000:4.0f} ms   ratio {s / b:.3f}; "
          f"the proxy adds {a / s - 1:+.1%} (target < 5 %)")
    print(f"(b)       whole `aicode task run`        {p * 1000:7.0f} ms   ratio {p / b:.3f}  (target <= 1.4)")
    print(f"          its first call (starts service) {cold * 1000:6.0f} ms   ratio {cold / b:.3f}")
    print(f"          all in-process (NO_SERVICE)    {n * 1000:7.0f} ms   ratio {n / b:.3f}")
    print(f"          bare python start-up           {_median(startup) * 1000:7.0f} ms")
    for title, breakdown in (("the client", client_imports), ("the in-process command", local_imports)):
        print(f"          imports of {title} (cumulative, by top package):")
        for name, seconds in breakdown:
            print(f"            {name:<22} {seconds * 1000:6.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
