"""A member's safety plan is theirs alone, seen from everyone else's side.

* No one else reaches it: another member, a moderator and an admin get 404 at every address
  that could name someone's plan, and the plan routes show each person only their own.
* Non-interference: two forums, the same script, differing only in whether one member keeps
  a plan (saved, changed, a reminder chosen and left, downloaded, printed). Everything every
  other person gets (status, redirect, page, ETag) is the same in both, and the plan's words
  are in none of it: pages, search, feeds, notifications, the moderation queue and log, the
  admin area.
* Its words never reach a log line, through a real server, whatever happens to the save.
* The member's export holds it; deleting the account deletes it.
"""

import json
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.auth.services import find_member
from forum.extensions import db
from forum.models import SafetyPlan, SiteVersion, utcnow
from forum.safety_plan.services import leave_due_reminders, plan_of
from tests.factories import PASSWORD, make_member, make_reply, make_thread
from tests.stress import harness
from tests.test_anonymity_noninterference import World
from tests.test_logging_privacy import assert_no_canaries, post_form, served  # noqa: F401

CANARY_SIGN = "Canary warning sign Qv37 the kettle ritual"
CANARY_REASON = "Canary reason Mz82 my grandmother's garden"
CANARY_HELPER = "Canary helper Wl59 aunt Rosalind"
CANARY_NUMBER = "07700 900871"
PLAN = {
    "warning_signs": CANARY_SIGN,
    "coping": "Walk to the pond",
    "helpers": f"{CANARY_HELPER}: call {CANARY_NUMBER}",
    "professionals": "Samaritans: call 116 123",
    "reasons_for_living": CANARY_REASON,
}
CANARIES = (CANARY_SIGN, CANARY_REASON, CANARY_HELPER, CANARY_NUMBER, "Qv37", "Mz82", "Wl59")
OWNER = "plan_keeper"
OTHERS = ("ann_other", "keeper_mod", "head_admin")


