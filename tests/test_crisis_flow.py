"""Crisis words get a calm response, never silence; the privacy nudge; private threads;
drafts that keep what someone wrote."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Draft, ModerationItem, Post, Thread
from tests.factories import make_member, make_thread

CRISIS_BODY = "Some nights I just want to die. I don't know who else to tell."


@pytest.fixture
def writer(app, login_as):
    with app.app_context():
        make_member("night_writer")
        make_member("keeper", role="moderator")
    return login_as("night_writer")


def start(client, body=CRISIS_BODY, **extra):
    return client.post("/b/depression/new", data={"title": "Tonight", "body": body, **extra})


def test_crisis_words_show_a_calm_interstitial_before_anything_is_published(app, writer, lurker):
    page = start(writer).get_data(as_text=True)
    assert "you are not alone" in page
    assert "Emergency services" in page  # ways to reach help now, for the region
    for choice in ("post", "moderators", "draft", "edit"):
        assert f'name="crisis_choice" value="{choice}"' in page
    assert f'value="{CRISIS_BODY.replace(chr(39), "&#39;")}"' in page  # the words are carried
    with app.app_context():
        assert db.session.execute(select(Post)).first() is None
    assert "Tonight" not in lurker.get("/b/depression").get_data(as_text=True)


def test_post_it_publishes_as_usual_and_puts_it_at_the_top_of_the_queue(
    app, writer, lurker, login_as
):
    response = start(writer, crisis_choice="post")
    assert response.status_code == 302
    thread = lurker.get("/b/depression").get_data(as_text=True)
    assert "Tonight" in thread
    with app.app_context():
        post_id = db.session.execute(select(Post.id)).scalar_one()
    page = lurker.get(f"/p/{post_id}", follow_redirects=True).get_data(as_text=True)
    assert "I just want to die" in page.replace("&#39;", "'")
    assert "risk" not in page.lower().split("<main")[1].split("</main>")[0]  # not flagged to others
    queue = login_as("keeper").get("/mod").get_data(as_text=True)
    assert "Possible risk to someone — automatic" in queue
    with app.app_context():
        item = db.session.execute(select(ModerationItem)).scalar_one()
        assert item.automatic and item.rank == 0


def test_go_back_and_edit_returns_the_form_with_every_word(app, writer):
    page = start(writer, crisis_choice="edit", content_warning="suicide")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Some nights I just want to die." in text.replace("&#39;", "'")
    assert 'value="Tonight"' in text
    assert '<option selected value="suicide">' in text


def test_save_as_draft_keeps_the_words_and_shows_help(app, writer):
    response = start(writer, crisis_choice="draft")
    assert response.headers["Location"] == "/crisis"
    help_page = writer.get("/crisis").get_data(as_text=True)
    assert "Your words are saved as a draft" in help_page
    form = writer.get("/b/depression/new").get_data(as_text=True)
    assert "We kept what you were writing" in form
    assert "Some nights I just want to die." in form.replace("&#39;", "'")
    with app.app_context():
        assert db.session.execute(select(Draft.place)).scalar_one() == "new:depression"


def test_send_it_to_the_moderators_only_opens_a_private_thread(app, writer, lurker, login_as):
    response = start(writer, crisis_choice="moderators")
    thread_url = response.headers["Location"]
    own = writer.get(thread_url).get_data(as_text=True)
    assert "Some nights I just want to die." in own.replace("&#39;", "'")
    assert lurker.get(thread_url).status_code == 404
    assert login_as("keeper").get(thread_url).status_code == 200
    assert "Tonight" not in lurker.get("/b/depression").get_data(as_text=True)
    assert "Tonight" not in lurker.get("/u/night_writer").get_data(as_text=True)
    queue = login_as("keeper").get("/mod?tab=private").get_data(as_text=True)
    assert "Private thread" in queue


def test_a_moderator_answers_privately_and_the_member_is_told(app, writer, login_as):
    thread_url = start(writer, crisis_choice="moderators").headers["Location"]
    with app.app_context():
        thread_id = db.session.execute(select(Thread.id)).scalar_one()
    keeper = login_as("keeper")
    keeper.post(f"/t/{thread_id}/reply", data={"body": "I'm here. Would you like to talk?"})
    assert "A moderator replied to you privately." in writer.get("/notices").get_data(as_text=True)
    assert "Would you like to talk?" in writer.get(thread_url).get_data(as_text=True)


def test_talk_to_a_moderator_privately_from_a_board_or_the_crisis_page(app, writer):
    assert "/private/new?board=depression" in writer.get("/b/depression").get_data(as_text=True)
    assert "/private/new" in writer.get("/crisis").get_data(as_text=True)
    response = writer.post("/private/new?board=anxiety", data={"body": "Can we talk?"})
    page = writer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Can we talk?" in page and "Talking to the moderators" in page


def test_replies_and_edits_meet_the_interstitial_too(app, writer):
    with app.app_context():
        thread_id = make_thread(make_member("opener")).id
    reply = writer.post(f"/t/{thread_id}/reply", data={"body": "I want to end my life"})
    assert "you are not alone" in reply.get_data(as_text=True)
    writer.post(f"/t/{thread_id}/reply", data={"body": "A calm reply"})
    with app.app_context():
        post_id = db.session.execute(select(Post.id).filter_by(body_source="A calm reply")).scalar()
    edit = writer.post(f"/p/{post_id}/edit", data={"body": "I keep thinking about self-harm"})
    assert "you are not alone" in edit.get_data(as_text=True)


def test_ordinary_words_go_straight_through(app, writer):
    assert start(writer, body="A hard week, but I went for a walk.").status_code == 302


def test_identifying_details_get_a_privacy_nudge_and_a_choice(app, writer):
    body = "Call me on 07700 900123 if you want to talk."
    page = start(writer, body=body, anonymous="y").get_data(as_text=True)
    assert "a privacy check" in page
    assert "<mark>07700 900123</mark>" in page
    assert "could undo your anonymity" in page
    edited = start(writer, body=body, anonymous="y", privacy_choice="edit")
    assert body in edited.get_data(as_text=True)
    posted = start(writer, body=body, anonymous="y", privacy_choice="post")
    assert posted.status_code == 302


def test_crisis_words_and_details_meet_both_steps_in_turn(app, writer):
    body = "I want to die. My name is Sarah Jones."
    first = start(writer, body=body).get_data(as_text=True)
    assert "you are not alone" in first
    second = start(writer, body=body, crisis_choice="post").get_data(as_text=True)
    assert "a privacy check" in second
    assert 'name="crisis_choice" value="post"' in second
    assert start(writer, body=body, crisis_choice="post", privacy_choice="post").status_code == 302
