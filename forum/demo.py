"""Believable demo content for trying the forum: members, threads and reply trees.

Demo members get random passwords nobody knows; create your own account to log in.
"""

import secrets

from sqlalchemy import select

from forum.auth.services import find_member, register_member
from forum.extensions import db
from forum.models import Board
from forum.models.accounts import MEMBER
from forum.threads.services import reply_to_thread, start_thread

MEMBERS = ("willow_walks", "quiet_tea", "sam_rebuilds", "northern_lights", "paper_boats")

# (board slug, title, author, anonymous, body, replies); a reply is
# (author, anonymous, body, replies-to-it).
THREADS = [
    (
        "introductions",
        "Hello from someone who has been reading for months",
        "paper_boats",
        False,
        "I've been reading here quietly for a long time. Today I finally made an account.\n\n"
        "I'm not sure what to say yet, but thank you all for the posts that got me through winter.",
        [
            (
                "quiet_tea",
                False,
                "Welcome! There's no rush to say anything. Reading counts too.",
                [("paper_boats", False, "Thank you, that means a lot.", [])],
            ),
            (
                "sam_rebuilds",
                False,
                "Glad you're here. The **Small Wins** board is a gentle place "
                "to start if you want one.",
                [],
            ),
        ],
    ),
    (
        "depression",
        "Mornings are the hardest part",
        "willow_walks",
        True,
        "Does anyone else find the first hour of the day almost impossible? By evening I feel "
        "*almost* human, but getting out of bed feels like walking through wet sand.",
        [
            (
                "northern_lights",
                False,
                "Yes. What helped me a little:\n\n- curtains open before "
                "anything else\n- a glass of water by the bed\n- one song, "
                "then feet on the floor",
                [
                    (
                        "willow_walks",
                        True,
                        "The one song idea is lovely. I'll try it tomorrow.",
                        [("northern_lights", False, "Let us know how it goes, no pressure.", [])],
                    )
                ],
            ),
            ("quiet_tea", True, "Same here. You're not alone in this.", []),
        ],
    ),
    (
        "anxiety",
        "Panic in the supermarket queue",
        "sam_rebuilds",
        False,
        "Had a bad one today at the checkout. I left my basket and went to sit in the car.\n\n"
        "I know it passes, but in the moment it doesn't feel like it will.",
        [
            (
                "paper_boats",
                False,
                "That sounds really frightening. Leaving was a way of taking "
                "care of yourself, not a failure.",
                [],
            ),
            (
                "willow_walks",
                False,
                "Grounding helps me: five things I can see, four I can hear...",
                [("sam_rebuilds", False, "I'd forgotten about that one. Thank you.", [])],
            ),
        ],
    ),
    (
        "small-wins",
        "I made the phone call",
        "quiet_tea",
        False,
        "The one I'd been putting off for three weeks. It took four minutes. ~~Dread~~ Relief!",
        [
            ("northern_lights", False, "That's huge. Well done!", []),
            ("paper_boats", True, "Four minutes vs three weeks of worry. Proud of you.", []),
        ],
    ),
]


def _demo_member(handle: str):
    """A demo member in good standing (trust level 1), so their posts show at once: with the
    shipped FORUM_NEW_MEMBER_HOLD a new member's first posts would wait for a moderator."""
    member = find_member(handle)
    if member is None:
        member = register_member(handle, secrets.token_urlsafe(24))
        member.trust_level = MEMBER
    return member


def _add_replies(thread, parent, replies, members) -> None:
    for author, anonymous, body, children in replies:
        post = reply_to_thread(members[author], thread, body, anonymous, parent=parent)
        _add_replies(thread, post, children, members)


def seed_demo() -> int:
    """Add the demo threads once; returns how many threads were added (0 when already there)."""
    if find_member(MEMBERS[0]) is not None:
        return 0
    members = {handle: _demo_member(handle) for handle in MEMBERS}
    boards = {board.slug: board for board in db.session.execute(select(Board)).scalars()}
    added = 0
    for slug, title, author, anonymous, body, replies in THREADS:
        if slug not in boards:
            continue
        thread = start_thread(members[author], boards[slug], title, body, anonymous)
        _add_replies(thread, None, replies, members)
        added += 1
    return added
