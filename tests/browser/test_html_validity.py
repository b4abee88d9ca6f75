"""Valid HTML: the Nu Html Checker (vnu.jar) finds no error on any page type, as any person.

The pages are the ones tests/browser/a11y_pages.py serves to a lurker, a member, a moderator
and an admin (forms submitted with errors included), as the server sent them. vnu.jar is
installed by ``make vnu-deps`` into .venv/vnu and run with the machine's java; the test skips,
saying so, when either is missing.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.a11y_pages import ROLES, each_role_page, pages_for, seed

pytestmark = pytest.mark.browser

VNU_JAR = (
    Path(__file__).resolve().parents[2]
    / ".venv"
    / "vnu"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)


def vnu_errors(files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (one java run for all of them)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("the Nu Html Checker needs java, which is not installed: make vnu-deps")
    if not VNU_JAR.exists():
        pytest.skip(f"the Nu Html Checker is not installed at {VNU_JAR}: make vnu-deps")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]


def test_every_page_type_for_every_role_is_valid_html(app, live_server, browser, tmp_path):
    seeded = seed(app)
    files = []
    for role, name, _, response in each_role_page(browser, live_server, seeded):
        slug = re.sub(r"[^a-z0-9]+", "-", f"{role} {name}".lower()).strip("-")
        path = tmp_path / f"{slug}.html"
        path.write_bytes(response.body())
        files.append(path)
    assert len(files) == sum(len(pages_for(role)) for role in ROLES)
    errors = vnu_errors(files)
    found = [
        f"{Path(m['url']).stem} line {m.get('lastLine')}: {m['message']} :: {m.get('extract', '')}"
        for m in errors
    ]
    assert not found, "the Nu Html Checker found errors:\n" + "\n".join(found)


def test_the_checker_finds_an_error_when_there_is_one(tmp_path):
    """The check above can fail: a planted aria-label on a plain div is reported."""
    page = tmp_path / "planted.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title><div aria-label="x">y</div></html>'
    )
    assert any("aria-label" in m["message"] for m in vnu_errors([page]))
