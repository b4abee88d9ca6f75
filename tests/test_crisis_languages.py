"""Crisis care in every language: Spanish crisis phrases beside the English ones, whatever the
reader's interface language; FORUM_CRISIS_FILE per language."""

import html
import re
import time
from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text, update

from forum import create_app
from forum.crisis.contacts import contact_links
from forum.crisis.phrases import crisis_matches, phrase_index, shipped_phrase_files
from forum.crisis.resources import (
    crisis_intro,
    resources_for,
    seed_crisis_resources,
    stale_resources,
)
from forum.extensions import db
from forum.models import CrisisResource, ModerationEvent, SiteVersion, utcnow
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_member

# --- Spanish phrases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Quiero quitarme la vida.", "quitarme la vida"),
        ("quiero quitarme la vida", "quitarme la vida"),
        ("Ya no aguanto, me quiero quitar la vida", "me quiero quitar la vida"),
        ("Me quiero morir.", "me quiero morir"),
        ("ME QUIERO MORIR", "me quiero morir"),
        ("me kiero morir", "me quiero morir"),
        ("#mequieromorir", "me quiero morir"),
        ("A veces quiero morirme", "quiero morirme"),
        ("He pensado en suicidarme", "suicidarme"),
        ("pense en suicídarme", "suicidarme"),
        ("Tengo pensamientos suicidas", "suicidas"),
        ("No quiero seguir viviendo.", "no quiero seguir viviendo"),
        ("ya no quiero vivir", "ya no quiero vivir"),
        ("Estoy cansada de vivir", "cansada de vivir"),
        ("Todos estarían mejor sin mí", "estarían mejor sin mí"),
        ("todos estarian mejor sin mi", "estarían mejor sin mí"),
        ("Ojalá estuviera muerta", "ojalá estuviera muerta"),
        ("Quiero acabar con mi vida", "acabar con mi vida"),
        ("No tengo razones para vivir", "no tengo razones para vivir"),
        ("quiero hacerme daño", "hacerme daño"),
        ("quiero hacerme dano otra vez", "hacerme daño"),
        ("Anoche volví a cortarme", "cortarme"),
        ("sigo cortándome los brazos", "cortándome"),
        ("Me corté las muñecas", "me corté las muñecas"),
        ("me autolesiono cuando estoy mal", "me autolesiono"),
        ("No quiero lastimarme otra vez", "lastimarme"),
        ("Me tomé todas las pastillas", "me tomé todas las pastillas"),
        ("Pienso en tirarme de un puente", "tirarme de un puente"),
        ("quiero aventarme de un puente", "aventarme de un puente"),
        ("Voy a ahorcarme", "ahorcarme"),
    ],
)
def test_spanish_crisis_phrases_are_found_with_or_without_accents(text, phrase):
    assert phrase in crisis_matches(text)


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary sadness and tiredness: heavy, but not the crisis step on their own.
        "Hoy estoy muy triste y no sé por qué.",
        "No puedo más con el trabajo, estoy agotada.",
        "Ya no aguanto más este calor.",
        "Estoy fatal, ha sido una semana horrible.",
        "No quiero vivir con mis padres otra vez.",
        "Me siento sola desde que se fue.",
        # Everyday words that sit close to the phrases.
        "Mañana voy a cortarme el pelo.",
        "Quiero cortarme el flequillo yo misma.",
        "Me hice daño en la rodilla corriendo.",
        "Me quiero morir de risa con este vídeo.",
        "Me quiero morir de vergüenza, qué ridículo hice.",
        "Tengo que tomar todas las pastillas que me recetaron.",
        "Me corto mucho cuando hablo en público.",
        "Hoy fue un buen día: salí a caminar y vi a mi hermana.",
        "",
    ],
)
def test_ordinary_spanish_sentences_are_not_crisis_phrases(text):
    assert crisis_matches(text) == []


