"""Handle skeletons and reserved names, as pure functions over tables of handles."""

import pytest

from forum.handles import reserved_name, skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("keeper_k", "keeper-k"),
        ("keeper_k", "Keeper.K"),
        ("keeper_k", "KEEPERK"),
        ("mod1", "m0d1"),
        ("mod1", "rnod1"),
        ("mod1", "modl"),
        ("mod1", "modI"),
        ("admin", "adm1n"),
        ("admin", "4dmin"),
        ("moderator", "moderat0r"),
        ("moderator", "rnoderator"),
        ("samaritans", "5amaritans"),
        ("samaritans", "Samaritans"),
        ("helpline", "he1p1ine"),
        ("helpline", "HELPLINE"),
        ("crisis_team", "crisis-team"),
        ("crisis_team", "cr1s1steam"),
        ("former_member", "former-member"),
        ("emergency", "3mergency"),
        ("willow", "wi11ow"),
        ("willow", "vvillow"),
        ("sam", "5am"),
    ],
)
def test_handles_a_reader_could_mistake_have_one_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("maple", "maple2"),
        ("river_stone", "river_stones"),
        ("sam", "sum"),
        ("mod1", "mod2"),
        ("keeper_k", "keeper_j"),
        ("quiet_one", "quiet_two"),
    ],
)
def test_handles_that_differ_to_the_eye_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


RESERVED = [
    # Staff words, and lookalikes of them.
    "admin",
    "Admin",
    "adm1n",
    "administrator",
    "mod",
    "MOD",
    "m0d",
    "moderator",
    "moderat0r",
    "rnoderator",
    "staff",
    "5taff",
    "team",
    "support",
    "official",
    "system",
    # Staff words with digits and separators only.
    "mod1",
    "m0d1",
    "rnod1",
    "mod_2",
    "2mod",
    "_mod_",
    "team3",
    "staff_99",
    "4dmin99",
    "support_team",
    "mod-team",
    # Beginning with admin, moderator, crisis, helpline, samaritan or anon.
    "admin_jo",
    "administrator2",
    "moderator_kim",
    "crisis_uk",
    "crisisline",
    "crisis-team",
    "cr1s1s_team",
    "helpline4u",
    "helpline_uk",
    "samaritan_jo",
    "Samaritans",
    "anonymous",
    "Anonymous_Heron",
    "anon_1",
    # "mod" before a separator, as handles always were.
    "mod_jo",
    "m0d-k",
    # Crisis services.
    "helpline",
    "samaritans",
    "crisis",
    "emergency",
    "911",
    "9l1",
    "999",
    "112",
    "shout",
    "lifeline",
    "childline",
    # Deleted and anonymous authors, the forum itself.
    "former-member",
    "former_member",
    "deleted",
    "deleted_member",
    "forum",
    "root",
    "everyone",
    "guest",
    "Test_Forum",
    "testforum",
]
ORDINARY = [
    "maple",
    "river_stone",
    "sam",
    "sam_rebuilds",
    "keeper",
    "the_keeper",
    "head_admin",
    "some_moderator",
    "modest",
    "moderate",
    "model_train",
    "stafford",
    "team_player",
    "support_seeker",
    "officially_tired",
    "shouting_quietly",
    "crisp_apple",
    "deleted_1",
    "1999",
    "2112",
    "quiet_one",
    "willow_walks",
    "northern_lights",
]


@pytest.mark.parametrize("handle", RESERVED)
def test_handles_posing_as_staff_crisis_services_or_the_forum_are_reserved(handle):
    assert reserved_name(handle, site_name="Test Forum")


@pytest.mark.parametrize("handle", ORDINARY)
def test_ordinary_handles_are_not_reserved(handle):
    assert not reserved_name(handle, site_name="Test Forum")


def test_the_site_name_is_reserved_only_for_its_own_site():
    assert reserved_name("Quiet_Harbour", site_name="Quiet Harbour")
    assert not reserved_name("Quiet_Harbour", site_name="Test Forum")
