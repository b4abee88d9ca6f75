"""Login, recovery and registration never tell whether a handle has an account.

Each failing answer is compared across the kinds of handle an attacker might probe: an
active member, a suspended member, a member on a break, a member without a recovery code, a
deleted account whose handle is still held, and a handle nobody has. The comparison is on
the status, the headers that matter and the whole page once the CSRF token and the echoed
handle are replaced by placeholders (CSRF is on here, so the token really is on the page).
Timing is compared with the production argon2 parameters: a known handle costs one real
verification, an unknown one a dummy verification of the same cost, so the medians of a few
interleaved tries must agree within a generous margin (35 % of the slower, plus 5 ms) that a
loaded two-core machine does not break but a missing dummy verification (ten times faster)
does; a round that misses is measured again, up to three rounds, since a real difference
shows in every round and a busy moment does not.

Registration is a trade-off, by design. Handles are public on profiles, so "That handle is
taken" may be said: hiding it would only make joining confusing, and anyone can look at
``/u/<handle>``. What must not leak is the handle's existence through any *other* answer: a
registration refused for a mismatched or short password, or for guidelines not accepted,
answers byte for byte the same whether or not the handle exists (the form checks the fields
before anything looks the handle up). And the taken-handle answer costs what those other
refusals cost (no password hashing on either path): timing says nothing the page does not.
Only a successful registration hashes (the password and the recovery code), and it creates
the account, which no probe can do unnoticed.
"""

import re
import statistics
import time
from datetime import timedelta

import pytest

from forum.account import recovery
from forum.account.services import delete_account
from forum.auth.services import find_member
from forum.config import DEFAULT_ARGON2
from forum.extensions import db
from forum.models import utcnow
from tests.factories import PASSWORD, make_member

WRONG_PASSWORD = "not the password at all"
WRONG_CODE = "ABCDE-23456-FGHJK-789MN"
NEW_PASSWORD = "a brand new long password"
UNKNOWN = "unknown_1"
# Every probed handle has the same length, so even Content-Length cannot differ.
KNOWN = {
    "active": "known_one",
    "suspended": "suspended",
    "on a break": "on_break1",
    "without a recovery code": "no_code_1",
    "deleted, handle held": "deleted_1",
}
TRIES, ROUNDS = 5, 3
MARGIN_RATIO, MARGIN_SECONDS = 0.35, 0.005


@pytest.fixture
def app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


@pytest.fixture
def accounts(app):
    """One member of each kind, hashed with the production argon2 parameters."""
    app.config["PASSWORD_HASH"] = dict(DEFAULT_ARGON2)
    with app.app_context():
        for handle in KNOWN.values():
            make_member(handle)
        for handle in ("known_one", "suspended", "on_break1", "deleted_1"):
            recovery.issue_recovery_code(find_member(handle))
        find_member("suspended").suspended_until = utcnow() + timedelta(days=3)
        find_member("on_break1").break_until = utcnow() + timedelta(days=3)
        delete_account(find_member("deleted_1"), keep_posts=True, now=utcnow())
        db.session.commit()
    return KNOWN


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def answer(client, url: str, data: dict, handle: str):
    """Send the form; return what a prober can compare: status, headers and the page with
    the token and the handle they typed replaced."""
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
    page = response.get_data(as_text=True)
    page = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1TOKEN", page)
    page = page.replace(handle, "HANDLE")
    headers = {
        name: response.headers.get(name)
        for name in ("Content-Type", "Cache-Control", "Location", "Content-Length")
    }
    return response.status_code, headers, page


def assert_same_answers(app, url: str, form_for):
    """Each known kind of handle gets exactly the answer an unknown handle gets."""
    expected = answer(app.test_client(), url, form_for(UNKNOWN), UNKNOWN)
    assert expected[0] == 400
    for kind, handle in KNOWN.items():
        got = answer(app.test_client(), url, form_for(handle), handle)
        assert got[0] == expected[0], kind
        assert got[1] == expected[1], kind
        assert got[2] == expected[2], f"the page differs for a handle that is {kind}"
    return expected[2]


def login_form(handle):
    return {"handle": handle, "password": WRONG_PASSWORD}


def recover_form(handle):
    return {
        "handle": handle,
        "recovery_code": WRONG_CODE,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }


def test_a_failed_login_reads_the_same_for_every_kind_of_handle(app, accounts):
    page = assert_same_answers(app, "/login", login_form)
    assert "That handle and password do not match an account." in page
    assert "suspended" not in page.lower()