def test_an_exception_cancels_only_the_phrase_it_overlaps():
    text = "Me quiero morir de vergüenza. Y de verdad, me quiero morir."
    assert "me quiero morir" in crisis_matches(text)
    assert crisis_matches("Voy a cortarme el pelo y luego a cortarme otra vez.") == ["cortarme"]


def test_every_language_is_checked_in_one_text_and_reported_in_file_order():
    text = "I feel suicidal. Quiero quitarme la vida. I want to die."
    assert crisis_matches(text) == ["want to die", "suicidal", "quitarme la vida"]


def test_english_and_spanish_phrase_files_are_shipped():
    files = shipped_phrase_files()
    assert list(files) == ["en", "es"]
    assert "quitarme la vida" in files["es"] and "kill myself" in files["en"]


def test_a_twenty_thousand_character_spanish_post_is_matched_quickly():
    words = "Algunos días pesan y lo escribo aquí, gracias por leer: cortarme el pelo, ay. "
    post = (words * 300)[:19_980] + " suicidarme"
    started = time.perf_counter()
    for _ in range(10):
        found = crisis_matches(post)
    assert found == ["suicidarme"]
    assert (time.perf_counter() - started) / 10 < 0.1


# --- FORUM_CRISIS_FILE, per language ------------------------------------------------------------


def test_a_file_named_for_a_language_replaces_only_that_languages_phrases(app, tmp_path):
    own = tmp_path / "nuestras.es.txt"
    own.write_text("# nuestra lista\nno veo salida\n!no veo salida del túnel\n", encoding="utf-8")
    app.config["FORUM_CRISIS_FILE"] = str(own)
    with app.app_context():
        assert crisis_matches("No veo salida.") == ["no veo salida"]
        assert crisis_matches("no veo salida del túnel") == []
        assert crisis_matches("quiero quitarme la vida") == []  # the shipped Spanish list is out
        assert crisis_matches("I want to kill myself") == ["kill myself"]  # English stays


