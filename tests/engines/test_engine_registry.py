"""Adding, listing and removing engines: what is refused and why, with
nothing stored by a refused request. No engine is connected to here."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain.engines import BadEngine, TlsFiles, check_name, check_url
from desktop.services.app import App
from desktop.services.context import AppContext
from desktop.services.errors import Conflict, UserError
from desktop.services.workspaces import WorkspaceSpec

TLS = TlsFiles("/ca.pem", "/cert.pem", "/key.pem")


@pytest.mark.parametrize("url, tls, expected", [
    ("unix:///run/docker.sock", None, "unix:///run/docker.sock"),
    (" ssh://me@build-box ", None, "ssh://me@build-box"),
    ("ssh://me@build-box:2222/", None, "ssh://me@build-box:2222"),
    ("ssh://me@build-box/run/user/1000/docker.sock", None, "ssh://me@build-box/run/user/1000/docker.sock"),
    ("tcp://10.0.0.5:2376", TLS, "tcp://10.0.0.5:2376"),
])
def test_good_urls(url: str, tls: TlsFiles | None, expected: str) -> None:
    assert check_url(url, tls) == expected


@pytest.mark.parametrize("url, tls, why", [
    ("tcp://10.0.0.5:2376", None, "needs TLS client certificates"),
    ("tcp://10.0.0.5", TLS, "say the port"),
    ("tcp://10.0.0.5:99999", TLS, "port"),
    ("tcp://me@10.0.0.5:2376", TLS, "no user name"),
    ("http://10.0.0.5:2375", None, "bad engine URL"),
    ("npipe:////./pipe/docker_engine", None, "bad engine URL"),
    ("unix://relative/docker.sock", None, "absolute path"),
    ("unix:///run/docker.sock", TLS, "tcp:// engines only"),
    ("ssh://me:secret@box", None, "must not hold a password"),
    ("ssh://box", TLS, "tcp:// engines only"),
    ("ssh://", None, "names no host"),
    ("tcp://box:2376/path", TLS, "no path"),
    ("ssh://-oProxyCommand=x", None, "cannot start with '-'"),
    ("ssh://-l@box", None, "cannot start with '-'"),
    ("ssh://box\n-oProxyCommand=x", None, "control characters"),
    ("tcp://10.0.0.5:2376?x=1", TLS, "no query"),
])
def test_bad_urls_say_why(url: str, tls: TlsFiles | None, why: str) -> None:
    with pytest.raises(BadEngine, match=why):
        check_url(url, tls)


@pytest.mark.parametrize("name", ["local", "LOCAL", "", "-x", "Big", "a b", "x" * 41, "é"])
def test_bad_names(name: str) -> None:
    with pytest.raises(BadEngine):
        check_name(name)


def _pem(path: Path, kind: str, extra: str = "") -> str:
    path.write_text(f"-----BEGIN {kind}-----\n{extra}AAAA\n-----END {kind}-----\n")
    return str(path)


def test_add_list_remove_and_what_is_refused(tmp_path: Path) -> None:
    with App(AppContext(), runs_queue=False) as app:
        added = app.engines.add("box", "unix:///tmp/box.sock")
        assert (added.name, added.url, added.tls, added.workspaces) == ("box", "unix:///tmp/box.sock", False, 0)
        with pytest.raises(UserError, match="exists already"):
            app.engines.add("box", "unix:///tmp/other.sock")
        ca, cert = _pem(tmp_path / "ca.pem", "CERTIFICATE"), _pem(tmp_path / "cert.pem", "CERTIFICATE")
        key = _pem(tmp_path / "key.pem", "PRIVATE KEY")
        with pytest.raises(UserError, match="all three"):
            app.engines.add("tls", "tcp://127.0.0.1:2376", ca, cert)
        with pytest.raises(UserError, match="cannot be read"):
            app.engines.add("tls", "tcp://127.0.0.1:2376", ca, cert, str(tmp_path / "missing.pem"))
        (tmp_path / "notpem").write_text("hello")
        with pytest.raises(UserError, match="not a PEM file"):
            app.engines.add("tls", "tcp://127.0.0.1:2376", str(tmp_path / "notpem"), cert, key)
        locked = _pem(tmp_path / "locked.pem", "ENCRYPTED PRIVATE KEY")
        with pytest.raises(UserError, match="passphrase"):
            app.engines.add("tls", "tcp://127.0.0.1:2376", ca, cert, locked)
        assert [e.name for e in app.engines.list()] == ["local", "box"], "a refused add stores nothing"

        tls = app.engines.add("tls", "tcp://127.0.0.1:2376", ca, cert, key)
        assert tls.tls and app.ctx.db.engines.get("tls").tls == TlsFiles(ca, cert, key)
        assert [e.name for e in app.engines.list()] == ["local", "box", "tls"]

        with pytest.raises(UserError, match="cannot be removed"):
            app.engines.remove("local")
        with pytest.raises(UserError, match="no engine"):
            app.engines.remove("nothing")
        app.engines.remove("box")
        assert [e.name for e in app.engines.list()] == ["local", "tls"]


def test_an_engine_with_workspaces_is_not_removed(tmp_path: Path) -> None:
    with App(AppContext(), runs_queue=False) as app:
        app.engines.add("box", "unix:///tmp/box.sock")
        project = tmp_path / "project"
        project.mkdir()
        workspace = app.workspaces.add(WorkspaceSpec("demo", path=str(project)))
        app.ctx.db.workspaces.update(replace(app.ctx.db.workspaces.get(workspace.id), engine="box"))
        with pytest.raises(Conflict, match="1 workspace"):
            app.engines.remove("box")
        assert app.engines.get("box").workspaces == 1


def test_cli_bad_input_is_one_line_exit_2(aicode_home: Path) -> None:
    env = {"AICODE_HOME": str(aicode_home), "AICODE_NO_SERVICE": "1", "PATH": "/usr/bin:/bin"}
    for args in (["add", "local", "unix:///x"], ["add", "box", "tcp://h:2376"], ["add", "box", "ftp://h"],
                 ["rm", "nothing"], ["test", "nothing"]):
        done = subprocess.run([sys.executable, "-m", "desktop.cli", "engine", *args], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    listing = subprocess.run([sys.executable, "-m", "desktop.cli", "engine", "list", "--json"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert '"name": "local"' in listing.stdout and '"box"' not in listing.stdout


def test_import_of_docker_contexts(tmp_path: Path, aicode_home: Path) -> None:
    # Contexts as the docker CLI writes them, in a config folder of the test's own.
    config = tmp_path / "docker-config"
    env = {"AICODE_HOME": str(aicode_home), "AICODE_NO_SERVICE": "1", "PATH": "/usr/bin:/bin",
           "DOCKER_CONFIG": str(config), "HOME": str(tmp_path)}
    # The docker CLI reads the files: a real (self-signed) certificate and key.
    ca, cert, key = (str(tmp_path / n) for n in ("ca.pem", "cert.pem", "key.pem"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=test", "-days", "1", "-keyout", key, "-out", cert], check=True,
                   capture_output=True, timeout=60)
    Path(ca).write_bytes(Path(cert).read_bytes())
    for name, docker in (("Build-Box", f"host=tcp://127.0.0.1:2376,ca={ca},cert={cert},key={key}"),
                         ("bare", "host=tcp://127.0.0.1:2375"), ("sock", "host=unix:///tmp/other.sock")):
        subprocess.run(["docker", "context", "create", name, "--docker", docker], env=env, check=True,
                       capture_output=True, timeout=60)

    def aicode(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop.cli", "engine", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    done = aicode("import")
    assert done.returncode == 0, done.stderr
    assert "Added the engine build-box" in done.stdout and "Added the engine sock" in done.stdout
    assert "Skipped the context bare: a tcp:// engine needs TLS" in done.stdout  # plain TCP is refused
    with App(AppContext(), runs_queue=False) as app:
        spec = app.ctx.db.engines.get("build-box")
        assert spec.url == "tcp://127.0.0.1:2376" and spec.tls is not None
        assert Path(spec.tls.key).read_text() == Path(key).read_text()  # the context's own copy
    again = aicode("import", "sock", "nothing")
    assert "Skipped the context sock: an engine called 'sock' exists already" in again.stdout
    assert "Skipped the context nothing: no such Docker context" in again.stdout
