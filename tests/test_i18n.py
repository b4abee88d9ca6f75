"""The reader's language: how it is chosen (a member's setting > the footer's cookie >
Accept-Language > English), the page cache per language, relative times and dates, the
digest in the member's language, and the guidelines and shipped boards in Spanish."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from forum.digest.compose import site_context
from forum.digest.services import build_digest
from forum.extensions import db
from forum.i18n import in_language, long_date, long_datetime, month_year
from forum.models import Board, Member, Notice, utcnow
from forum.web import time_ago
from tests.factories import make_member, make_thread

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


# --- choosing the language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("es-ES,es;q=0.9", "es"),
        ("es-MX", "es"),
        ("fr-FR,es;q=0.8,en;q=0.5", "es"),
        ("en-US,es;q=0.5", "en"),
        ("fr-FR,de;q=0.9", "en"),
        ("", "en"),
    ],
)
def test_a_lurker_gets_the_best_match_for_their_browser(client, accept, lang):
    response = client.get("/guidelines", headers={"Accept-Language": accept})
    assert html_tag(response) == f'<html lang="{lang}" dir="ltr">'


def test_the_footer_offers_each_language_in_its_own_name_coming_back_to_the_page(client):
    page = client.get("/b/depression?page=1", headers=ENGLISH).get_data(as_text=True)
    switch = re.search(r'<nav class="language-switch".*?</nav>', page).group(0)
    assert '<span lang="en" aria-current="true">English</span>' in switch
    assert 'href="/language/es?next=/b/depression?page%3D1" lang="es"' in switch
    assert ">Español</a>" in switch


def test_the_switch_sets_a_cookie_that_wins_over_the_browser_and_goes_back(client):
    response = client.get("/language/es", query_string={"next": "/b/anxiety"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/b/anxiety"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=es;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_tag(client.get("/b/anxiety", headers=ENGLISH)) == '<html lang="es" dir="ltr">'
    client.get("/language/en")
    assert html_tag(client.get("/b/anxiety", headers=SPANISH)) == '<html lang="en" dir="ltr">'


def test_a_search_is_never_carried_in_the_switch_link(client):
    page = client.get("/search", query_string={"q": "my private words"}).get_data(as_text=True)
    assert "private" not in re.search(r'<nav class="language-switch".*?</nav>', page).group(0)
    assert 'href="/language/es?next=/search"' in page


def test_an_unknown_language_is_a_404_and_sets_nothing(client):
    response = client.get("/language/xx")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


def test_a_cookie_naming_no_offered_language_is_passed_over(client):
    client.set_cookie("lang", "xx")
    assert html_tag(client.get("/", headers=SPANISH)) == '<html lang="es" dir="ltr">'


def test_under_https_the_cookie_is_secure_and_host_only(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = client.get("/language/es").headers["Set-Cookie"]
    assert cookie.startswith("__Host-lang=es;") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_a_members_setting_wins_over_the_cookie_and_the_browser(app, client, auth):
    with app.app_context():
        make_member("river_stone")
    auth.login()
    page = client.get("/settings").get_data(as_text=True)
    assert '<option selected value="">Follow my browser</option>' in page
    assert '<option lang="es" value="es">Español</option>' in page
    response = client.post("/settings", data={"language": "es", "region": ""})
    assert response.status_code == 302
    client.set_cookie("lang", "en")
    page = client.get("/settings", headers=ENGLISH)
    assert html_tag(page) == '<html lang="es" dir="ltr">'
    text = page.get_data(as_text=True)
    assert '<option lang="es" selected value="es">Español</option>' in text
    assert "<h2>Idioma</h2>" in text
    # With a setting, the footer's links lead to it (a cookie would change nothing).
    assert 'href="/settings#language" lang="en"' in text
    with app.app_context():
        assert db.session.execute(select(Member.language)).scalar() == "es"
    client.post("/settings", data={"language": "", "region": ""})
    assert html_tag(client.get("/settings", headers=SPANISH)) == '<html lang="en" dir="ltr">'


def test_a_language_not_offered_is_refused_in_settings(app, client, auth):
    with app.app_context():
        make_member("river_stone")
    auth.login()
    response = client.post("/settings", data={"language": "xx", "region": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(select(Member.language)).scalar() is None


# --- the lurkers' page cache, per language ------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/b/depression", "/guidelines", "/crisis", "/feed.atom"])
def test_cached_pages_are_kept_per_language(app, path):
    """Spanish and English lurkers, by browser or by cookie, each get their own language
    from the cache, in any order, never the other's."""
    with app.app_context():
        make_thread(make_member("river_stone"))
    english, spanish = app.test_client(), app.test_client()
    switched = app.test_client()
    switched.get("/language/es")
    first = spanish.get(path, headers=SPANISH)
    assert first.headers["X-Page-Cache"] == "miss"
    assert {"Accept-Language", "Cookie"} <= set(first.vary)
    for client, headers, lang in (
        (english, ENGLISH, "en"),
        (spanish, SPANISH, "es"),
        (english, ENGLISH, "en"),
        (switched, ENGLISH, "es"),
        (spanish, SPANISH, "es"),
    ):
        response = client.get(path, headers=headers)
        if response.mimetype == "text/html":
            assert html_tag(response) == f'<html lang="{lang}" dir="ltr">'
        assert {"Accept-Language", "Cookie"} <= set(response.vary)
    # Each language was rendered once: every later request was a hit.
    assert spanish.get(path, headers=SPANISH).headers["X-Page-Cache"] == "hit"
    assert english.get(path, headers=ENGLISH).headers["X-Page-Cache"] == "hit"