def test_a_failed_recovery_reads_the_same_for_every_kind_of_handle(app, accounts):
    page = assert_same_answers(app, "/recover", recover_form)
    assert "That handle and recovery code do not match an account." in page


def median_times(app, url: str, forms: dict[str, dict]) -> dict[str, float]:
    """The median time of ``TRIES`` posts of each form, interleaved so that a slow moment of
    the machine falls on every kind alike (after one warm-up round)."""
    clients = {kind: app.test_client() for kind in forms}
    tokens = {kind: csrf_token(clients[kind], url) for kind in forms}
    times: dict[str, list[float]] = {kind: [] for kind in forms}
    for round_number in range(TRIES + 1):
        for kind, data in forms.items():
            started = time.perf_counter()
            response = clients[kind].post(url, data={"csrf_token": tokens[kind], **data})
            elapsed = time.perf_counter() - started
            assert response.status_code == 400, (kind, response.status_code)
            if round_number:
                times[kind].append(elapsed)
    return {kind: statistics.median(values) for kind, values in times.items()}


def timing_gaps(medians: dict[str, float], reference: str) -> list[str]:
    """Each kind whose median is further from ``reference``'s than the margin allows."""
    slowest = max(medians.values())
    return [
        f"{kind} answers in {seconds * 1000:.1f} ms, "
        f"{reference} in {medians[reference] * 1000:.1f} ms"
        for kind, seconds in medians.items()
        if abs(seconds - medians[reference]) > MARGIN_RATIO * slowest + MARGIN_SECONDS
    ]


def assert_same_cost(app, url: str, forms: dict[str, dict], reference: str, floor: float = 0):
    """Measure, and measure again (up to three rounds) when a busy moment of the shared
    machine made one kind look slower: a real difference, such as a missing dummy
    verification, shows in every round; noise does not."""
    for _ in range(ROUNDS):
        medians = median_times(app, url, forms)
        assert min(medians.values()) > floor, medians
        gaps = timing_gaps(medians, reference)
        if not gaps:
            return
    raise AssertionError("; ".join(gaps))


def test_a_failed_login_takes_as_long_for_an_unknown_handle(app, accounts):
    forms = {kind: login_form(handle) for kind, handle in KNOWN.items()}
    forms["unknown"] = login_form(UNKNOWN)
    # A real argon2 verification happens on every path: far above the margin's fixed part.
    assert_same_cost(app, "/login", forms, "unknown", floor=2 * MARGIN_SECONDS)


def test_a_failed_recovery_takes_as_long_for_an_unknown_handle(app, accounts):
    forms = {kind: recover_form(handle) for kind, handle in KNOWN.items()}
    forms["unknown"] = recover_form(UNKNOWN)
    assert_same_cost(app, "/recover", forms, "unknown", floor=2 * MARGIN_SECONDS)


REGISTRATION_FAILURES = {
    "passwords differ": {"password": PASSWORD, "password_confirm": PASSWORD + "x"},
    "password too short": {"password": "short", "password_confirm": "short"},
    "guidelines not accepted": {"password": PASSWORD, "password_confirm": PASSWORD},
}


def registration(handle: str, failure: str) -> dict:
    data = {"handle": handle, **REGISTRATION_FAILURES[failure]}
    if failure != "guidelines not accepted":
        data["accept_guidelines"] = "y"
    return data


@pytest.mark.parametrize("failure", list(REGISTRATION_FAILURES))
def test_a_registration_refused_for_another_reason_says_nothing_about_the_handle(
    app, accounts, failure
):
    free = answer(app.test_client(), "/register", registration(UNKNOWN, failure), UNKNOWN)
    assert free[0] == 400
    assert "That handle is taken" not in free[2]
    for kind, handle in KNOWN.items():
        taken = answer(app.test_client(), "/register", registration(handle, failure), handle)
        assert taken == free, f"{failure}: the page differs for a handle that is {kind}"


def test_a_taken_handle_is_said_plainly_and_keeps_what_was_typed(app, accounts):
    data = {
        "handle": "Known_One",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_guidelines": "y",
    }
    status, _, page = answer(app.test_client(), "/register", data, "not-in-page")
    assert status == 400
    assert "That handle is taken. Please choose another." in page
    assert 'value="Known_One"' in page


def test_a_taken_handle_answers_as_fast_as_any_other_refused_registration(app, accounts):
    taken = {
        "handle": "known_one",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_guidelines": "y",
    }
    forms = {"taken": taken, "held by a deleted account": {**taken, "handle": "deleted_1"}}
    forms.update({failure: registration(UNKNOWN, failure) for failure in REGISTRATION_FAILURES})
    assert_same_cost(app, "/register", forms, "taken")
