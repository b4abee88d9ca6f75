"""The stylesheets are right-to-left ready: logical properties (margin-inline-start,
inset-inline-end, text-align: start...) instead of left and right, so a right-to-left
language mirrors the layout without a second stylesheet."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"
SHEETS = ("style.css", "plan.css")

# Properties and values that name a physical side.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)\b"
    r"|(?<![\w-])(?:left|right)\s*:"
    r"|(?<![\w-])(?:float|clear|text-align|justify-self|caption-side)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|\bto (?:left|right)\b"
    r"|translateX\(\s*-?[1-9]"
)
# A shorthand with four values whose second (right) and fourth (left) differ.
FOUR_SIDES = re.compile(r"(?<![\w-])(margin|padding|inset|border-width)\s*:\s*([^;{}]+);")


def declarations(sheet: str):
    """(line number, text) of each declaration outside comments and :dir() rules."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), sheet, flags=re.S)
    for number, line in enumerate(text.splitlines(), 1):
        if ":dir(" in line:  # a rule written for one direction on purpose
            continue
        yield number, line


@pytest.mark.parametrize("name", SHEETS)
def test_stylesheet_uses_logical_properties_not_left_and_right(name):
    sheet = (STATIC / name).read_text(encoding="utf-8")
    physical = [
        f"{name}:{number}: {line.strip()}"
        for number, line in declarations(sheet)
        if PHYSICAL.search(line)
    ]
    for number, line in declarations(sheet):
        for match in FOUR_SIDES.finditer(line):
            values = match.group(2).split()
            if len(values) == 4 and values[1] != values[3]:
                physical.append(f"{name}:{number}: {match.group(0)} (right and left differ)")
    assert not physical, "physical left/right in the stylesheet:\n" + "\n".join(physical)


def test_the_check_finds_physical_properties():
    """The check itself: each physical form is found, the logical ones are not."""
    found = [
        line
        for _, line in declarations(
            "a { margin-left: 1px; }\nb { right: 0; }\nc { text-align: left; }\n"
            "d { float: right; }\ne { padding: 0 1px 0 2px; }\nf { margin-inline-start: 1px; }\n"
            "g { text-align: start; }\nh { inset-inline-end: 0; }\n"
        )
        if PHYSICAL.search(line)
        or any(
            len(m.group(2).split()) == 4 and m.group(2).split()[1] != m.group(2).split()[3]
            for m in FOUR_SIDES.finditer(line)
        )
    ]
    assert [line[0] for line in found] == ["a", "b", "c", "d", "e"]
