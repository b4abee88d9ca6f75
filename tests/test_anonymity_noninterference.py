"""Anonymity as non-interference: nobody who has not revealed it can tell who wrote an
anonymous post.

Two forums are built and driven by the same script. They differ in one secret only: which of
two members in the same standing (``bea`` or ``cal``) wrote one anonymous reply. Every person
who is not that author (a member who blocks and is blocked, another member, two moderators
who hide, restore, decide an appeal and write to the author privately without a reveal, a
lurker) makes the same requests in
both forums, and every answer they get (status, redirect target and page, with only random
tokens, times and the random alias names, with the marks generated from them, normalised)
must be the same. Any view, button,
notice, feed, search result, error or audit-log filter that depends on the author fails it.

Add a step here when a feature adds something a person can do to or see of a post.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.avatars import avatar_html
from forum.extensions import db
from forum.models import ModerationEvent, Post, Thread, ThreadAlias
from tests.factories import PASSWORD, make_member, make_reply, make_thread

SECRET_TEXT = "Lighthouse keeper words, said quietly"
POSSIBLE_AUTHORS = ("bea", "cal")
OBSERVERS = ("ann", "dee", "keeper", "warden", None)  # None: a lurker
# Random per request, or numbered across the whole forum: a notice's number counts every
# notice written for anyone, including those a block kept from the anonymous author (see the
# README's anonymity limits).
TOKENS = (
    (r'(name="(csrf_token|submission_key)"[^>]*value=")[^"]*"', r'\1TOKEN"'),
    (r'(value=")[^"]*("[^>]*name="(csrf_token|submission_key)")', r"\1TOKEN\2"),
    (r"/notifications/\d+", "/notifications/N"),
)


@dataclass
class World:
    """One forum and what each observer was answered, in order."""

    app: object
    author: str
    ids: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    transcript: list = field(default_factory=list)

    def client(self, who):
        if who not in self.clients:
            client = self.app.test_client()
            if who is not None:
                response = client.post("/login", data={"handle": who, "password": PASSWORD})
                assert response.status_code == 302, who
            self.clients[who] = client
        return self.clients[who]

    def request(self, who, method, path, data=None, *, record=True):
        response = self.client(who).open(path, method=method, data=data)
        if record:
            self.transcript.append(
                (who, method, path, response.status_code, self.normalise(response))
            )
        return response

    def look(self, who, paths):
        for path in paths:
            self.request(who, "GET", path)

    def normalise(self, response) -> str:
        text = response.get_data(as_text=True)
        location = response.headers.get("Location", "")
        for number, name in enumerate(self.alias_names()):
            # An alias's generated mark (forum/avatars.py) is a function of its random name
            # alone, so it is normalised with the name: a mark that depended on anything else
            # (the account behind the alias) would not match here and would differ.
            text = text.replace(str(avatar_html(name, anonymous=True)), f"AVATAR{number}")
            text = text.replace(name, f"ALIAS{number}")
        text = re.sub(r'<time datetime="[^"]*" title="[^"]*">[^<]*</time>', "<time/>", text)
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "TIME", text)
        for pattern, replacement in TOKENS:
            text = re.sub(pattern, replacement, text)
        return f"{location}\n{text}"

    def alias_names(self) -> list[str]:
        with self.app.app_context():
            return list(
                db.session.execute(select(ThreadAlias.name).order_by(ThreadAlias.id)).scalars()
            )


def build(world: World) -> None:
    """Members, boards and threads, identical in both forums but for the secret."""
    with world.app.app_context():
        ann, bea, cal, dee = (make_member(h) for h in ("ann", "bea", "cal", "dee"))
        make_member("keeper", role="moderator")
        make_member("warden", role="moderator")
        opening = make_thread(ann, title="Evenings are long", body="How do you get through?")
        ids = world.ids
        ids["thread"] = opening.id
        ids["opening"] = opening.first_post_id
        ids["bea_signed"] = make_reply(bea, opening, "Tea and a walk help me.").id
        ids["cal_signed"] = make_reply(cal, opening, "Writing it down helps me.").id
        author = bea if world.author == "bea" else cal
        secret = make_reply(author, opening, f"{SECRET_TEXT} @ann", anonymous=True)
        ids["secret"] = secret.id
        bea_thread = make_thread(bea, title="Bea's mornings")
        cal_thread = make_thread(cal, title="Cal's mornings")
        ids["bea_thread"], ids["cal_thread"] = bea_thread.id, cal_thread.id
        ids["dee_signed"] = make_reply(dee, opening, "Same here.").id
        # The secret's author also answers Bea's thread anonymously: whether that is Bea
        # answering herself must not show (the waiting list, "answered" threads).
        ids["second_secret"] = make_reply(author, bea_thread, "Quiet company", anonymous=True).id
        # Old enough for the waiting list (FORUM_UNANSWERED_HOURS).
        for thread in db.session.execute(select(Thread)).scalars():
            thread.created_at -= timedelta(days=1)
        db.session.commit()


def pages(world: World, who) -> list[str]:
    ids = world.ids
    common = [
        "/",
        "/b/depression",
        f"/t/{ids['thread']}",
        f"/t/{ids['bea_thread']}",
        f"/t/{ids['cal_thread']}",
        f"/p/{ids['secret']}",
        "/u/bea",
        "/u/cal",
        "/u/ann",
        "/feed.atom",
        "/b/depression/feed.atom",
        f"/t/{ids['thread']}/feed.atom",
        "/search?q=lighthouse",
        "/search?q=lighthouse&author=bea",
        "/search?q=lighthouse&author=cal",
    ]
    if "conversation" in ids:
        # The moderators' private conversation with the anonymous post's author.
        common.append(f"/t/{ids['conversation']}")
    if who is None:
        return common
    member = [
        "/notifications",
        "/private",
        "/settings",
        f"/t/{ids['thread']}/reply?parent_id={ids['secret']}",
        f"/p/{ids['secret']}/block",
        f"/p/{ids['secret']}/report",
    ]
    if who in ("keeper", "warden"):
        member += [
            "/waiting",
            *(f"/mod?tab={tab}" for tab in ("reports", "held", "private", "appeals", "resolved")),
            "/mod/log",
            *(f"/mod/log?member={handle}" for handle in ("bea", "cal", "ann", "dee")),
            *(
                f"/mod/log?action={action}"
                for action in ("hide", "restore", "appeal_granted", "message")
            ),
            "/mod/log?moderator=keeper",
        ]
    return common + member


def everyone_looks(world: World) -> None:
    for who in OBSERVERS:
        world.look(who, pages(world, who))


def as_the_author(world: World, method: str, path: str, data=None):
    """The secret's author acts: their own answers are not compared (they know)."""
    return world.request(world.author, method, path, data, record=False)