def test_a_lurker_who_switched_language_is_still_served_from_the_cache(app):
    """The language cookie alone does not turn a lurker's pages into uncached ones: the fast
    lane answers them (no Flask request at all) like a lurker's without cookies."""
    reader = app.test_client()
    reader.get("/language/es")
    assert reader.get("/guidelines").headers["X-Page-Cache"] == "miss"
    flask_requests = []
    lane = app.wsgi_app  # forum.pagecache.LurkerFastLane, in front of Flask
    flask_app = lane.wsgi_app
    lane.wsgi_app = lambda environ, start: flask_requests.append(1) or flask_app(environ, start)
    hit = reader.get("/guidelines")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert html_tag(hit) == '<html lang="es" dir="ltr">'
    assert flask_requests == []  # answered before Flask: the fast lane
    # Any other cookie goes on to Flask, which still serves the cached page.
    reader.set_cookie("other", "1")
    assert reader.get("/guidelines").headers["X-Page-Cache"] == "hit"
    assert flask_requests == [1]


def test_a_304_is_per_language(app):
    reader = app.test_client()
    spanish = reader.get("/guidelines", headers=SPANISH)
    etag = spanish.headers["ETag"]
    assert reader.get("/guidelines", headers={**SPANISH, "If-None-Match": etag}).status_code == 304
    english = reader.get("/guidelines", headers={**ENGLISH, "If-None-Match": etag})
    assert english.status_code == 200
    assert html_tag(english) == '<html lang="en" dir="ltr">'


# --- relative times and dates -------------------------------------------------------------

AGO = [
    (timedelta(seconds=10), "just now", "ahora mismo"),
    (timedelta(minutes=1), "1 minute ago", "hace 1 minuto"),
    (timedelta(minutes=5), "5 minutes ago", "hace 5 minutos"),
    (timedelta(hours=1, minutes=2), "1 hour ago", "hace 1 hora"),
    (timedelta(hours=3), "3 hours ago", "hace 3 horas"),
    (timedelta(days=1), "1 day ago", "hace 1 día"),
    (timedelta(days=40), "1 month ago", "hace 1 mes"),
    (timedelta(days=800), "2 years ago", "hace 2 años"),
]


@pytest.mark.parametrize(("since", "english", "spanish"), AGO)
def test_relative_times_in_english_as_always_and_in_spanish(app, since, english, spanish):
    moment = utcnow() - since
    with app.test_request_context(headers=ENGLISH):
        assert time_ago(moment) == english
    with app.test_request_context(headers=SPANISH):
        assert time_ago(moment) == spanish


def test_dates_in_english_as_always_and_in_spanish(app):
    moment = datetime(2026, 3, 4, 18, 30)
    with app.test_request_context(headers=ENGLISH):
        assert long_date(moment) == "04 March 2026"
        assert long_date(moment, padded=False) == "4 March 2026"
        assert long_datetime(moment) == "04 March 2026 18:30"
        assert month_year(moment) == "March 2026"
    with app.test_request_context(headers=SPANISH):
        assert long_date(moment) == "4 de marzo de 2026"
        assert long_datetime(moment) == "4 de marzo de 2026 18:30"
        assert month_year(moment) == "marzo de 2026"


