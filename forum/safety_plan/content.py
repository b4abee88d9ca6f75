"""The seven sections of a safety plan, in plain words: a title, why it helps, an example.

The structure is Stanley and Brown's Safety Planning Intervention (Stanley & Brown, Cognitive
and Behavioral Practice 2012; Stanley et al., JAMA Psychiatry 2018): warning signs, coping on
one's own, people and places that distract, people to ask for help, professionals and
services, making the surroundings safer, and reasons for living.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

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
        _l("My warning signs"),
        _l(
            "Noticing the first signs that a hard time is starting gives you a chance to use your "
            "plan sooner."
        ),
        _l("I stop answering messages and lie awake going over the same thoughts."),
    ),
    Section(
        "coping",
        _l("Things I can do on my own to cope"),
        _l("Small things you can do by yourself can help a feeling pass, or ease it a little."),
        _l("Have a hot shower, then make a cup of tea and sit by the window."),
    ),
    Section(
        "distractions",
        _l("People and places that take my mind off things"),
        _l(
            "Being around other people, even without talking about how you feel, can give your "
            "mind a rest."
        ),
        _l("Sit in the café on the high street, or message my cousin about football."),
    ),
    Section(
        "helpers",
        _l("People I can ask for help"),
        _l(
            "Writing down who to ask, and how to reach them, makes asking easier when it is hard "
            "to think."
        ),
        _l("My sister Sam: call or text 07700 900123."),
    ),
    Section(
        "professionals",
        _l("Professionals and services I can contact"),
        _l(
            "These people are there for exactly this, and many answer day and night. We started "
            "you off with the helplines for your area: keep them, remove them or add your own."
        ),
        _l("My GP surgery: call 01632 960123 (weekdays, 8am to 6pm)."),
    ),
    Section(
        "safer_surroundings",
        _l("Making my surroundings safer"),
        _l(
            "Putting time and distance between you and things you could use to hurt yourself "
            "makes the hardest moments safer."
        ),
        _l("Ask my friend to keep my tablets and give me a week's worth at a time."),
    ),
    Section(
        "reasons_for_living",
        _l("My reasons for living"),
        _l("Remembering what matters to you can help you hold on through a hard moment."),
        _l("My dog, Biscuit, who waits by the door for me every morning."),
    ),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)

# Under every printed and downloaded plan, its numbers one tap away on a phone.
IN_DANGER_NOW = _l(
    "If you are in danger right now, call your local emergency number (such as 999, 112, 911 "
    "or 000), or go to the nearest emergency department."
)
