"""Check every pin of requirements.lock against PyPI's known-vulnerability data.

PyPI publishes known vulnerabilities (from the PyPA advisory database, the same data
pip-audit's ``pypi`` service reads) in its JSON API. pip-audit asks the per-release address
(``/pypi/NAME/VERSION/json``), which this network does not serve; the per-project address
(``/pypi/NAME/json``) is served and lists the vulnerabilities of the project's newest
release. So:

- a pin that IS the newest release is audited exactly: any vulnerability listed fails;
- a pin behind the newest release is audited through the per-release address when that
  answers, and otherwise reported as "behind" (refresh the lock: see lock_requirements.py);
  with ``--strict`` such a pin fails the audit instead of being waved through;
- a project PyPI cannot tell us about (network down, unknown name) always fails: an audit
  that could not look is not a clean audit.

Exit status: 0 clean, 1 vulnerabilities or unaudited pins, 2 the lock could not be read.
"""

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
PYPI = "https://pypi.org/pypi"
TIMEOUT = 30


def read_pins(path: Path) -> list[tuple[str, str]]:
    pins = []
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins.append((match.group(1), match.group(2)))
    return pins


def fetch(url: str) -> dict | None:
    """The JSON at ``url``; None for a 404; raises on anything else."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - fixed https host
            return json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def audit_pin(name: str, version: str) -> tuple[str, str, list[str]]:
    """(outcome, detail, vulnerability ids) for one pin; outcome is ok, vulnerable,
    behind or error."""
    try:
        project = fetch(f"{PYPI}/{name}/json")
        if project is None:
            return "error", "not found on PyPI", []
        newest = project["info"]["version"]
        if newest == version:
            listed = project.get("vulnerabilities") or []
        else:
            release = fetch(f"{PYPI}/{name}/{version}/json")
            if release is None:
                needs = project["info"].get("requires_python")
                newest_note = f"newest is {newest}" + (f" (Python {needs})" if needs else "")
                return "behind", f"{newest_note}; this release cannot be looked up here", []
            listed = release.get("vulnerabilities") or []
    except (OSError, ValueError, KeyError) as error:
        return "error", f"could not ask PyPI: {error}", []
    ids = [vulnerability.get("id", "?") for vulnerability in listed]
    return ("vulnerable", ", ".join(ids), ids) if ids else ("ok", "", [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--strict", action="store_true", help="a pin that cannot be audited fails")
    options = parser.parse_args(argv)
    try:
        pins = read_pins(options.lock)
    except OSError as error:
        print(f"audit: cannot read {options.lock}: {error}", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda pin: (*pin, *audit_pin(*pin)), pins))
    counts: dict[str, int] = {}
    for name, version, outcome, detail, _ids in results:
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome != "ok":
            print(f"audit: {outcome:10} {name}=={version}: {detail}")
    failing = counts.get("vulnerable", 0) + counts.get("error", 0)
    if options.strict:
        failing += counts.get("behind", 0)
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
    print(
        f"audit: {len(pins)} pins: {summary}; known vulnerabilities: {counts.get('vulnerable', 0)}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
