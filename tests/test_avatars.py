"""Generated marks (forum/avatars.py): a pure function of the name shown, never of the account
behind it, so one person's aliases look as unrelated as their names."""

import inspect
import random
import string

import pytest

from forum import avatars
from forum.avatars import HUES, PATTERNS, avatar_for, avatar_html, initials_of
from forum.display import Byline
from tests.factories import make_member, make_reply, make_thread


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("caring_reader", "CR"),
        ("first-poster", "FP"),
        ("CalmKeeper", "CK"),
        ("willow", "W"),
        ("WWWWWWWW", "W"),
        ("user123", "U1"),
        ("Anonymous Calm Heron", "CH"),
        ("Anonymous", "A"),
        ("élan_vital", "ÉV"),
        ("___", "?"),
    ],
)
def test_initials_come_from_the_first_two_words_of_the_name(name, initials):
    assert initials_of(name) == initials


def test_the_same_name_always_gives_the_same_mark():
    for name in ("caring_reader", "Anonymous Calm Heron", "W" * 24):
        assert avatar_for(name) == avatar_for(name)
        assert avatar_html(name) == avatar_html(name)


def test_different_names_mostly_give_different_marks():
    chooser = random.Random(17)
    alphabet = string.ascii_lowercase + "_"
    names = {"".join(chooser.choices(alphabet, k=chooser.randint(4, 16))) for _ in range(400)}
    marks = {avatar_for(name) for name in names}
    assert len(marks) / len(names) > 0.85
    assert {mark.hue for mark in marks} == set(range(HUES))
    assert {mark.pattern for mark in marks} == set(range(PATTERNS))


def test_names_with_the_same_initials_are_told_apart_by_colour_or_pattern():
    same_initials = ["calm_river", "cool_rain", "cedar_root", "clear_rise", "cosy_rest"]
    marks = {(avatar_for(name).hue, avatar_for(name).pattern) for name in same_initials}
    assert len(marks) >= 4


def test_a_mark_is_computed_from_the_name_alone():
    assert list(inspect.signature(avatar_for).parameters) == ["name"]
    assert list(inspect.signature(avatar_html).parameters) == ["name", "anonymous", "large"]
    assert "forum.models" not in inspect.getsource(avatars)


def test_the_mark_is_decorative_and_escapes_the_name():
    html = str(avatar_html("<b>x</b>"))
    assert html.startswith('<span class="av av-') and 'aria-hidden="true"' in html
    assert "<b>" not in html
    assert avatar_html(None) == "" and avatar_html("") == ""


def test_an_aliass_mark_depends_on_its_name_only_not_on_who_wrote_it(app):
    """Whoever wrote it, an anonymous byline is the mark of its alias name beside that name:
    nothing else goes into it (so one member's two aliases differ only as their names do)."""
    from flask import render_template_string

    with app.app_context(), app.test_request_context():
        bea, cal = make_member("bea_writes"), make_member("cal_writes")
        first, second = make_thread(bea, title="One"), make_thread(bea, title="Two")
        own = [make_reply(bea, thread, "quiet", anonymous=True) for thread in (first, second)]
        other = make_reply(cal, second, "also quiet", anonymous=True)
        template = '{% from "_macros.html" import byline %}{{ byline(b) }}'

        def shown(name):
            return render_template_string(template, b=Byline(name, None, is_anonymous=True))

        for post in (*own, other):
            assert shown(post.alias.name) == (
                f"{avatar_html(post.alias.name, anonymous=True)}"
                f'<span class="byline anonymous">{post.alias.name}</span>'
            )
