"""Privacy by default: no IP addresses kept, nothing personal in logs, no third-party
requests from any page."""

import logging
from html.parser import HTMLParser

from sqlalchemy import inspect, select, text

from forum.extensions import db
from forum.models import Post, Thread
from tests.factories import PASSWORD, make_member, make_reply, make_thread

ADDRESS = "203.0.113.77"
SECRET_BODY = "zebra-lantern-4471 is what I never told anyone"
SECRET_PASSWORD = "violet umbrella midnight 88"


def journey(app):
    """Register, post, reply, react, report, block, log out and in: from one address."""
    environ = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": ADDRESS}
    client = app.test_client()
    client.post(
        "/register",
        data={
            "handle": "private_person",
            "password": SECRET_PASSWORD,
            "password_confirm": SECRET_PASSWORD,
            "accept_guidelines": "y",
        },
        environ_base=environ,
    )
    client.post(
        "/b/depression/new",
        data={"title": "Quiet words", "body": SECRET_BODY},
        environ_base=environ,
    )
    with app.app_context():
        other = make_member("other_person")
        thread = db.session.execute(select(Thread)).scalars().first()
        reply = make_reply(other, thread, "A reply to react to")
        reply_id, thread_id = reply.id, thread.id
    client.post(
        f"/t/{thread_id}/reply",
        data={"body": SECRET_BODY + " again", "anonymous": "y"},
        environ_base=environ,
    )
    client.post(f"/p/{reply_id}/react", data={"kind": "support"}, environ_base=environ)
    client.post(
        f"/p/{reply_id}/report", data={"reason": "other", "details": "test"}, environ_base=environ
    )
    client.post("/u/other_person/block", environ_base=environ)
    client.post("/logout", environ_base=environ)
    client.post(
        "/login",
        data={"handle": "private_person", "password": SECRET_PASSWORD},
        environ_base=environ,
    )
    return client


def test_no_table_has_a_column_for_addresses(app):
    with app.app_context():
        inspector = inspect(db.engine)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                name = column["name"].lower()
                assert "ip" not in name.split("_") and "addr" not in name, (table, name)


def test_no_row_anywhere_holds_the_address_after_a_journey(app):
    journey(app)
    with app.app_context():
        assert db.session.execute(select(Post)).first() is not None
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(text(f"SELECT * FROM {table.name}")).all():  # noqa: S608
                assert ADDRESS not in " ".join(str(value) for value in row), table.name


def test_logs_never_hold_bodies_passwords_or_cookies(app, caplog):
    @app.post("/explode")
    def explode():
        raise RuntimeError("something broke")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    caplog.set_level(logging.DEBUG)
    client = journey(app)
    cookie = client.get_cookie("session").value
    client.post("/explode", data={"body": SECRET_BODY, "password": SECRET_PASSWORD})
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "Exception on /explode" in logged  # the error itself is logged
    for secret in (SECRET_BODY, "zebra-lantern", SECRET_PASSWORD, cookie):
        assert secret not in logged


class AssetCollector(HTMLParser):
    """Collects what a page would load: scripts, styles, images, fonts, frames, media."""

    LOADING = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "frame": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
        "track": "src",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.LOADING and attributes.get(self.LOADING[tag]):
            self.urls.append(attributes[self.LOADING[tag]])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])
        if attributes.get("style") and "url(" in attributes["style"]:
            self.urls.append(attributes["style"])


def every_page(app, login_as):
    with app.app_context():
        author = make_member("page_author")
        make_member("keeper", role="moderator")
        make_member("head", role="admin")
        thread = make_thread(
            author,
            body="A post with a [link](https://example.org/page) "
            "and ![image](https://tracker.example/pixel.png)",
        )
        reply = make_reply(make_member("someone_else"), thread, "reply")
        ids = {"thread": thread.id, "post": reply.id}
    urls = [
        "/",
        "/b/depression",
        f"/t/{ids['thread']}",
        "/u/page_author",
        "/guidelines",
        "/crisis",
        "/login",
        "/register",
        "/recover",
        "/nowhere",
        "/robots.txt",
    ]
    member_urls = [
        "/settings",
        "/notices",
        "/settings/password",
        "/settings/delete",
        "/settings/recovery",
        f"/t/{ids['thread']}/reply?parent_id={ids['post']}",
        f"/p/{ids['post']}/report",
        "/b/depression/new",
        "/private/new",
    ]
    staff_urls = ["/mod", "/mod/log", "/waiting", "/admin", "/admin/crisis"]
    pages = [app.test_client().get(url) for url in urls]
    author_client = login_as("page_author")
    pages += [author_client.get(url) for url in member_urls]
    pages += [author_client.get(f"/p/{thread_opening(app, ids['thread'])}/edit")]
    pages += [login_as("head").get(url) for url in staff_urls]
    return pages


def thread_opening(app, thread_id: int) -> int:
    with app.app_context():
        return db.session.get(Thread, thread_id).first_post_id


def test_no_page_loads_anything_from_another_site(app, login_as):
    pages = every_page(app, login_as)
    statuses = [(page.request.path, page.status_code) for page in pages]
    assert all(status in (200, 404) for _, status in statuses), statuses
    for page in pages:
        collector = AssetCollector()
        collector.feed(page.get_data(as_text=True))
        for url in collector.urls:
            assert url.startswith("/") and not url.startswith("//"), (page.request.path, url)
    assert "tracker.example" not in pages[2].get_data(as_text=True).split("<img")[0] or all(
        "<img" not in page.get_data(as_text=True) for page in pages
    )


def test_the_stylesheet_and_script_load_nothing_from_elsewhere(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    script = client.get("/static/js/reactions.js").get_data(as_text=True)
    assert "url(" not in css and "@import" not in css
    assert "http" not in script


def test_passwords_never_appear_in_the_database(app):
    journey(app)
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(text(f"SELECT * FROM {table.name}")).all():  # noqa: S608
                assert SECRET_PASSWORD not in " ".join(str(value) for value in row)
    assert PASSWORD  # the factory password is separate from the journey's
