"""The privacy nudge in Spanish, and phone numbers of every region (phonenumbers' matcher)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.care.privacy_check import LABELS, Finding, identifying_details

POSITIVES = [
    # phone numbers of Spain, Mexico and elsewhere, as people write them
    ("Llámame al 612 34 56 78 cuando quieras.", "phone", "612 34 56 78"),
    ("Mi móvil es 612345678", "phone", "612345678"),
    ("Mi móvil: 612 345 678.", "phone", "612 345 678"),
    ("Escríbeme por WhatsApp al +34 612 34 56 78", "phone", "+34 612 34 56 78"),
    ("Llámame al 0034 612 345 678", "phone", "0034 612 345 678"),
    ("El fijo de casa es el 91 123 45 67.", "phone", "91 123 45 67"),
    ("Mi cel es 55 1234 5678", "phone", "55 1234 5678"),
    ("Mi celular: (55) 1234-5678", "phone", "(55) 1234-5678"),
    ("Márcame al +52 33 1234 5678", "phone", "+52 33 1234 5678"),
    ("Mi número en Buenos Aires: +54 9 11 1234-5678", "phone", "+54 9 11 1234-5678"),
    ("Escríbeme al +57 301 234 5678", "phone", "+57 301 234 5678"),
    ("Mi celular es 5512345678", "phone", "5512345678"),
    # street addresses
    ("Vivo en Calle Mayor 12, 3º B, Madrid.", "address", "Calle Mayor 12, 3º B"),
    ("Mi casa está en C/ Alcalá 45.", "address", "C/ Alcalá 45"),
    ("Estoy en Avda. de la Constitución 3.", "address", "Avda. de la Constitución 3"),
    ("Av. Insurgentes Sur 1234, Col. Roma", "address", "Av. Insurgentes Sur 1234, Col. Roma"),
    ("Vivimos en la calle de Alcalá, 45, 2º izq.", "address", "calle de Alcalá, 45, 2º izq."),
    ("El piso está en Paseo de Gracia nº 21.", "address", "Paseo de Gracia nº 21"),
    ("vivo en la calle del pez 12", "address", "calle del pez 12"),
    ("Mándalo al CP 28013.", "address", "CP 28013"),
    ("Mi código es C.P. 06700, en la CDMX.", "address", "C.P. 06700"),
    # identity numbers (with a right check letter)
    ("Mi DNI es 12345678Z", "id", "12345678Z"),
    ("DNI: 12.345.678-Z", "id", "12.345.678-Z"),
    ("Mi NIE es X1234567L", "id", "X1234567L"),
    ("Mi NIE: Y-7654321-G", "id", "Y-7654321-G"),
    ("Mi CURP es GODE561231HDFRRN09", "id", "GODE561231HDFRRN09"),
    # full names after a cue
    ("Hola, me llamo Ana García y soy nueva.", "name", "Ana García"),
    ("Mi nombre es María José López.", "name", "María José López"),
    ("Mi nombre completo es Juan Pérez Sánchez.", "name", "Juan Pérez Sánchez"),
    ("Me llamo Ana de la Fuente.", "name", "Ana de la Fuente"),
    ("Mi hija se llama Lucía Fernández.", "name", "Lucía Fernández"),
    ("Mi psicóloga, Dra. Carmen Ruiz, me ayudó.", "name", "Dra. Carmen Ruiz"),
    ("Mi ex Carlos Martínez me sigue escribiendo.", "name", "Carlos Martínez"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_spanish_identifying_detail_is_reported_with_its_exact_excerpt(text, kind, excerpt):
    assert identifying_details(text) == [Finding(kind=kind, label=LABELS[kind], excerpt=excerpt)]


NEGATIVES = [
    "Hoy estoy muy triste y no sé por qué.",
    "Llevo 3 días sin dormir y mañana tengo cita a las 10:30.",
    "Tomo 50 mg de sertralina desde el 15/01/2024, ahora 100 mg.",
    "Camino 10.000 pasos al día.",
    "La terapia cuesta 60 € la sesión, unos 1.200 € al año.",
    "Ahorré 1.250.000 pesos en 2023.",
    "Mi puntuación en el PHQ-9 fue 18 y en el GAD-7, 12.",
    "Llama al 024 o al 112 si lo necesitas.",
    "En EE. UU. puedes llamar al 988 y marcar 2 para español.",
    "El 900 20 20 10 es gratuito.",
    # the shipped helplines, passed on: never a person's number
    "El Teléfono de la Esperanza (717 003 717) me escuchó toda la noche.",
    "La Línea de la Vida, 800 911 2000, atiende siempre.",
    "Me llamo Sam y soy nueva aquí.",
    "Mi nombre es Sam. Llevo tiempo leyendo.",
    "Mi hermana María vino a verme.",
    "Mi psicóloga me dijo que escribiera aquí.",
    "Mi madre Hoy no me habló.",
    "Hoy Fue Un Buen Día",
    "Vivo en la calle desde hace 2 años.",
    "Estuve en la calle 3 horas esperando.",
    "Fui a la Avenida Reforma 2 veces esta semana.",
    "La Plaza Mayor estaba llena de gente.",
    "Paseé por la calle Mayor ayer y me sentó bien.",
    "Leí el capítulo 12 del libro que me recomendaron.",
    "El código 12345678A no funciona.",
    "Vivimos en un piso pequeño con 2 gatos.",
    "Los años 2019-2021 fueron muy duros.",
    "Duermo 4-5 horas y la tensión me dio 120/80.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_spanish_post_gives_no_findings(text):
    assert identifying_details(text) == []


def test_a_phone_number_without_its_check_is_found_by_shape_and_a_valid_one_in_one_run():
    # Fictional numbers (the UK's drama range) are judged by their shape; a number written in
    # one run counts when a region's numbering plan knows it (a Spanish mobile), not otherwise.
    assert [f.kind for f in identifying_details("Text 07700 900123 please")] == ["phone"]
    assert [f.excerpt for f in identifying_details("Mi móvil 699123456.")] == ["699123456"]
    assert identifying_details("Pedido número 123456789.") == []


def test_a_dni_with_the_wrong_check_letter_is_not_an_identity_number():
    assert identifying_details("Mi DNI es 12345678Z")[0].kind == "id"
    assert identifying_details("Mi DNI es 12345678A") == []
    assert identifying_details("Mi NIE es X1234567A") == []


def test_spanish_and_english_details_in_one_post_come_back_in_order():
    text = (
        "Me llamo Ana García, vivo en C/ Alcalá 45 y mi móvil es 612 34 56 78. "
        "My DNI is 12345678Z and my email ana@example.com."
    )
    assert [(f.kind, f.excerpt) for f in identifying_details(text)] == [
        ("name", "Ana García"),
        ("address", "C/ Alcalá 45"),
        ("phone", "612 34 56 78"),
        ("id", "12345678Z"),
        ("email", "ana@example.com"),
    ]


ADVERSARIAL = {
    "dni-like": "12345678Z " * 2_000,
    "street types": "Calle Mayor de la " * 1_100,
    "name cues": "me llamo Ana de " * 1_250,
    "colonias": "Av. A 1, Col. B " * 1_250,
    "numbers in prose": "Pedido 123456789, " * 1_100,
    "phone numbers": "Llámame 612 34 56 78. " * 900,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_long_adversarial_spanish_post_is_checked_to_completion(text):
    assert len(text) >= 19_000
    findings = identifying_details(text)
    assert all(finding.excerpt in text for finding in findings)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=100_000),
    handle=st.from_regex(r"[a-z][a-z0-9_]{2,20}", fullmatch=True),
    tag=st.text(alphabet=string.ascii_lowercase, min_size=12, max_size=12),
)
def test_the_stress_runs_bodies_never_trip_the_check(n, handle, tag):
    # The shapes tests/stress posts (load.py, two_servers.py): they must publish straight away.
    for body in (
        f"Reply {n} from {handle}: a walk helped. ({tag})",
        f"Reply {n} from {handle}: a walk helped me today. ({tag})",
    ):
        assert identifying_details(body) == []