def assert_no_plan_words(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary.lower() not in text.lower(), f"{canary!r} is in {where}"


# -- nobody else reaches it --------------------------------------------------------------------


def guessed_addresses(owner_id: int) -> list[str]:
    """Every way someone might try to name another member's plan."""
    return [
        f"/safety-plan/{owner_id}",
        "/safety-plan/1",
        f"/safety-plan/{OWNER}",
        f"/safety-plan/{owner_id}/print",
        f"/safety-plan/{owner_id}/download",
        f"/u/{OWNER}/safety-plan",
        f"/u/{OWNER}/plan",
        "/admin/safety-plans",
        f"/admin/safety-plans/{owner_id}",
        f"/admin/members/{OWNER}",
        "/mod/safety-plans",
        f"/mod/users/{OWNER}/safety-plan",
        f"/settings/export/{owner_id}",
    ]


def test_no_one_else_can_reach_a_members_plan(app, login_as):
    with app.app_context():
        owner_id = make_member(OWNER).id
        make_member("ann_other")
        make_member("keeper_mod", role="moderator")
        make_member("head_admin", role="admin")
    owner = login_as(OWNER)
    assert owner.post("/safety-plan/edit", data=PLAN).status_code == 302
    assert CANARY_REASON in owner.get("/safety-plan").get_data(as_text=True).replace("&#39;", "'")
    for handle in OTHERS:
        person = login_as(handle)
        for path in guessed_addresses(owner_id):
            for method in ("GET", "POST"):
                answer = person.open(path, method=method)
                # The staff areas turn a member away (403) before looking at anything.
                staff_area = handle == "ann_other" and path.startswith(("/mod/", "/admin/"))
                allowed = {404, 405} | ({403} if staff_area else set())
                assert answer.status_code in allowed, (handle, method, path)
                assert_no_plan_words(answer.get_data(as_text=True), f"{handle} {method} {path}")
        # The real routes, even asked about the owner, show the person their own (no plan).
        for path in ("/safety-plan", "/safety-plan/print", "/safety-plan/edit"):
            for query in ("", f"?member={owner_id}", f"?handle={OWNER}", f"?id={owner_id}"):
                answer = person.get(path + query)
                assert answer.status_code == 200, (handle, path + query)
                assert_no_plan_words(answer.get_data(as_text=True), f"{handle} {path}{query}")
        download = person.get(f"/safety-plan/download?member={owner_id}")
        assert download.headers["Location"] == "/safety-plan"
        export = person.get("/settings/export").get_data(as_text=True)
        assert json.loads(export)["safety_plan"] is None
        assert_no_plan_words(export, f"{handle}'s export")


def test_saving_a_plan_changes_no_public_content(app, login_as):
    with app.app_context():
        make_member(OWNER)
        before = db.session.get(SiteVersion, 1).version
    assert login_as(OWNER).post("/safety-plan/edit", data=PLAN).status_code == 302
    with app.app_context():
        assert db.session.get(SiteVersion, 1).version == before


# -- non-interference ------------------------------------------------------------------------


def build(world: World) -> None:
    with world.app.app_context():
        owner = make_member(OWNER)
        ann = make_member("ann_other")
        make_member("keeper_mod", role="moderator")
        make_member("head_admin", role="admin")
        thread = make_thread(owner, title="Small steps this week", body="I walked to the pond.")
        make_reply(ann, thread, "That sounds like a good day.")
        world.ids["thread"] = thread.id
        world.ids["owner"] = owner.id


def observed_pages(world: World, who) -> list[str]:
    thread = world.ids["thread"]
    pages = [
        "/",
        "/b/depression",
        f"/t/{thread}",
        f"/u/{OWNER}",
        "/crisis",
        "/feed.atom",
        "/b/depression/feed.atom",
        f"/t/{thread}/feed.atom",
        "/search?q=kettle+ritual",
        "/search?q=grandmother",
        "/search?q=safety+plan",
        f"/search?q=pond&author={OWNER}",
        "/safety-plan",
        "/safety-plan/print",
        "/safety-plan/download",
        "/safety-plan/edit",
        "/safety-plan/blank",
        *guessed_addresses(world.ids["owner"]),
    ]
    if who is None:
        return pages
    pages += ["/notifications", "/settings", "/settings/export", "/drafts"]
    if who in ("keeper_mod", "head_admin"):
        tabs = ("reports", "held", "private", "appeals", "resolved")
        pages += [*(f"/mod?tab={tab}" for tab in tabs), "/mod/log", f"/mod/log?member={OWNER}"]
    if who == "head_admin":
        pages += ["/admin", "/admin/crisis"]
    return pages


def everyone_looks(world: World, transcript: list) -> None:
    for who in (*OTHERS, None):
        for path in observed_pages(world, who):
            response = world.client(who).get(path)
            transcript.append(
                (
                    who,
                    path,
                    response.status_code,
                    response.headers.get("ETag"),
                    response.headers.get("Content-Disposition"),
                    world.normalise(response),
                )
            )


def keep_a_plan(world: World, runner) -> None:
    """Everything the owner can do with a plan, in the world where they keep one."""
    owner = world.client(OWNER)
    assert owner.post("/safety-plan/edit", data=PLAN).status_code == 302
    assert owner.post("/safety-plan/reminder", data={"review_every": "30"}).status_code == 302
    with world.app.app_context():
        plan_of(find_member(OWNER)).remind_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Left 1 reminder(s)" in runner.invoke(args=["reminders", "send"]).output
    for path in ("/safety-plan", "/safety-plan/print", "/safety-plan/download", "/notifications"):
        assert owner.get(path).status_code == 200, path
    assert "Mz82" in owner.get("/safety-plan").get_data(as_text=True)  # the words are there
    changed = {**PLAN, "coping": "Walk to the pond\nRing the bell at the temple"}
    assert owner.post("/safety-plan/edit", data=changed).status_code == 302
    owner.post("/safety-plan/blank", data={**PLAN, "output": "download"})


def run_world(fresh_app, with_plan: bool) -> list:
    """What every other person got, twice: before and after the owner kept a plan (or not).

    An ETag is a digest of its page, times included, so two worlds built a moment apart never
    share one: what is compared is whether each page's ETag stayed the same from the first
    look to the second (a plan must not bump the content version of the lurkers' cache).
    """
    before: list = []
    after: list = []
    with fresh_app() as app:
        world = World(app=app, author=OWNER)
        build(world)
        world.client(OWNER)  # logged in in both worlds
        everyone_looks(world, before)
        if with_plan:
            keep_a_plan(world, app.test_cli_runner())
            with app.app_context():
                assert db.session.execute(select(SafetyPlan)).scalar_one().coping[1]
        everyone_looks(world, after)
        with app.app_context():
            assert leave_due_reminders(utcnow() + timedelta(days=100)) == int(with_plan)
    return [
        (*first[:3], first[3] is not None, first[3] == second[3], *first[4:])
        for first, second in zip(before, after, strict=True)
    ] + [(*second[:3], second[3] is not None, None, *second[4:]) for second in after]


@pytest.fixture
def fresh_app(request):
    from tests.conftest import new_app

    return lambda: new_app(request)


def test_nothing_anyone_else_sees_depends_on_a_members_plan(fresh_app, caplog):
    caplog.set_level(logging.DEBUG)
    with_plan = run_world(fresh_app, with_plan=True)
    without = run_world(fresh_app, with_plan=False)
    assert len(with_plan) == len(without) > 250
    for one, other in zip(with_plan, without, strict=True):
        assert_no_plan_words(one[6], f"{one[0]} {one[1]}")
        assert one[:6] == other[:6], f"{one} with a plan, {other} without"[:400]
        assert one[6] == other[6], f"{one[0]} GET {one[1]} differs when a member keeps a plan"
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert_no_plan_words(log, "the log")
    # A guard: the observers really did look where a plan might show.
    assert any(etag and same for _, _, _, etag, same, *_ in with_plan)  # cached pages kept
    looked = {(who, path) for who, path, *_ in with_plan}
    assert ("head_admin", "/admin") in looked and ("keeper_mod", "/mod/log") in looked
    assert (None, "/search?q=kettle+ritual") in looked


# -- logs ----------------------------------------------------------------------------------------


def test_plan_words_reach_no_log_line_whatever_happens_to_the_save(app, served, caplog, capfd):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        make_member(OWNER)
    member = harness.Browser(served)
    assert member.login(OWNER, PASSWORD).status == 302
    saved = post_form(member, "/safety-plan/edit", PLAN)
    assert saved.status == 302, saved.text
    refused = post_form(member, "/safety-plan/edit", {**PLAN, "coping": CANARY_SIGN * 8})
    assert refused.status == 400 and "line 1 has" in refused.text
    expired = member.request("/safety-plan/edit", {**PLAN, "csrf_token": "stale"})
    assert expired.status == 400 and "Qv37" in expired.text
    assert "Mz82" in member.request("/safety-plan").text
    assert member.request("/safety-plan/download").status == 200
    lurker = harness.Browser(served)
    for output in ("print", "download", "edit"):
        answer = lurker.request("/safety-plan/blank", {**PLAN, "output": output})
        assert answer.status == 200 and "Qv37" in answer.text, output
    crossed = lurker.request(
        "/safety-plan/blank", {**PLAN, "output": "print"}, headers={"Origin": "https://x.example"}
    )
    assert crossed.status == 400
    output = "\n".join(f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records)
    output = re.sub(r"\x1b\[[0-9;]*m", "", output)
    captured = capfd.readouterr()
    everything = output + captured.out + captured.err
    assert_no_plan_words(everything, "the log")
    assert_no_canaries(everything)
    assert '"POST /safety-plan/edit HTTP/1.1" 302' in output  # the capture sees requests
    assert '"POST /safety-plan/blank HTTP/1.1" 200' in output


# -- the member's data ---------------------------------------------------------------------------


def test_the_export_holds_the_plan_and_deleting_the_account_deletes_it(app, login_as):
    with app.app_context():
        make_member(OWNER)
    owner = login_as(OWNER)
    owner.post("/safety-plan/edit", data=PLAN)
    owner.post("/safety-plan/reminder", data={"review_every": "60"})
    exported = json.loads(owner.get("/settings/export").get_data(as_text=True))["safety_plan"]
    assert exported["sections"]["reasons_for_living"] == [CANARY_REASON]
    assert exported["sections"]["helpers"] == [f"{CANARY_HELPER}: call {CANARY_NUMBER}"]
    assert exported["sections"]["distractions"] == []
    assert exported["review_every_days"] == 60
    assert exported["updated_at"].endswith("+00:00")
    gone = owner.post("/settings/delete", data={"password": PASSWORD, "posts": "remove"})
    assert gone.status_code == 302
    with app.app_context():
        assert db.session.execute(select(SafetyPlan)).first() is None
