"""Write requirements.lock: every package the forum needs, pinned to the installed version.

Starts from pyproject.toml's dependencies and its ``test`` and ``postgres`` extras (what
`make test` installs), walks every dependency's own requirements,
evaluating environment markers for this interpreter, and pins each one to the version
installed in this environment. `make audit` checks exactly these pins against the PyPI
vulnerability service, so what is audited is what the tests ran against.

Refresh after changing dependencies or upgrading the environment:

    .venv/bin/python -m pip install --upgrade -e '.[test,postgres]'
    .venv/bin/python scripts/lock_requirements.py
    make audit
"""

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

EXTRAS = ("test", "postgres")
REPOSITORY = Path(__file__).resolve().parents[1]
LOCK = REPOSITORY / "requirements.lock"
HEADER = """\
# Exact versions of everything the forum and its tests use (generated; do not edit by hand).
# Refresh: .venv/bin/python scripts/lock_requirements.py   Audit: make audit
"""


def wanted(requirement: Requirement, extras: tuple[str, ...]) -> bool:
    """Whether ``requirement`` applies here, for a package installed with ``extras``."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras or ("",))


def declared() -> list[Requirement]:
    """The forum's own requirements from pyproject.toml, with the extras the tests use."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def resolve() -> dict[str, str]:
    """Canonical name -> installed version, for the forum's whole dependency tree."""
    pins: dict[str, str] = {}
    queue = [(r.name, tuple(sorted(r.extras))) for r in declared() if wanted(r, ())]
    seen = set()
    while queue:
        name, extras = queue.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            sys.exit(f"{name} is required but not installed: pip install -e '.[test,postgres]'")
        pins[canonicalize_name(name)] = dist.version
        for line in dist.requires or []:
            requirement = Requirement(line)
            if wanted(requirement, extras):
                queue.append((requirement.name, tuple(sorted(requirement.extras))))
    return pins


def main() -> None:
    pins = resolve()
    lines = [f"{name}=={version}" for name, version in sorted(pins.items())]
    LOCK.write_text(HEADER + "\n".join(lines) + "\n")
    print(f"{LOCK.name}: {len(lines)} pinned package(s).")


if __name__ == "__main__":
    main()
