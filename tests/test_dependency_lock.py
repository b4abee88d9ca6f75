"""requirements.lock, which `make audit` checks against PyPI's vulnerability data, pins every
package the forum declares, exactly, in versions the declarations allow, and is what this
environment runs (so the audited versions are the tested ones)."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPOSITORY = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def locked() -> dict[str, str]:
    pins = {}
    for line in (REPOSITORY / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        found = PIN.match(line.strip())
        assert found, f"not an exact pin: {line!r}"
        pins[canonicalize_name(found.group(1))] = found.group(2)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + sum(
        (project["optional-dependencies"][extra] for extra in ("test", "postgres")), []
    )
    return [Requirement(line) for line in lines]


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = locked()
    assert "pip-audit" in pins  # the audit tool is itself a locked test dependency
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{name} is declared in pyproject.toml but not in requirements.lock (make lock)"
        )
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}"
        )


def test_the_environment_runs_the_locked_versions():
    mismatched = {}
    for name, pinned in locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            mismatched[name] = (pinned, installed)
    assert not mismatched, (
        f"installed versions differ from requirements.lock (pinned, installed): {mismatched}; "
        "run `make lock` after an intended upgrade"
    )


# --- scripts/audit_lock.py, against a stand-in for PyPI's JSON API on 127.0.0.1 -------------

FAKE_PYPI = {
    "/pypi/clean/json": {"info": {"version": "2.0"}, "vulnerabilities": []},
    "/pypi/holey/json": {"info": {"version": "1.0"}, "vulnerabilities": [{"id": "PYSEC-1"}]},
    "/pypi/old/json": {"info": {"version": "9.0", "requires_python": ">=3.12"}},
}


@pytest.fixture
def fake_pypi(monkeypatch):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import scripts.audit_lock as audit

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            found = FAKE_PYPI.get(self.path)
            self.send_response(200 if found else 404)
            self.end_headers()
            self.wfile.write(json.dumps(found or {}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(audit, "PYPI", f"http://127.0.0.1:{server.server_port}/pypi")
    yield audit
    server.shutdown()
    server.server_close()


def run_audit(audit, tmp_path, capsys, lines, *flags):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# header\n" + "\n".join(lines) + "\n")
    status = audit.main(["--lock", str(lock), *flags])
    return status, capsys.readouterr().out


def test_the_audit_passes_a_lock_whose_newest_pins_have_no_known_vulnerability(
    fake_pypi, tmp_path, capsys
):
    status, out = run_audit(fake_pypi, tmp_path, capsys, ["clean==2.0"])
    assert status == 0
    assert "1 pins: 1 ok; known vulnerabilities: 0" in out


def test_the_audit_fails_on_a_known_vulnerability_and_names_it(fake_pypi, tmp_path, capsys):
    status, out = run_audit(fake_pypi, tmp_path, capsys, ["clean==2.0", "holey==1.0"])
    assert status == 1
    assert "vulnerable holey==1.0: PYSEC-1" in out


def test_the_audit_fails_when_it_could_not_look_a_package_up(fake_pypi, tmp_path, capsys):
    status, out = run_audit(fake_pypi, tmp_path, capsys, ["nowhere==1.0"])
    assert status == 1
    assert "error" in out and "nowhere==1.0" in out


def test_a_pin_behind_the_newest_release_is_named_and_fails_only_when_strict(
    fake_pypi, tmp_path, capsys
):
    status, out = run_audit(fake_pypi, tmp_path, capsys, ["old==1.0"])
    assert status == 0
    assert "behind     old==1.0: newest is 9.0 (Python >=3.12)" in out
    strict_status, _ = run_audit(fake_pypi, tmp_path, capsys, ["old==1.0"], "--strict")
    assert strict_status == 1
