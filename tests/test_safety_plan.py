"""The safety plan, from the member's side and the lurker's: building it, reading it in the
moment, printing and downloading it, reaching it from every crisis path, and never losing a
word of it (a refused line, an expired form, a full disk, an ended session; a rate limit:
tests/test_ratelimits.py).

Privacy from everyone else's side is in tests/test_safety_plan_privacy.py; reminders in
tests/test_safety_plan_reminders.py; phone numbers in tests/test_safety_plan_numbers.py.
"""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.crisis.resources import seed_crisis_resources
from forum.extensions import db
from forum.models import Draft, Post, SafetyPlan
from forum.safety_plan.services import plan_of
from tests.factories import PASSWORD, make_member
from tests.test_faults import disk_full, sqlite_app

WARNING = "I stop answering messages and sit in the dark"
COPING = "Hot shower, then tea by the window"
HELPER = "My sister Sam: call or text 07700 900123"
CLINIC = "Dr Rivers at the clinic: call 01632 960123"
REASON = "Biscuit, who waits by the door every morning"
PLAN = {
    "warning_signs": WARNING,
    "coping": f"{COPING}\n\n   Walk round the block  \n",
    "distractions": "The café on the high street",
    "helpers": HELPER,
    "professionals": f"Samaritans: call 116 123\nShout: text SHOUT to 85258\n{CLINIC}",
    "safer_surroundings": "Ask Jo to keep my tablets",
    "reasons_for_living": REASON,
}
CRISIS_BODY = "Some nights I just want to die. I don't know who else to tell."


@pytest.fixture
def member(app, login_as):
    with app.app_context():
        make_member("quiet_harbour")
    return login_as("quiet_harbour")


def page_text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def stored_plan(app, handle="quiet_harbour") -> SafetyPlan | None:
    from forum.auth.services import find_member

    with app.app_context():
        plan = plan_of(find_member(handle))
        if plan is not None:
            db.session.expunge(plan)
        return plan


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    assert found, f"no textarea {name}"
    return found.group(1).replace("&#39;", "'").replace("&amp;", "&")


