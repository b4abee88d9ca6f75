"""Crisis care in every language: Spanish crisis phrases beside the English ones, whatever the
reader's interface language; FORUM_CRISIS_FILE per language."""

import time

import pytest

from forum.crisis.phrases import crisis_matches, phrase_index, shipped_phrase_files
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
