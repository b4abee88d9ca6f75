"""A form posted twice makes one post: the hidden submission key of new-thread and reply
forms (a double click, a retry after a lost response, two workers at the same moment)."""

import re
import threading

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Thread
from tests.factories import PASSWORD, make_member, make_thread

KEY = "k" * 24


def key_in(html: str) -> str:
    match = re.search(r'name="submission_key"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="submission_key"', html
    )
    assert match, "the form carries no submission key"
    return match.group(1)


def posts_with(app, body: str) -> list[Post]:
    with app.app_context():
        return db.session.execute(select(Post).filter_by(body_source=body)).scalars().all()


def setup_thread(app, *handles):
    with app.app_context():
        members = [make_member(handle) for handle in handles]
        return make_thread(members[0]).id


def test_each_form_shows_a_fresh_key(app, login_as):
    thread_id = setup_thread(app, "river_stone")
    client = login_as("river_stone")
    first = key_in(client.get(f"/t/{thread_id}/reply").get_data(as_text=True))
    second = key_in(client.get(f"/t/{thread_id}").get_data(as_text=True))
    third = key_in(client.get("/b/anxiety/new").get_data(as_text=True))
    assert len({first, second, third}) == 3
    assert len(first) >= 16


def test_a_reply_sent_again_after_success_lands_once(app, login_as):
    thread_id = setup_thread(app, "river_stone")
    client = login_as("river_stone")
    key = key_in(client.get(f"/t/{thread_id}/reply").get_data(as_text=True))
    data = {"body": "Said once, sent twice.", "submission_key": key}
    first = client.post(f"/t/{thread_id}/reply", data=data)
    second = client.post(f"/t/{thread_id}/reply", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    posts = posts_with(app, "Said once, sent twice.")
    assert len(posts) == 1
    assert first.headers["Location"] == f"/p/{posts[0].id}"
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert page.count("Said once, sent twice.") == 1
    assert key not in page
    with app.app_context():
        assert db.session.get(Thread, thread_id).reply_count == 1


def test_a_new_thread_sent_again_opens_one_thread(app, login_as):
    setup_thread(app, "river_stone")
    client = login_as("river_stone")
    data = {"title": "Sent twice", "body": "Only one of me.", "submission_key": KEY}
    first = client.post("/b/anxiety/new", data=data)
    second = client.post("/b/anxiety/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(posts_with(app, "Only one of me.")) == 1
    board = client.get("/b/anxiety").get_data(as_text=True)
    assert board.count("Sent twice") == 1


def test_the_key_survives_a_validation_error_and_the_fixed_form_posts_once(app, login_as):
    setup_thread(app, "river_stone")
    client = login_as("river_stone")
    shown = key_in(client.get("/b/anxiety/new").get_data(as_text=True))
    refused = client.post(
        "/b/anxiety/new", data={"title": "Hi", "body": "Kept text.", "submission_key": shown}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Titles are 3 to 150 characters long." in html
    assert key_in(html) == shown
    fixed = {"title": "Hi there", "body": "Kept text.", "submission_key": shown}
    assert client.post("/b/anxiety/new", data=fixed).status_code == 302
    assert client.post("/b/anxiety/new", data=fixed).status_code == 302
    assert len(posts_with(app, "Kept text.")) == 1


def test_the_key_is_carried_through_the_privacy_step(app, login_as):
    thread_id = setup_thread(app, "river_stone")
    client = login_as("river_stone")
    body = "Text me on +44 7700 900123 if you want to talk."
    step = client.post(f"/t/{thread_id}/reply", data={"body": body, "submission_key": KEY})
    html = step.get_data(as_text=True)
    assert "Post it anyway" in html
    assert key_in(html) == KEY
    anyway = {"body": body, "submission_key": KEY, "privacy_choice": "post"}
    first = client.post(f"/t/{thread_id}/reply", data=anyway)
    second = client.post(f"/t/{thread_id}/reply", data=anyway)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(posts_with(app, body)) == 1


def test_another_members_same_key_is_their_own_post(app, login_as):
    thread_id = setup_thread(app, "river_stone", "quiet_fern")
    for handle in ("river_stone", "quiet_fern"):
        client = login_as(handle)
        data = {"body": f"From {handle}.", "submission_key": KEY}
        assert client.post(f"/t/{thread_id}/reply", data=data).status_code == 302
    assert len(posts_with(app, "From river_stone.")) == 1
    assert len(posts_with(app, "From quiet_fern.")) == 1


def test_an_anonymous_reply_sent_twice_lands_once(app, login_as):
    thread_id = setup_thread(app, "river_stone", "quiet_fern")
    client = login_as("quiet_fern")
    data = {"body": "Nobody knows it is me.", "anonymous": "y", "submission_key": KEY}
    first = client.post(f"/t/{thread_id}/reply", data=data)
    second = client.post(f"/t/{thread_id}/reply", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(posts_with(app, "Nobody knows it is me.")) == 1


def submit_at_once(app, url: str, data: dict, handle: str = "river_stone", clients: int = 2):
    """POST the same form from ``clients`` logged-in sessions of ``handle`` at the same moment
    (a double click reaching two workers); returns the responses. Any exception fails."""
    sessions = [app.test_client() for _ in range(clients)]
    for session in sessions:
        session.post("/login", data={"handle": handle, "password": PASSWORD})
    barrier = threading.Barrier(clients)
    answers, errors = [], []

    def submit(session):
        barrier.wait()
        try:
            answers.append(session.post(url, data=data))
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            errors.append(repr(error))

    workers = [threading.Thread(target=submit, args=(session,)) for session in sessions]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    assert len(answers) == clients
    return answers


def test_two_identical_submits_at_the_same_moment_make_one_post(app):
    thread_id = setup_thread(app, "river_stone")
    answers = submit_at_once(
        app, f"/t/{thread_id}/reply", {"body": "Double click.", "submission_key": KEY}
    )
    locations = [(answer.status_code, answer.headers.get("Location")) for answer in answers]
    posts = posts_with(app, "Double click.")
    assert len(posts) == 1
    assert locations == [(302, f"/p/{posts[0].id}")] * 2
    with app.app_context():
        total = db.session.execute(
            select(func.count(Post.id)).filter_by(submission_key=KEY)
        ).scalar()
        assert total == 1
        assert db.session.get(Thread, thread_id).reply_count == 1


def private_threads(app) -> list[Thread]:
    with app.app_context():
        return db.session.execute(select(Thread).filter_by(is_private=True)).scalars().all()


CRISIS_WORDS = "Some nights I just want to die and I can't say it anywhere else."


def test_sending_the_crisis_step_to_the_moderators_twice_opens_one_private_thread(app, login_as):
    thread_id = setup_thread(app, "river_stone")
    client = login_as("river_stone")
    for url, data in (
        ("/b/anxiety/new", {"title": "Tonight", "body": CRISIS_WORDS, "submission_key": KEY}),
        (f"/t/{thread_id}/reply", {"body": CRISIS_WORDS + " Again.", "submission_key": "r" * 24}),
    ):
        data["crisis_choice"] = "moderators"
        first = client.post(url, data=data)
        second = client.post(url, data=data)
        assert first.status_code == second.status_code == 302
        again = client.get(second.headers["Location"], follow_redirects=True)
        assert client.get(first.headers["Location"]).request.path == again.request.path
    threads = private_threads(app)
    assert len(threads) == 2
    with app.app_context():
        assert db.session.execute(select(func.count(Post.id))).scalar() == 1 + 2


def test_the_private_thread_form_sent_twice_at_once_opens_one_thread(app, login_as):
    setup_thread(app, "river_stone")
    key = key_in(login_as("river_stone").get("/private/new").get_data(as_text=True))
    data = {"body": "Can someone check in on me?", "submission_key": key}
    answers = submit_at_once(app, "/private/new", data)
    threads = private_threads(app)
    assert len(threads) == 1
    assert [a.status_code for a in answers] == [302, 302]
    assert {a.headers["Location"] for a in answers} == {f"/t/{threads[0].id}/{threads[0].slug}"}
    page = login_as("river_stone").get(answers[0].headers["Location"]).get_data(as_text=True)
    assert page.count("Can someone check in on me?") == 1


def test_an_edit_sent_to_the_moderators_twice_opens_one_private_thread(app, login_as):
    thread_id = setup_thread(app, "river_stone")
    client = login_as("river_stone")
    with app.app_context():
        post_id = db.session.get(Thread, thread_id).first_post.id
    key = key_in(client.get(f"/p/{post_id}/edit").get_data(as_text=True))
    data = {"body": CRISIS_WORDS, "crisis_choice": "moderators", "submission_key": key}
    first = client.post(f"/p/{post_id}/edit", data=data)
    second = client.post(f"/p/{post_id}/edit", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(private_threads(app)) == 1