class Links(HTMLParser):
    """Every href and src in a page, with the link texts of tel: and sms: addresses."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.addresses.append(value)


def addresses(page: str) -> list[str]:
    parser = Links()
    parser.feed(page)
    return parser.addresses


# -- building and reading ---------------------------------------------------------------------


def test_a_new_plan_starts_with_the_members_helplines_emergency_services_first(app, member):
    with app.app_context():
        seed_crisis_resources()
        db.session.commit()
    page = page_text(member.get("/safety-plan"))
    assert "My safety plan" in page and "Only you can see your plan." in page
    for number, title in enumerate(
        ["My warning signs", "Things I can do on my own to cope", "My reasons for living"]
    ):
        assert title in page, number
    assert "For example:" in page and "Save my plan" in page
    helplines = textarea(page, "professionals").splitlines()
    assert helplines[0].startswith("Emergency services (24 hours): Call your local emergency")
    assert helplines[1].startswith("Samaritans (24 hours): Call 116 123 (free)")
    assert all(len(line) <= 200 for line in helplines)
    assert textarea(page, "warning_signs") == ""
    assert stored_plan(app) is None  # nothing is kept until they save


def test_another_region_starts_with_its_own_helplines(app, login_as):
    with app.app_context():
        make_member("far_shore").region = "AU"
        db.session.commit()
    page = page_text(login_as("far_shore").get("/safety-plan"))
    helplines = textarea(page, "professionals")
    assert "Lifeline (24 hours): Call 13 11 14" in helplines and "Samaritans" not in helplines


def test_a_member_saves_their_plan_and_reads_it_as_short_lists_with_numbers_to_tap(app, member):
    saved = member.post("/safety-plan/edit", data=PLAN)
    assert saved.status_code == 302 and saved.headers["Location"] == "/safety-plan"
    page = page_text(member.get("/safety-plan"))
    assert "Your plan is saved. Only you can see it." in page
    for line in (WARNING, COPING, "Walk round the block", REASON):
        assert f"<li>{line}</li>" in page
    assert '<a class="plan-number" href="tel:07700900123"' in page
    assert 'href="sms:07700900123"' in page  # "call or text": both
    assert 'href="tel:116123"' in page and 'href="sms:85258"' in page
    assert 'href="tel:01632960123"' in page
    assert "Change my plan" in page and "Print it" in page and "Download it" in page
    assert page.count('<section class="plan-part') == 7
    plan = stored_plan(app)
    assert plan.coping == [COPING, "Walk round the block"]  # blank lines and spaces go
    assert plan.review_every_days is None  # reminders are off until asked for


def test_changing_the_plan_shows_it_as_saved_and_keeps_what_was_removed_out(app, member):
    member.post("/safety-plan/edit", data=PLAN)
    form = page_text(member.get("/safety-plan/edit"))
    assert textarea(form, "helpers") == HELPER
    assert "Emergency services" not in textarea(form, "professionals")  # as they left it
    changed = {**PLAN, "helpers": f"{HELPER}\nMy friend Jo: 07700 900456", "reasons_for_living": ""}
    assert member.post("/safety-plan/edit", data=changed).status_code == 302
    page = page_text(member.get("/safety-plan"))
    assert 'href="tel:07700900456"' in page
    assert REASON not in page and "Nothing here yet." in page
    assert stored_plan(app).reasons_for_living == []


def test_a_member_may_delete_their_plan(app, member):
    member.post("/safety-plan/edit", data=PLAN)
    confirm = page_text(member.get("/safety-plan/delete"))
    assert "Delete my safety plan?" in confirm
    assert member.post("/safety-plan/delete").status_code == 302
    assert "Your safety plan is deleted." in page_text(member.get("/safety-plan"))
    assert stored_plan(app) is None


# -- nothing is lost --------------------------------------------------------------------------


def test_too_many_lines_or_a_long_line_is_refused_beside_its_section_with_every_word_kept(
    app, member
):
    long_line = "I notice I " + "keep going over it " * 12
    sent = {
        **PLAN,
        "coping": "\n".join(f"Idea number {n}" for n in range(1, 23)),
        "reasons_for_living": f"{REASON}\n{long_line}",
    }
    response = member.post("/safety-plan/edit", data=sent)
    page = page_text(response)
    assert response.status_code == 400
    assert "Please keep this to 20 lines or fewer: there are 22." in page
    too_long = len(long_line.strip())
    assert f"Please keep each line to 200 characters or fewer: line 2 has {too_long}." in page
    assert "Idea number 22" in textarea(page, "coping")
    assert textarea(page, "reasons_for_living") == f"{REASON}\n{long_line.strip()}"
    assert textarea(page, "helpers") == HELPER
    assert 'aria-invalid="true"' in page
    assert stored_plan(app) is None


def test_an_expired_form_comes_back_with_every_line(app, member):
    app.config["WTF_CSRF_ENABLED"] = True
    response = member.post("/safety-plan/edit", data={**PLAN, "csrf_token": "expired"})
    page = page_text(response)
    assert response.status_code == 400
    assert "This form expired or could not be checked" in page
    assert textarea(page, "warning_signs") == WARNING
    assert stored_plan(app) is None
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    again = member.post("/safety-plan/edit", data={**PLAN, "csrf_token": token})
    assert again.status_code == 302
    assert stored_plan(app).warning_signs == [WARNING]


def test_a_full_disk_while_saving_shows_every_section_to_send_again(
    tmp_path, migrated_sqlite_template
):
    app, _ = sqlite_app(tmp_path, migrated_sqlite_template)
    with app.app_context():
        make_member("quiet_harbour")
    client = app.test_client()
    client.post("/login", data={"handle": "quiet_harbour", "password": PASSWORD})
    big = {
        key: "\n".join(f"{value.splitlines()[0]} {n} ".ljust(150, ".") for n in range(15))
        for key, value in PLAN.items()
    }
    with disk_full(app):
        response = client.post("/safety-plan/edit", data=big)
    page = page_text(response)
    assert response.status_code == 507
    assert "your text is kept below" in page
    assert '<textarea id="kept-reasons_for_living" name="reasons_for_living"' in page
    assert '<label for="kept-helpers">People I can ask for help</label>' in page
    assert f"{REASON} 14" in page and f"{WARNING} 0" in page
    assert 'action="/safety-plan/edit"' in page
    with app.app_context():
        assert db.session.execute(select(SafetyPlan)).first() is None
    assert client.post("/safety-plan/edit", data=big).status_code == 302  # disk freed


def test_a_plan_sent_after_the_session_ended_comes_back_whole(app, member):
    member.post("/logout")
    response = member.post("/safety-plan/edit", data=PLAN)
    page = page_text(response)
    assert response.status_code == 200
    assert "You were logged out before your plan was saved" in page
    assert textarea(page, "helpers") == HELPER
    assert 'formaction="/safety-plan/edit"' in page  # save it after logging in
    assert 'value="download"' in page  # or keep it now, without an account
    assert stored_plan(app) is None


def test_two_first_saves_leave_one_plan(app, member, login_as):
    other_tab = login_as("quiet_harbour")
    assert member.post("/safety-plan/edit", data=PLAN).status_code == 302
    assert other_tab.post("/safety-plan/edit", data={"coping": "Second tab"}).status_code == 302
    with app.app_context():
        plans = db.session.execute(select(SafetyPlan)).scalars().all()
        assert [plan.coping for plan in plans] == [["Second tab"]]


# -- print and download -----------------------------------------------------------------------


def test_the_print_view_is_the_plan_alone_with_a_print_stylesheet(app, member):
    member.post("/safety-plan/edit", data=PLAN)
    response = member.get("/safety-plan/print")
    page = page_text(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert '<link rel="stylesheet" href="/static/plan.css' in page
    # No forum chrome (search, menus) on paper; on screen the crisis link still leads.
    assert 'role="search"' not in page and 'aria-label="Account"' not in page
    assert 'class="site-header screen-only"' in page and 'href="/crisis"' in page
    assert "use your browser’s Print command" in page
    for line in (WARNING, COPING, REASON):
        assert line in page
    css = app.test_client().get("/static/plan.css").get_data(as_text=True)
    assert "@media print" in css and "column-count: 2" in css


def test_the_download_is_one_self_contained_file_holding_the_plan(app, member):
    member.post("/safety-plan/edit", data=PLAN)
    response = member.get("/safety-plan/download")
    page = page_text(response)
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-safety-plan.html"'
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    for line in (WARNING, COPING, HELPER.split(": ")[0], REASON):
        assert line in page
    assert "<style>" in page and "@media print" in page  # the stylesheet is inside
    assert "<link" not in page and "<script" not in page and "<img" not in page
    assert "url(" not in page and "@import" not in page
    found = addresses(page)
    assert found and all(re.fullmatch(r"(tel|sms):\+?\d+", address) for address in found), found
    assert "tel:07700900123" in found and "sms:85258" in found
    assert "tel:999" in found  # the emergency note under every plan


def test_a_member_without_a_plan_is_sent_to_make_one_from_the_download(app, member):
    assert member.get("/safety-plan/download").headers["Location"] == "/safety-plan"


# -- without an account -----------------------------------------------------------------------


def test_a_lurker_fills_in_the_template_and_prints_it_with_nothing_stored_and_no_cookie(app):
    lurker = app.test_client()
    form = lurker.get("/safety-plan")
    page = page_text(form)
    assert form.status_code == 200 and "Set-Cookie" not in form.headers
    assert "Make a safety plan" in page
    assert "nothing is kept" in page and "no cookie is needed" in page
    assert 'action="/safety-plan/blank"' in page and "csrf_token" not in page
    assert "Emergency services" in textarea(page, "professionals")
    # The same page but for the footer (its language switch comes back to each address).
    main = page.split("<main")[1].split("<footer")[0]
    blank = page_text(lurker.get("/safety-plan/blank"))
    assert blank.split("<main")[1].split("<footer")[0] == main
    printed = lurker.post("/safety-plan/blank", data={**PLAN, "output": "print"})
    text = page_text(printed)
    assert printed.status_code == 200 and "Set-Cookie" not in printed.headers
    assert printed.headers["Cache-Control"] == "no-store"
    assert WARNING in text and 'href="tel:07700900123"' in text
    # The print page carries the words, to download or change them, still without an account.
    assert f'name="helpers" value="{HELPER}"' in text and 'value="edit"' in text
    changed = lurker.post("/safety-plan/blank", data={**PLAN, "output": "edit"})
    assert textarea(page_text(changed), "coping") == f"{COPING}\nWalk round the block"
    with app.app_context():
        assert db.session.execute(select(SafetyPlan)).first() is None


def test_a_lurker_downloads_the_file_built_from_what_they_typed(app):
    response = app.test_client().post("/safety-plan/blank", data={**PLAN, "output": "download"})
    page = page_text(response)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Set-Cookie" not in response.headers
    assert WARNING in page and REASON in page
    assert all(re.fullmatch(r"(tel|sms):\+?\d+", address) for address in addresses(page))


def test_a_lurkers_over_long_line_comes_back_beside_its_section(app):
    response = app.test_client().post(
        "/safety-plan/blank", data={"coping": "x" * 201, "output": "download"}
    )
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers
    assert "line 1 has 201" in page_text(response)


def test_a_lurker_prints_a_blank_sheet_to_fill_in_by_hand(app):
    page = page_text(app.test_client().get("/safety-plan/print"))
    assert "This is a blank plan to fill in by hand." in page
    assert page.count('class="writing-lines"') == 7


def test_editing_needs_an_account_but_the_template_does_not(app):
    lurker = app.test_client()
    assert lurker.get("/safety-plan/edit").headers["Location"].startswith("/login")
    assert lurker.get("/safety-plan/download").headers["Location"] == "/safety-plan"


# -- one tap from every crisis path -----------------------------------------------------------


def test_the_crisis_page_links_to_the_plan_for_everyone(app, member):
    lurker_page = page_text(app.test_client().get("/crisis"))
    assert '<a href="/safety-plan">Make a safety plan</a>' in lurker_page
    assert "no account needed; nothing is stored" in lurker_page
    assert '<a href="/safety-plan">Make a safety plan</a>' in page_text(member.get("/crisis"))
    member.post("/safety-plan/edit", data=PLAN)
    assert '<a href="/safety-plan">Look at my safety plan</a>' in page_text(member.get("/crisis"))


def test_every_page_offers_my_safety_plan_to_a_member_who_has_one(app, member, login_as):
    with app.app_context():
        make_member("someone_else")
    assert "My safety plan" not in page_text(member.get("/"))
    member.post("/safety-plan/edit", data=PLAN)
    for path in ("/", "/b/depression", "/crisis", "/settings", "/no-such-page"):
        page = page_text(member.get(path))
        assert '<a href="/safety-plan"><strong>My safety plan</strong></a>' in page, path
        # In the header, the member's own plan comes first, the helplines beside it.
        help_line = page.split('class="header-help"', 1)[1].split("</div>", 1)[0]
        assert help_line.index("My safety plan") < help_line.index("Need help now?"), path
    assert "My safety plan" not in page_text(login_as("someone_else").get("/"))


def test_the_crisis_step_offers_the_plan_and_keeps_the_post_as_a_draft(app, member):
    step = page_text(
        member.post("/b/depression/new", data={"title": "Tonight", "body": CRISIS_BODY})
    )
    assert 'name="crisis_choice" value="plan">Look at my safety plan</button>' in step
    assert "You don't have one yet" in step
    chosen = member.post(
        "/b/depression/new",
        data={"title": "Tonight", "body": CRISIS_BODY, "crisis_choice": "plan"},
    )
    assert chosen.headers["Location"] == "/safety-plan"
    plan_page = page_text(member.get("/safety-plan"))
    assert "Your words are saved as a draft" in plan_page and "Save my plan" in plan_page
    with app.app_context():
        assert db.session.execute(select(Draft.body)).scalar_one() == CRISIS_BODY
        assert db.session.execute(select(Post)).first() is None
    form = page_text(member.get("/b/depression/new"))
    assert "We kept what you were writing" in form and CRISIS_BODY in form


def test_the_crisis_step_of_a_reply_opens_an_existing_plan(app, member):
    from forum.auth.services import find_member
    from tests.factories import make_thread

    member.post("/safety-plan/edit", data=PLAN)
    with app.app_context():
        thread_id = make_thread(find_member("quiet_harbour")).id
    step = page_text(member.post(f"/t/{thread_id}/reply", data={"body": CRISIS_BODY}))
    assert "Your plan opens" in step
    chosen = member.post(
        f"/t/{thread_id}/reply", data={"body": CRISIS_BODY, "crisis_choice": "plan"}
    )
    assert chosen.headers["Location"] == "/safety-plan"
    assert REASON in page_text(member.get("/safety-plan"))
    reply_form = page_text(member.get(f"/t/{thread_id}/reply"))
    assert CRISIS_BODY in reply_form


def test_a_first_save_that_meets_a_plan_saved_a_moment_before_updates_that_plan(
    db_session, monkeypatch
):
    """Two first saves at the same moment (two workers): the loser's insert meets the unique
    member_id, and its words go into the plan the winner made."""
    from forum.safety_plan import services

    member = make_member("quiet_harbour")
    services.save_plan(member, {"coping": ["The winner's words"]})
    db_session.commit()
    real_plan_of = services.plan_of
    calls = []

    def not_there_yet(who):
        calls.append(who)
        return None if len(calls) == 1 else real_plan_of(who)

    monkeypatch.setattr(services, "plan_of", not_there_yet)
    services.save_plan(member, {"coping": ["The later words"]})
    db_session.commit()
    plans = db_session.execute(select(SafetyPlan)).scalars().all()
    assert [plan.coping for plan in plans] == [["The later words"]]