def test_several_files_can_be_named_and_a_file_without_a_language_replaces_all(app, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("feeling hopeless\n", encoding="utf-8")
    ours = tmp_path / "ours.es.txt"
    ours.write_text("sin esperanza\n", encoding="utf-8")
    app.config["FORUM_CRISIS_FILE"] = f"{mine}:{ours}"
    with app.app_context():
        assert crisis_matches("feeling hopeless, sin esperanza") == [
            "feeling hopeless",
            "sin esperanza",
        ]
        assert crisis_matches("I want to kill myself. Me quiero morir.") == []
    assert "kill myself" in phrase_index().phrases and "me quiero morir" in phrase_index().phrases


# --- the crisis step, whatever the interface language ----------------------------------------


@pytest.fixture
def writer(app, login_as):
    with app.app_context():
        make_member("night_writer")
    return login_as("night_writer")


def start(client, body, **headers):
    return client.post(
        "/b/depression/new", data={"title": "Esta noche", "body": body}, headers=headers
    )


def test_a_spanish_phrase_meets_the_crisis_step_for_a_member_whose_interface_is_english(writer):
    page = start(writer, "No sé a quién decírselo. Quiero quitarme la vida.")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "you are not alone" in text
    assert 'name="crisis_choice" value="post"' in text


def test_an_english_phrase_meets_the_crisis_step_for_a_reader_asking_for_spanish(writer):
    # The interface language comes from Accept-Language (and later a member's setting); the
    # words are checked against every language's phrases all the same.
    page = start(writer, "Some nights I just want to die.", **{"Accept-Language": "es-ES,es"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="crisis_choice" value="post"' in text


def test_an_ordinary_spanish_post_is_published_without_a_crisis_step(writer):
    page = start(writer, "Mañana voy a cortarme el pelo, a ver si me animo un poco.")
    assert page.status_code == 302


# --- crisis resources by language ---------------------------------------------------------------


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_crisis_resources()
        make_member("ada_admin", role="admin")
        db.session.commit()


def names(entries) -> list[str]:
    return [entry.name for entry in entries]


ESPERANZA = "Teléfono de la Esperanza"
LINEA_024 = "Línea 024 de atención a la conducta suicida"
LINEA_988 = "988 Línea de Prevención del Suicidio y Crisis"


@pytest.mark.parametrize(
    ("region", "language", "first"),
    [
        ("ES", "es", ["Servicios de emergencia", LINEA_024, ESPERANZA]),
        ("MX", "es", ["Servicios de emergencia", "Línea de la Vida", "Find A Helpline"]),
        ("US", "es", ["Servicios de emergencia", LINEA_988, "Find A Helpline"]),
        # No Spanish entries for the UK: its English ones, after Spanish emergency help.
        ("GB", "es", ["Servicios de emergencia", "Samaritans", "Shout"]),
        # English readers see what they saw before there were languages...
        ("US", "en", ["Emergency services", "988 Suicide & Crisis Lifeline", "Crisis Text Line"]),
        ("GB", "en", ["Emergency services", "Samaritans", "Shout"]),
        # ...and a region with no English entries in its own language.
        ("ES", "en", ["Emergency services", LINEA_024, ESPERANZA]),
    ],
)
def test_resources_for_a_reader_are_in_their_language_else_english_in_one_query(
    app, seeded, count_queries, region, language, first
):
    with app.app_context():
        with count_queries() as counter:
            shown = resources_for(region, language=language)
        assert counter.count == 1
        assert names(shown) == first


def test_a_spanish_reader_sees_everywhere_in_spanish_and_never_the_english_twin(app, seeded):
    with app.app_context():
        every = resources_for("US", limit=None, language="es")
        assert names(every) == ["Servicios de emergencia", LINEA_988, "Find A Helpline"]
        assert {entry.language for entry in every} == {"es"}
        assert "Emergency services" not in names(resources_for("MX", None, "es"))


def test_the_spanish_intro_and_the_english_one_are_both_shipped(app):
    with app.app_context():
        assert crisis_intro("es").startswith("Si estás en peligro inmediato")
        assert crisis_intro("en").startswith("If you are in immediate danger")
        assert crisis_intro("fr") == crisis_intro("en")


def test_spanish_entries_are_checked_like_the_english_ones_and_flagged_when_stale(
    app, seeded, login_as
):
    today = date(2027, 6, 1)
    with app.app_context():
        for entry in db.session.execute(select(CrisisResource)).scalars():
            assert entry.last_verified > date(2026, 1, 1), entry.name  # every entry has a date
            entry.last_verified = today - timedelta(days=30)
        esperanza = db.session.execute(select(CrisisResource).filter_by(name=ESPERANZA)).scalar()
        esperanza.last_verified = today - timedelta(days=181)
        db.session.commit()
        assert names(stale_resources(today)) == [ESPERANZA]
        esperanza.last_verified = utcnow().date() - timedelta(days=200)
        db.session.commit()
    admin_page = login_as("ada_admin").get("/admin").get_data(as_text=True)
    flagged = admin_page[admin_page.index("Needs checking") :]
    assert ESPERANZA in flagged[: flagged.index("</p>")]


# --- the admin's language choice ----------------------------------------------------------------

MX_LINE = {
    "name": "Línea Nocturna",
    "how": "Llama al 55 0000 0000.",
    "hours": "Noches",
    "region": "MX",
    "language": "es",
    "url": "",
    "position": "0",
    "last_verified": "2026-11-01",
}


def test_admin_adds_a_spanish_helpline_that_spanish_readers_then_see_first(app, seeded, login_as):
    admin = login_as("ada_admin")
    form = admin.get("/admin/crisis").get_data(as_text=True)
    assert 'id="language" name="language"><option selected value="en">English</option>' in form
    assert '<option selected value="en">English</option>' in form
    assert '<option value="es">Español</option>' in form
    response = admin.post("/admin/crisis", data=MX_LINE, follow_redirects=True)
    listing = response.get_data(as_text=True)
    assert "Added Línea Nocturna" in listing
    entry = listing[listing.index("<h3>Línea Nocturna") :]
    assert '<span class="tag" lang="es">Español</span>' in entry[: entry.index("</h3>")]
    with app.app_context():
        assert names(resources_for("MX", language="es"))[:2] == [
            "Servicios de emergencia",
            "Línea Nocturna",
        ]
        assert "Línea Nocturna" in names(resources_for("MX", language="en"))  # no English MX
        [event] = events("crisis_resource_create")
        assert event.details["name"] == "Línea Nocturna"
        resource = db.session.execute(select(CrisisResource).filter_by(name="Línea Nocturna"))
        assert resource.scalar_one().language == "es"


def test_an_admin_form_without_a_language_keeps_english_and_an_edit_keeps_the_entrys(
    app, seeded, login_as
):
    admin = login_as("ada_admin")
    admin.post("/admin/crisis", data={**MX_LINE, "name": "Old Script Line", "language": None})
    with app.app_context():
        old = db.session.execute(select(CrisisResource).filter_by(name="Old Script Line"))
        assert old.scalar_one().language == "en"
        esperanza = db.session.execute(select(CrisisResource).filter_by(name=ESPERANZA)).scalar()
        fields = {
            "name": esperanza.name,
            "how": esperanza.how,
            "hours": esperanza.hours,
            "region": "ES",
            "url": esperanza.url,
            "position": str(esperanza.position),
            "always_open": "y",
            "last_verified": esperanza.last_verified.isoformat(),
        }
        esperanza_id = esperanza.id
    edit_page = admin.get(f"/admin/crisis/{esperanza_id}/edit").get_data(as_text=True)
    assert '<option selected value="es">Español</option>' in edit_page
    admin.post(f"/admin/crisis/{esperanza_id}/edit", data={**fields, "hours": "24 horas, 365 días"})
    with app.app_context():
        assert db.session.get(CrisisResource, esperanza_id).language == "es"
        [event] = events("crisis_resource_edit")
        assert event.details["changes"] == {"hours": ["24 horas", "24 horas, 365 días"]}


def test_an_unknown_language_is_refused_with_the_message_beside_the_field(seeded, login_as):
    response = login_as("ada_admin").post("/admin/crisis", data={**MX_LINE, "language": "xx"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_admins_are_told_which_languages_readers_meet_no_24_hour_help_in(app, seeded, login_as):
    with app.app_context():
        for name in ("Servicios de emergencia", LINEA_024, ESPERANZA):
            entry = db.session.execute(select(CrisisResource).filter_by(name=name)).scalar()
            entry.always_open = False
        db.session.commit()
    page = login_as("ada_admin").get("/admin/crisis").get_data(as_text=True)
    warning = page[page.index('id="crisis-no-24-hour-help"') :]
    warning = warning[: warning.index("</div>")]
    assert "<li>Spain (for readers in Español)</li>" in warning
    assert "<li>Everywhere (for readers in Español)</li>" in warning
    assert "Mexico" not in warning and "United Kingdom" not in warning


def events(action: str) -> list[ModerationEvent]:
    return list(db.session.execute(select(ModerationEvent).filter_by(action=action)).scalars())


# --- the reader's language, through Flask-Babel ------------------------------------------------


@pytest.fixture
def babel_app(app, seeded):
    """The app (forum.i18n gives each request the browser's best language), seeded."""
    return app


def first_helplines(text: str) -> list[str]:
    # The page's first helplines stop where "More helplines" folds the rest away (in any
    # language: the summary's words are translated).
    first = text.partition('<details class="more-helplines"')[0]
    found = re.findall(r'<li class="resource">\s*<h2>([^<]+)</h2>', first)
    return [html.unescape(name) for name in found]


SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def test_the_crisis_page_shows_a_spanish_reader_spanish_help_first(babel_app):
    lurker = babel_app.test_client()
    text = lurker.get("/crisis", headers=SPANISH).get_data(as_text=True)
    assert "Si estás en peligro inmediato" in text
    assert first_helplines(text) == ["Servicios de emergencia", "Samaritans", "Shout"]
    text = lurker.get("/crisis?region=ES", headers=SPANISH).get_data(as_text=True)
    assert first_helplines(text) == ["Servicios de emergencia", LINEA_024, ESPERANZA]
    assert 'href="tel:717003717"' in text and 'href="tel:024"' in text


def test_the_crisis_page_an_english_reader_sees_is_unchanged(babel_app):
    text = babel_app.test_client().get("/crisis", headers=ENGLISH).get_data(as_text=True)
    assert "If you are in immediate danger" in text and "Si estás" not in text
    assert first_helplines(text) == ["Emergency services", "Samaritans", "Shout"]
    more = text.partition("<summary>More helplines</summary>")[2]
    assert "Servicios de emergencia" not in more and LINEA_988 not in more
    assert ESPERANZA in more  # Spain has no English entry: its Spanish ones are there


def test_the_lurkers_page_cache_keeps_each_language_its_own_crisis_page(babel_app):
    # One process, one URL, two languages, the cache on: each reader gets their language's
    # page, from the cache the second time, and the answer says it varies by language.
    for first, second in ((SPANISH, ENGLISH), (ENGLISH, SPANISH)):
        with babel_app.app_context():
            db.session.execute(update(SiteVersion).values(version=SiteVersion.version + 1))
            db.session.commit()
        lurker = babel_app.test_client()
        for headers in (first, second, first, second):
            response = lurker.get("/crisis", headers=headers)
            text = response.get_data(as_text=True)
            spanish = headers is SPANISH
            assert ("Si estás en peligro inmediato" in text) is spanish
            assert ("If you are in immediate danger" in text) is not spanish
            assert "Accept-Language" in response.headers.get("Vary", "")
        assert response.headers.get("X-Page-Cache") == "hit"


def test_an_english_phrase_brings_a_spanish_reader_the_crisis_step_with_spanish_help(
    babel_app, login_as
):
    with babel_app.app_context():
        make_member("lectora")
    writer = login_as("lectora")
    page = writer.post(
        "/b/depression/new",
        data={"title": "Tonight", "body": "I want to die."},
        headers=SPANISH,
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="crisis_choice" value="post"' in text
    assert "Servicios de emergencia" in text and "Emergency services" not in text


# --- the migration ------------------------------------------------------------------------------


@pytest.mark.skipif(bool(POSTGRES_URL), reason="uses its own SQLite file")
def test_migration_0013_makes_every_existing_entry_english(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'older.db'}"))
    with app.app_context():
        upgrade(revision="0012")
        db.session.execute(
            text(
                "INSERT INTO crisis_resources (name, how, hours, region, last_verified, position)"
                " VALUES ('Town Line', 'Call 0300 123 4567.', 'Evenings', 'GB', '2026-11-26', 0)"
            )
        )
        db.session.commit()
        upgrade()
        [entry] = db.session.execute(select(CrisisResource)).scalars()
        assert entry.language == "en"
        assert names(resources_for("GB", language="es")) == ["Town Line"]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("how", "links"),
    [
        ("Llama al 024 (gratuito y confidencial).", ["tel:024"]),
        ("Llama al 717 003 717.", ["tel:717003717"]),
        (
            "Llama al 988 y marca 2 para hablar en español, o envía un mensaje de texto con la"
            " palabra AYUDA al 988.",
            ["tel:988", "sms:988"],
        ),
        ("Llama o envía un mensaje al 988.", ["tel:988", "sms:988"]),
        ("Escribe un correo a ayuda@example.org o visita la web 2024.", []),
    ],
)
def test_spanish_verbs_make_tap_to_call_and_tap_to_text_links(how, links):
    assert [link.href for link in contact_links(how)] == links