def test_a_profile_says_member_since_in_the_readers_language(app, client):
    with app.app_context():
        make_member("river_stone").created_at = datetime(2026, 3, 4)
        db.session.commit()
    assert "March 2026" in client.get("/u/river_stone", headers=ENGLISH).get_data(as_text=True)
    page = client.get("/u/river_stone", headers=SPANISH).get_data(as_text=True)
    assert "marzo de 2026" in page and "March" not in page


def test_thread_pages_show_relative_times_in_the_readers_language(app, client):
    with app.app_context():
        thread = make_thread(make_member("river_stone"))
        path = f"/t/{thread.id}/{thread.slug}"
    assert ">just now</time>" in client.get(path, headers=ENGLISH).get_data(as_text=True)
    assert ">ahora mismo</time>" in client.get(path, headers=SPANISH).get_data(as_text=True)


# --- emails in the member's language ------------------------------------------------------


def test_in_language_works_outside_any_request_as_the_digest_command_does(app):
    """``forum digest send`` runs in a bare app context (an empty ``g``, where Flask-Babel's
    own force_locale does nothing): the member's language is used all the same."""
    five_minutes = utcnow() - timedelta(minutes=5)
    with app.app_context(), site_context():
        with in_language("es"):
            assert time_ago(five_minutes) == "hace 5 minutos"
        with in_language(None):
            assert time_ago(five_minutes) == "5 minutes ago"
    with app.app_context(), in_language("es"):
        assert time_ago(five_minutes) == "hace 5 minutos"


def test_a_digest_is_written_in_the_members_language(app):
    with app.app_context():
        member = make_member("river_stone")
        member.email, member.digest, member.language = "river@example.org", "daily", "es"
        db.session.add(Notice(member_id=member.id, kind="reply", text="", created_at=utcnow()))
        db.session.commit()
        with app.test_request_context(headers=ENGLISH):
            message = build_digest(member)
    assert "Hola" in message.get_content()
    assert "notificación" in message["Subject"]


# --- guidelines and boards in the reader's language ---------------------------------------


def test_the_guidelines_are_in_the_readers_language(client):
    english = client.get("/guidelines", headers=ENGLISH).get_data(as_text=True)
    spanish = client.get("/guidelines", headers=SPANISH).get_data(as_text=True)
    assert "<h2>Be kind</h2>" in english and "Trata a los demás con cariño" not in english
    assert "<h2>Trata a los demás con cariño</h2>" in spanish and "Be kind" not in spanish
    assert "<strong>¿Necesitas ayuda ahora?</strong>" in spanish


def test_shipped_boards_show_their_spanish_words_to_spanish_readers(client):
    spanish = client.get("/", headers=SPANISH).get_data(as_text=True)
    assert ">Depresión</a>" in spanish
    assert "Ánimo bajo, vacío, días pesados y las pequeñas cosas que ayudan." in spanish
    assert "Low mood" not in spanish
    english = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert ">Depression</a>" in english and "Depresión" not in english
    board = client.get("/b/anxiety", headers=SPANISH).get_data(as_text=True)
    assert "<h1>Ansiedad</h1>" in board
    assert "<title>Ansiedad · Test Forum</title>" in board


def test_what_an_admin_wrote_stays_as_they_wrote_it(app, client):
    with app.app_context():
        anxiety = db.session.execute(select(Board).filter_by(slug="anxiety")).scalar_one()
        anxiety.description = "Our own words for this board."
        db.session.add(Board(slug="carers", name="Carers", description="For those who care."))
        db.session.commit()
    spanish = client.get("/", headers=SPANISH).get_data(as_text=True)
    # The name was not changed: still shipped, so in Spanish; the description is the admin's.
    assert ">Ansiedad</a>" in spanish and "Our own words for this board." in spanish
    assert ">Carers</a>" in spanish and "For those who care." in spanish


def test_every_shipped_board_has_spanish_words():
    from forum.boards.services import shipped_texts

    english, spanish = shipped_texts("en"), shipped_texts("es")
    assert set(english) == set(spanish)
    for slug in english:
        assert spanish[slug]["name"] and spanish[slug]["description"]
        assert spanish[slug]["description"] != english[slug]["description"]


def test_english_pages_say_nothing_in_spanish(client):
    """English output is as it always was: the page says lang="en" and nothing Spanish."""
    page = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert 'aria-label="Language"' in page
    assert "Idioma" not in page and "Depresión" not in page
