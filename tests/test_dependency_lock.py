"""requirements.lock, which `make audit` checks against PyPI's vulnerability data, pins every
package the forum declares, exactly, in versions the declarations allow, and is what this
environment runs (so the audited versions are the tested ones)."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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
