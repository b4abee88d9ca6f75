"""A form field sent as a file part is refused with a 400 page on every POST route, never a 500.

The forum accepts no uploads anywhere, but anyone can send a multipart body in which
``handle``, ``body`` or ``password`` is a file: Flask-WTF then hands the field a file object
where it expects text. Every POST route of the URL map (ids of real objects from the
authorization matrix's world, sent by a person the matrix lets in) gets a file part under
every field name any form or view reads, one at a time.
"""

import importlib
import pkgutil
from io import BytesIO

import pytest

import forum
from forum.forms import ForumForm
from tests.factories import PASSWORD, make_member
from tests.test_authorization_matrix import (
    ROUTES,
    STAFF_ENDPOINTS,
    build_world,
    clients,
    every_rule,
    expected,
    url_states,
)

POST_ROUTES = [key for key in ROUTES if key[1] == "POST"]
# Who sends each route: the first of these the matrix lets in, so the form is really read.
SENDERS = ("lurker", "owner", "other", "moderator", "admin")
# Fields some views read from request.form themselves, besides the forms' own.
VIEW_FIELDS = {"csrf_token", "direction", "kind", "place", "next", "save_draft", "body", "title"}
VIEW_FIELDS |= {"output"}  # the blank safety plan's print or download button
REFUSED = "Something in that request wasn&#39;t right"


def field_names() -> list[str]:
    """Every field name of every form class in forum/, and those the views read."""
    for module in pkgutil.walk_packages(forum.__path__, "forum."):
        importlib.import_module(module.name)
    names, pending = set(VIEW_FIELDS), [ForumForm]
    while pending:
        for form_class in pending.pop().__subclasses__():
            pending.append(form_class)
            names.update(
                name
                for name in dir(form_class)
                if hasattr(getattr(form_class, name), "field_class")
            )
    return sorted(names)


def sender_of(key) -> str:
    endpoint, _ = key
    for person in SENDERS:
        if expected(ROUTES[key], person, "visible", endpoint in STAFF_ENDPOINTS) == "ok":
            return person
    return "lurker"


def test_every_post_route_of_the_url_map_is_sent_file_parts(app):
    posted = {(rule.endpoint, method) for rule, method in every_rule(app) if method == "POST"}
    assert posted == set(POST_ROUTES)
    assert {"handle", "password", "body", "title", "reason", "details"} <= set(field_names())


@pytest.mark.parametrize("key", POST_ROUTES, ids=[endpoint for endpoint, _ in POST_ROUTES])
def test_a_text_field_sent_as_a_file_is_refused_with_a_400_page(app, login_as, key):
    world = build_world(app)
    client = clients(app, login_as)[sender_of(key)]
    with app.test_request_context():
        rules = [rule for rule, method in every_rule(app) if (rule.endpoint, method) == key]
        url = dict(url_states(world, rules[0]))["visible"]
    wrong = []
    for name in field_names():
        response = client.post(url, data={name: (BytesIO(b"some words"), "words.txt")})
        text = response.get_data(as_text=True)
        if response.status_code != 400 or REFUSED not in text:
            wrong.append(f"{name}: {response.status_code}")
    assert not wrong, f"POST {url}: " + ", ".join(wrong)


def test_a_multipart_form_without_a_file_is_still_read(app, client):
    with app.app_context():
        make_member("river_stone")
    response = client.post(
        "/login",
        data={"handle": "river_stone", "password": PASSWORD},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True)
