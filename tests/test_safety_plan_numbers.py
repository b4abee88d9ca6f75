"""Numbers in a safety plan become tel: and sms: links, and nothing else ever becomes a link.

A table of the lines people write and the shipped helplines, then a property over any text at
all: the parts always give back the line, and every address in the rendered HTML is ``tel:``
or ``sms:`` followed by digits (a "+" may lead).
"""

import re
from html.parser import HTMLParser

import pytest
from flask import get_template_attribute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.crisis.resources import shipped_resources
from forum.safety_plan.numbers import linked_parts
from forum.safety_plan.services import resource_line

ADDRESS = re.compile(r"(tel|sms):\+?\d{3,15}")


def links(line: str) -> list[tuple[str, str | None, str | None]]:
    return [(part.text, part.tel, part.sms) for part in linked_parts(line) if part.tel or part.sms]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Samaritans: Call 116 123 (free)", [("116 123", "116123", None)]),
        ("Shout: Text SHOUT to 85258 (free).", [("85258", None, "85258")]),
        ("Call or text 988, or chat at 988lifeline.org.", [("988", "988", "988")]),
        (
            "Call 13 11 14 or text 0477 13 11 14.",
            [("13 11 14", "131114", None), ("0477 13 11 14", None, "0477131114")],
        ),
        ("call 1-800-668-6868", [("1-800-668-6868", "18006686868", None)]),
        ("My sister Sam 07700 900123", [("07700 900123", "07700900123", None)]),
        ("Mum +44 (0)20 7946 0958", [("+44 (0)20 7946 0958", "+442079460958", None)]),
        ("(555) 123-4567 my friend", [("(555) 123-4567", "5551234567", None)]),
        ("Dial 999 or 112", [("999", "999", None), ("112", "112", None)]),
        ("Jo on WhatsApp: 07700 900456", [("07700 900456", None, "07700900456")]),
        # Short numbers count only after a word that says to call or text them.
        ("I walk 10 000 steps a day", []),
        ("Born in 2019, my daughter", []),
        ("1737, Need to talk?: Call or text 1737 (free).", [("1737", "1737", "1737")]),
        # Digits inside words, addresses and over-long runs are not numbers.
        ("email jo@samaritans.org or visit 988lifeline.org", []),
        ("9-8-8 (24 hours): Call or text 988. 988.ca", [("988", "988", "988")]),
        ("visit 1737.org.nz or www.116123.example/116123 or 3.14159", []),
        ("order ref AB123456 please", []),
        ("call 1234567890123456789", []),
        ("", []),
    ],
)
def test_numbers_are_found_and_addressed_as_people_write_them(line, expected):
    assert links(line) == expected
    assert "".join(part.text for part in linked_parts(line)) == line


def test_every_shipped_helpline_has_a_number_to_tap(app):
    with app.app_context():
        for resource in shipped_resources():
            if resource.name == "Find A Helpline":
                continue  # a directory: a web address, no number
            line = resource_line(resource)
            assert len(line) <= 200, line
            assert links(line), line


class Addresses(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.found += [value for name, value in attrs if name in ("href", "src")]


def rendered(app, line: str) -> str:
    with app.test_request_context():
        return str(
            get_template_attribute("safety_plan/_plan.html", "plan_line")(linked_parts(line))
        )


LINE_TEXT = st.text(
    alphabet=st.sampled_from(list("0123456789 +-()") + list("abc:/.<>\"'&=#")) | st.characters(),
    max_size=200,
)


# The app only renders a template here: nothing in it changes between examples.
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=LINE_TEXT)
def test_any_text_becomes_only_tel_and_sms_links_and_loses_nothing(app, line):
    parts = linked_parts(line)
    assert "".join(part.text for part in parts) == line
    for part in parts:
        for address in (part.tel, part.sms):
            assert address is None or re.fullmatch(r"\+?\d{3,15}", address), address
    parser = Addresses()
    parser.feed(rendered(app, line))
    assert parser.tags <= {"a"}, parser.tags
    assert all(ADDRESS.fullmatch(address) for address in parser.found), parser.found


def test_hostile_text_around_a_number_is_shown_as_text(app):
    html = rendered(app, '<script>alert(1)</script> call 07700 900123 "><img src=x>')
    assert "&lt;script&gt;" in html and "<img" not in html
    assert 'href="tel:07700900123"' in html