def run_script(world: World) -> None:
    ids = world.ids
    secret, thread = ids["secret"], ids["thread"]
    everyone_looks(world)
    # Blocks by handle, both ways, then from the anonymous post.
    for handle in POSSIBLE_AUTHORS:
        world.request("ann", "POST", f"/u/{handle}/block")
        everyone_looks(world)
        world.request("ann", "POST", f"/u/{handle}/unblock")
    for blocker in POSSIBLE_AUTHORS:
        world.request(blocker, "POST", "/u/ann/block", record=False)
        world.look("ann", pages(world, "ann"))
        world.request("ann", "POST", f"/p/{secret}/react", {"kind": "support"})
        world.request("ann", "POST", f"/p/{secret}/react", {"kind": "support"})
        world.request(
            "ann", "POST", f"/t/{thread}/reply", {"body": "Thank you", "parent_id": secret}
        )
        world.request(blocker, "POST", "/u/ann/unblock", record=False)
    world.request("ann", "POST", f"/p/{secret}/block")
    everyone_looks(world)
    # Reactions and a reply from another member, then a report and moderation.
    world.request("dee", "POST", f"/p/{secret}/react", {"kind": "me-too"})
    world.request("dee", "POST", f"/t/{thread}/reply", {"body": "Me too", "parent_id": secret})
    world.request("dee", "POST", f"/p/{secret}/report", {"reason": "harassment", "details": "x"})
    everyone_looks(world)
    world.request("keeper", "POST", f"/mod/posts/{secret}/hide", {"reason": "Too raw for now"})
    everyone_looks(world)
    # The author appeals; the other moderator grants it without a reveal.
    with world.app.app_context():
        event_id = db.session.execute(
            select(ModerationEvent.id).filter_by(post_id=secret, action="hide")
        ).scalar_one()
    as_the_author(world, "POST", f"/appeal/{event_id}", {"text": "Please look again"})
    everyone_looks(world)
    with world.app.app_context():
        from forum.models import Appeal

        appeal_id = db.session.execute(select(Appeal.id)).scalar_one()
    world.request("warden", "POST", f"/mod/appeals/{appeal_id}/grant", {"reason": "Fair point"})
    world.request("keeper", "POST", f"/mod/posts/{secret}/hide", {"reason": "Again"})
    world.request("warden", "POST", f"/mod/posts/{secret}/restore", {"reason": "On reflection"})
    # A content warning from the post's own "Moderator tools" on the thread page.
    world.request(
        "keeper",
        "POST",
        f"/mod/posts/{secret}/warning",
        {"content_warning": "grief", "reason": "Heavy", "next": f"/t/{thread}#p{secret}"},
    )
    # A moderator writes to the post's author privately; the author answers in the
    # conversation (as the post's alias), and the other moderator follows up.
    sent = world.request(
        "keeper", "POST", f"/mod/posts/{secret}/message", {"body": "How are you tonight?"}
    )
    ids["conversation"] = int(sent.headers["Location"].split("/t/")[1].split("/")[0])
    everyone_looks(world)
    conversation = ids["conversation"]
    as_the_author(world, "POST", f"/t/{conversation}/reply", {"body": "Better, thank you"})
    everyone_looks(world)
    world.request("warden", "POST", f"/t/{conversation}/reply", {"body": "We are here."})
    # The author edits; everyone looks one last time.
    as_the_author(world, "POST", f"/p/{secret}/edit", {"body": f"{SECRET_TEXT}, edited"})
    everyone_looks(world)


