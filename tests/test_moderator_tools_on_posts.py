"""Moderators act on any post from its thread page: a "Moderator tools" disclosure per post.

Written from each side: the moderator sees the tools on someone else's post (reported or
not) and uses them as the page offers them, coming back to the post; a lurker then sees what
the action left; members and lurkers never see the tools; a moderator never gets them on
their own post.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from tests.factories import make_reply, make_thread


@dataclass
class Form:
    action: str
    hidden: dict = field(default_factory=dict)
    required: set = field(default_factory=set)
    buttons: list = field(default_factory=list)


class _Forms(HTMLParser):
    """The forms of a piece of page: action, hidden values, required fields, button labels."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._button = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.forms.append(Form(action=values.get("action", "")))
        elif tag == "input" and self.forms and values.get("name"):
            if values.get("type") == "hidden":
                self.forms[-1].hidden[values["name"]] = values.get("value") or ""
            if "required" in values:
                self.forms[-1].required.add(values["name"])
        elif tag == "button" and self.forms:
            self._button = ""

    def handle_data(self, data):
        if self._button is not None:
            self._button += data

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.forms[-1].buttons.append(self._button.strip())
            self._button = None


def post_html(page: str, post_id: int) -> str:
    found = re.search(rf'<article[^>]*id="p{post_id}".*?</article>', page, re.S)
    assert found, f"post {post_id} is not on the page"
    return found.group(0)


def mod_forms(page: str, post_id: int) -> dict[str, Form]:
    """The moderator forms offered on one post, by what they do (hide, remove, warning...)."""
    parser = _Forms()
    parser.feed(post_html(page, post_id))
    return {
        form.action.rsplit("/", 1)[1]: form
        for form in parser.forms
        if form.action.startswith(f"/mod/posts/{post_id}/")
    }


@pytest.fixture
def scene(app, cast):
    with app.app_context():
        author, keeper = cast.account(cast.member), cast.account(cast.moderator)
        thread = make_thread(author, title="Evenings")
        signed = make_reply(author, thread, "Plain words nobody reported")
        anonymous = make_reply(author, thread, "Words under an alias", anonymous=True)
        own = make_reply(keeper, thread, "A moderator's own reply")
        return {
            "thread": f"/t/{thread.id}/{thread.slug}",
            "signed": signed.id,
            "anonymous": anonymous.id,
            "own": own.id,
            "opening": thread.first_post_id,
        }


def test_a_moderator_hides_an_unreported_post_from_its_thread_page(scene, login_as, lurker):
    assert "Plain words nobody reported" in lurker.get(scene["thread"]).get_data(as_text=True)
    keeper = login_as("keeper")
    page = keeper.get(scene["thread"]).get_data(as_text=True)
    assert "Moderator tools" in post_html(page, scene["signed"])
    forms = mod_forms(page, scene["signed"])
    assert {"hide", "remove", "warning"} <= set(forms)
    assert "restore" not in forms and "reveal" not in forms
    hide = forms["hide"]
    assert "reason" in hide.required and "reason" in forms["remove"].required
    assert "csrf_token" in hide.hidden
    assert hide.hidden["next"] == f"{scene['thread']}#p{scene['signed']}"

    done = keeper.post(hide.action, data={**hide.hidden, "reason": "Too raw for now"})
    assert done.status_code == 302
    assert done.headers["Location"] == f"{scene['thread']}#p{scene['signed']}"

    seen = lurker.get(scene["thread"]).get_data(as_text=True)
    assert "Plain words nobody reported" not in seen
    assert "This post was hidden by a moderator." in post_html(seen, scene["signed"])
    again = keeper.get(scene["thread"]).get_data(as_text=True)
    assert "Hidden by a moderator: Too raw for now." in post_html(again, scene["signed"])
    assert set(mod_forms(again, scene["signed"])) == {"message", "remove", "restore", "warning"}


def test_a_moderator_restores_and_removes_from_the_thread_page(scene, login_as, lurker):
    keeper = login_as("keeper")
    post = scene["signed"]
    hide = mod_forms(keeper.get(scene["thread"]).get_data(as_text=True), post)["hide"]
    keeper.post(hide.action, data={**hide.hidden, "reason": "For now"})
    restore = mod_forms(keeper.get(scene["thread"]).get_data(as_text=True), post)["restore"]
    assert "reason" not in restore.required
    keeper.post(restore.action, data=restore.hidden)
    assert "Plain words nobody reported" in lurker.get(scene["thread"]).get_data(as_text=True)
    remove = mod_forms(keeper.get(scene["thread"]).get_data(as_text=True), post)["remove"]
    keeper.post(remove.action, data={**remove.hidden, "reason": "Names a person"})
    seen = post_html(lurker.get(scene["thread"]).get_data(as_text=True), post)
    assert "[removed by a moderator]" in seen and "Plain words" not in seen


def test_reveal_is_offered_on_anonymous_posts_only_and_needs_a_reason(scene, login_as):
    keeper = login_as("keeper")
    page = keeper.get(scene["thread"]).get_data(as_text=True)
    reveal = mod_forms(page, scene["anonymous"])["reveal"]
    assert "reason" in reveal.required and reveal.buttons == ["Reveal the author"]
    assert "reveal" not in mod_forms(page, scene["signed"])
    assert "author_one" not in post_html(page, scene["anonymous"])
    refused = keeper.post(reveal.action, data=reveal.hidden)
    assert refused.status_code == 400
    assert "author_one" not in refused.get_data(as_text=True)
    shown = keeper.post(reveal.action, data={**reveal.hidden, "reason": "Risk to life"})
    assert "author_one" in shown.get_data(as_text=True)


@pytest.mark.parametrize("who", ["author_one", "reader_a", None])
def test_members_and_lurkers_see_no_moderator_tools(app, scene, login_as, who):
    client = login_as(who) if who else app.test_client()
    page = client.get(scene["thread"]).get_data(as_text=True)
    assert "Moderator tools" not in page
    assert "/mod/posts/" not in page


def test_a_moderator_gets_no_tools_on_their_own_post(scene, login_as):
    keeper = login_as("keeper")
    page = keeper.get(scene["thread"]).get_data(as_text=True)
    assert "Moderator tools" not in post_html(page, scene["own"])
    assert mod_forms(page, scene["own"]) == {}
    assert all(mod_forms(page, scene[name]) for name in ("opening", "signed", "anonymous"))
    refused = keeper.post(
        f"/mod/posts/{scene['own']}/warning", data={"content_warning": "grief", "reason": "x"}
    )
    assert refused.status_code == 403


def test_the_tools_carry_a_working_csrf_token(app, scene, login_as, lurker):
    keeper = login_as("keeper")
    app.config["WTF_CSRF_ENABLED"] = True  # after logging in through the form without one
    page = keeper.get(scene["thread"]).get_data(as_text=True)
    hide = mod_forms(page, scene["signed"])["hide"]
    without = {key: value for key, value in hide.hidden.items() if key != "csrf_token"}
    assert keeper.post(hide.action, data={**without, "reason": "x"}).status_code == 400
    assert "Plain words nobody reported" in lurker.get(scene["thread"]).get_data(as_text=True)
    done = keeper.post(hide.action, data={**hide.hidden, "reason": "Too raw"})
    assert done.status_code == 302
    assert "Plain words nobody reported" not in lurker.get(scene["thread"]).get_data(as_text=True)
