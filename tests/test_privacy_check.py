"""Tests for forum.care.privacy_check: the pure detector behind the privacy nudge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forum.care.privacy_check import LABELS, Finding, identifying_details

BLNS_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "blns.json"


def _found(text: str) -> list[tuple[str, str]]:
    """The (kind, excerpt) pairs a post gives, in order."""
    return [(finding.kind, finding.excerpt) for finding in identifying_details(text)]


# --------------------------------------------------------------------------------------
# What each kind catches: the post, the kind, and the exact excerpt shown to the author.
# --------------------------------------------------------------------------------------

POSITIVES = [
    # phone
    ("Text me on +44 7700 900123 if you want to talk.", "phone", "+44 7700 900123"),
    ("My mobile is 07700 900 123, message any time.", "phone", "07700 900 123"),
    ("Call me on (555) 123-4567 tonight.", "phone", "(555) 123-4567"),
    ("My number is 555-123-4567.", "phone", "555-123-4567"),
    ("Ring +1 555 123 4567 after work.", "phone", "+1 555 123 4567"),
    ("I'm on 0412 345 678 if anyone in Sydney wants a chat.", "phone", "0412 345 678"),
    ("Our landline is 020 7946 0958.", "phone", "020 7946 0958"),
    ("Text 07700900123 please.", "phone", "07700900123"),
    ("Reach me at 555.123.4567.", "phone", "555.123.4567"),
    ("Mon portable: 06 12 34 56 78.", "phone", "06 12 34 56 78"),
    # email
    ("Email me at sam.jones+forum@example.co.uk.", "email", "sam.jones+forum@example.co.uk"),
    ("Write to me: jane dot doe at gmail dot com", "email", "jane dot doe at gmail dot com"),
    ("I'm jane [at] example [dot] org", "email", "jane [at] example [dot] org"),
    ("Drop me a line, jane at gmail.com", "email", "jane at gmail.com"),
    ("[email me](mailto:sam@example.com)", "email", "sam@example.com"),
    # street address
    ("I live at 42 Elm Street, it's a quiet road.", "address", "42 Elm Street"),
    ("We moved to 12 Acacia Avenue last year.", "address", "12 Acacia Avenue"),
    ("It's 221B Baker Street, the blue door.", "address", "221B Baker Street"),
    ("Flat 3, 42 Elm St. Leeds", "address", "42 Elm St"),
    ("The office is at 350 5th Avenue.", "address", "350 5th Avenue"),
    ("i live at 42 elm street lol", "address", "42 elm street"),
    ("Post it to SW1A 1AA.", "address", "SW1A 1AA"),
    ("I'm near M1 1AE.", "address", "M1 1AE"),
    ("I moved to Springfield, IL 62704 in June.", "address", "Springfield, IL 62704"),
    # full name
    ("Hi, my name is Sarah Jones and I'm new here.", "name", "Sarah Jones"),
    ("I'm called Tom Baker at work.", "name", "Tom Baker"),
    ("My real name is Mary-Jane O'Brien.", "name", "Mary-Jane O'Brien"),
    ("My name's Sarah Jones.", "name", "Sarah Jones"),
    ("My son John Smith started school.", "name", "John Smith"),
    ("My therapist Dr Jane Doe said to write it down.", "name", "Dr Jane Doe"),
    ("My GP, Dr. Anil Patel, referred me.", "name", "Dr. Anil Patel"),
    ("My husband is called Tom Baker.", "name", "Tom Baker"),
    # social
    (
        "Follow https://www.instagram.com/someone for art.",
        "social",
        "https://www.instagram.com/someone",
    ),
    ("It's instagram.com/someone.", "social", "instagram.com/someone"),
    (
        "Here's [me](https://instagram.com/someone) on the gram.",
        "social",
        "https://instagram.com/someone",
    ),
    ("Add me: facebook.com/sarah.jones.123", "social", "facebook.com/sarah.jones.123"),
    ("I'm x.com/sam_j now.", "social", "x.com/sam_j"),
    ("Old account: twitter.com/sam_j", "social", "twitter.com/sam_j"),
    ("Videos at https://www.tiktok.com/@sam!", "social", "https://www.tiktok.com/@sam"),
    ("linkedin.com/in/sarah-jones-123", "social", "linkedin.com/in/sarah-jones-123"),
    ("snapchat.com/add/sammy", "social", "snapchat.com/add/sammy"),
    ("reddit.com/u/sadpanda", "social", "reddit.com/u/sadpanda"),
    ("reddit.com/user/sadpanda", "social", "reddit.com/user/sadpanda"),
    ("youtube.com/@samvlogs", "social", "youtube.com/@samvlogs"),
    ("threads.net/@sam", "social", "threads.net/@sam"),
    ("bsky.app/profile/sam.bsky.social", "social", "bsky.app/profile/sam.bsky.social"),
    ("I'm @sunny_days on instagram.", "social", "@sunny_days on instagram"),
    ("Find me @sunny_days on TikTok", "social", "@sunny_days on TikTok"),
    ("My insta is @sunny_days", "social", "insta is @sunny_days"),
    ("I post as u/sadpanda", "social", "u/sadpanda"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_identifying_detail_is_reported_with_its_exact_excerpt(text, kind, excerpt):
    assert identifying_details(text) == [Finding(kind=kind, label=LABELS[kind], excerpt=excerpt)]


# --------------------------------------------------------------------------------------
# Ordinary peer-support posts that must not trigger the nudge.
# --------------------------------------------------------------------------------------

NEGATIVES = [
    "I've been feeling really low for 3 days and can't sleep.",
    "Some days I feel hopeful, other days I can't get out of bed.",
    "Started sertraline 50 mg on 2024-01-15, now on 100 mg.",
    "I take 20 mg of fluoxetine every morning.",
    "My appointment is on 15/01/2024 at 10:30.",
    "On 2024-01-15 10:30 I had my first session.",
    "Group runs 18:00-19:30 every Tuesday.",
    "It was 2019 when things got bad; by 2021 I was doing better.",
    "Between 2019-2021 I barely left the house.",
    "I'm on step 12 of the programme.",
    "Step 12 feels impossible right now.",
    "Chapter 3 Long Road is the bit of the workbook that made me cry.",
    "Therapy costs £60 an hour, about $1,200 a month.",
    "The app was €9.99 and totally worth it.",
    "I walked 10,000 steps today!",
    "We raised 1 000 000 for the charity, well, 1 000 000.00 exactly.",
    "My mood score is up 20% this week.",
    "Took 2 weeks off work and it helped.",
    "It's a 3 hour drive to my mum's, which is hard.",
    "I have 1 safe place and it's my garden.",
    "My PHQ-9 was 18 and my GAD-7 was 12.",
    "I sleep 4-5 hours and my blood pressure was 120/80.",
    "See https://www.nhs.uk/mental-health/ for help.",
    "I read an article at nhs.uk about grounding.",
    "mind.org.uk has good leaflets.",
    "Samaritans are on 116 123, any time.",
    "Call 0800 58 58 58 or 1-800-273-8255 if you need to talk.",
    "I spend too long on instagram.com and facebook.com.",
    "I deleted twitter and instagram last month.",
    "my name is Sam and I'm new here.",
    "My name is Sam. I have been lurking for ages.",
    "My friend Sarah came round and we talked.",
    "# Sarah Jones\n\nSarah Jones Is A Name In A Heading Without A Cue.",
    "Today Was Better Than Yesterday",
    "Email the moderators through the contact page.",
    "It felt like 1 2 3 4 5 6 7 8 9 10 on the pain scale.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_post_gives_no_findings(text):
    assert identifying_details(text) == []


# --------------------------------------------------------------------------------------
# The shape of the answer.
# --------------------------------------------------------------------------------------


def test_several_findings_come_back_in_order_of_appearance():
    text = (
        "My name is Sarah Jones. I live at 42 Elm Street and you can text 07700 900 123 "
        "or email sarah@example.com, or see instagram.com/sarahj."
    )
    assert _found(text) == [
        ("name", "Sarah Jones"),
        ("address", "42 Elm Street"),
        ("phone", "07700 900 123"),
        ("email", "sarah@example.com"),
        ("social", "instagram.com/sarahj"),
    ]


def test_each_finding_carries_the_label_for_its_kind():
    findings = identifying_details("Call 07700 900 123 or email sam@example.com.")
    assert [finding.label for finding in findings] == ["a phone number", "an email address"]


def test_the_same_detail_repeated_is_reported_once():
    text = "Email sam@example.com. Again: sam@example.com! Or 07700 900 123, 07700 900 123."
    assert _found(text) == [("email", "sam@example.com"), ("phone", "07700 900 123")]


def test_overlapping_patterns_give_one_finding_for_one_detail():
    text = "[x.com/sam](https://x.com/sam) and facebook.com/profile.php?id=100012345678"
    assert _found(text) == [
        ("social", "x.com/sam"),
        ("social", "https://x.com/sam"),
        ("social", "facebook.com/profile.php?id=100012345678"),
    ]


def test_empty_text_gives_no_findings():
    assert identifying_details("") == []


def test_finding_is_immutable():
    finding = identifying_details("sam@example.com")[0]
    with pytest.raises(AttributeError):
        finding.excerpt = "something else"  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# Hostile input: long adversarial posts finish, and nothing in the naughty strings raises.
# Patterns are linear by construction (bounded quantifiers), so these are proofs of
# completion, not timings.
# --------------------------------------------------------------------------------------

ADVERSARIAL = {
    "spaced digits": "1 " * 10_000,
    "dashed digits": "0-" * 10_000,
    "one long number": "7" * 20_000,
    "at signs": "a@" * 10_000,
    "dots": "." * 20_000,
    "dotted words": "a." * 10_000,
    "spelled email pieces": "a dot b at c dot " * 1_250,
    "bracketed email pieces": "a [at] b [dot] " * 1_450,
    "name cues": "my name is " * 1_850,
    "capitalised words": "Aa " * 6_700,
    "relations": "my son Aa " * 2_000,
    "house numbers": "12 Aa Bb Cc Dd Ee " * 1_150,
    "postcode halves": "SW1A " * 4_000,
    "city commas": "Aa Bb, " * 2_850,
    "long profile path": "https://x.com/" + "a" * 20_000,
    "repeated domains": "x.com/" * 3_350,
    "handles": "@a on " * 3_350,
    "brackets": "(" * 20_000,
    "spaces": " " * 20_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_long_adversarial_post_is_checked_to_completion(text):
    assert len(text) >= 19_000
    findings = identifying_details(text)
    assert all(finding.excerpt in text for finding in findings)


def test_details_deep_in_a_long_post_are_still_found():
    filler = "Some days are harder than others, and that's okay. " * 400
    text = filler + "Text me on 07700 900 123. " + filler + "I'm @sunny_days on instagram."
    assert len(text) > 20_000
    assert _found(text) == [("phone", "07700 900 123"), ("social", "@sunny_days on instagram")]


def test_naughty_strings_never_raise():
    if not BLNS_CORPUS.is_file():
        pytest.skip(f"shared naughty-strings corpus not found at {BLNS_CORPUS}")
    strings = json.loads(BLNS_CORPUS.read_text(encoding="utf-8"))
    for text in strings:
        findings = identifying_details(text)
        assert all(finding.excerpt in text for finding in findings), text