@pytest.fixture
def fresh_app(request):
    """A new forum on an empty database for each world (see tests/conftest.py)."""
    from tests.conftest import new_app

    return lambda: new_app(request)


def test_nothing_anyone_sees_depends_on_who_wrote_an_anonymous_post(fresh_app):
    transcripts = []
    for author in POSSIBLE_AUTHORS:
        with fresh_app() as app:
            world = World(app=app, author=author)
            build(world)
            run_script(world)
            with app.app_context():
                post = db.session.get(Post, world.ids["secret"])
                assert post.author.handle == author and post.is_anonymous
            transcripts.append(world.transcript)
    first, second = transcripts
    assert len(first) == len(second) > 500
    for one, other in zip(first, second, strict=True):
        assert one[:4] == other[:4], f"{one[:3]}: status {one[3]} with bea, {other[3]} with cal"
        if one[4] != other[4]:
            diff = _first_difference(one[4], other[4])
            pytest.fail(f"{one[0]} {one[1]} {one[2]} differs by author:\n{diff}")


def test_the_script_sees_what_it_should(fresh_app):
    """A guard against a test that cannot fail: the secret is on the pages the script reads,
    the block and the hide took effect, and the reveal is the one way to the author."""
    with fresh_app() as app:
        world = World(app=app, author="bea")
        build(world)
        run_script(world)
        seen = {(who, path): text for who, method, path, status, text in world.transcript}
        thread_page = seen[(None, f"/t/{world.ids['thread']}")]
        assert "ALIAS0" in thread_page and "edited" in thread_page
        assert "Content warning: " in thread_page  # set from the post's moderator tools
        assert "collapsed by your settings" in seen[("ann", f"/t/{world.ids['thread']}")]
        assert "ALIAS0" in seen[("keeper", "/mod/log")]
        assert "bea" not in seen[("keeper", "/mod/log")].split("<tbody>")[1]
        conversation = seen[("keeper", f"/t/{world.ids['conversation']}")]
        assert "How are you tonight?" in conversation and "Better, thank you" in conversation
        assert "Private conversation between the moderators and" in conversation
        assert "ALIAS0" in conversation.split('class="private-banner"')[1].split("</div>")[0]
        assert "Better, thank you" in seen[("warden", "/mod?tab=private")]
        assert "ALIAS0" in seen[("warden", "/mod/log?action=message")]
        status = {(who, path): code for who, method, path, code, text in world.transcript}
        for other in ("ann", "dee", None):
            assert status[(other, f"/t/{world.ids['conversation']}")] == 404
        author = world.client("bea").get(f"/t/{world.ids['conversation']}")
        assert "We are here." in author.get_data(as_text=True)
        keeper = world.client("keeper")
        keeper.post(f"/mod/posts/{world.ids['secret']}/reveal", data={"reason": "Risk to life"})
        log = keeper.get("/mod/log").get_data(as_text=True)
        assert "member bea" in log
        assert "member bea" in keeper.get("/mod/log?member=bea").get_data(as_text=True)
        assert keeper.get("/mod/log?member=bea").get_data(as_text=True).count("<tr>") == 2


def _first_difference(one: str, other: str) -> str:
    for line_one, line_other in zip(one.splitlines(), other.splitlines(), strict=False):
        if line_one != line_other:
            return f"  with bea: {line_one.strip()[:300]}\n  with cal: {line_other.strip()[:300]}"
    return "  (one page is longer)"
