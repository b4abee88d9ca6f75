"""The seven sections of a safety plan, in plain words: a title, why it helps, an example.

The structure is Stanley and Brown's Safety Planning Intervention (Stanley & Brown, Cognitive
and Behavioral Practice 2012; Stanley et al., JAMA Psychiatry 2018): warning signs, coping on
one's own, people and places that distract, people to ask for help, professionals and
services, making the surroundings safer, and reasons for living.
"""

from dataclasses import dataclass

MAX_ITEMS = 20
MAX_ITEM_LENGTH = 200


@dataclass(frozen=True)
class Section:
    """One step of the plan: ``key`` is its form field and its column in safety_plans."""

    key: str
    title: str
    why: str
    example: str


SECTIONS = (
    Section(
        "warning_signs",
        "My warning signs",
        "Noticing the first signs that a hard time is starting gives you a chance to use your "
        "plan sooner.",
        "I stop answering messages and lie awake going over the same thoughts.",
    ),
    Section(
        "coping",
        "Things I can do on my own to cope",
        "Small things you can do by yourself can help a feeling pass, or ease it a little.",
        "Have a hot shower, then make a cup of tea and sit by the window.",
    ),
    Section(
        "distractions",
        "People and places that take my mind off things",
        "Being around other people, even without talking about how you feel, can give your "
        "mind a rest.",
        "Sit in the café on the high street, or message my cousin about football.",
    ),
    Section(
        "helpers",
        "People I can ask for help",
        "Writing down who to ask, and how to reach them, makes asking easier when it is hard "
        "to think.",
        "My sister Sam: call or text 07700 900123.",
    ),
    Section(
        "professionals",
        "Professionals and services I can contact",
        "These people are there for exactly this, and many answer day and night. We started "
        "you off with the helplines for your area: keep them, remove them or add your own.",
        "My GP surgery: call 01632 960123 (weekdays, 8am to 6pm).",
    ),
    Section(
        "safer_surroundings",
        "Making my surroundings safer",
        "Putting time and distance between you and things you could use to hurt yourself "
        "makes the hardest moments safer.",
        "Ask my friend to keep my tablets and give me a week's worth at a time.",
    ),
    Section(
        "reasons_for_living",
        "My reasons for living",
        "Remembering what matters to you can help you hold on through a hard moment.",
        "My dog, Biscuit, who waits by the door for me every morning.",
    ),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)

# Under every printed and downloaded plan, its numbers one tap away on a phone.
IN_DANGER_NOW = (
    "If you are in danger right now, call your local emergency number (such as 999, 112, 911 "
    "or 000), or go to the nearest emergency department."
)
