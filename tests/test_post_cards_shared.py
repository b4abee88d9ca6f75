"""Post cards shared between readers (forum/threads/cards.py): a card made for one member is
reused for another only where they would see it alike, and each page's forms carry its own
reader's CSRF token."""

import re

from forum.extensions import db
from forum.pagecache import CSRF_PLACEHOLDER
from tests.factories import make_member, make_reply, make_thread

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def card_of(page: str, post_id: int) -> str:
    return page.split(f'id="p{post_id}"', 1)[1].split("</article>", 1)[0]


def reaction_button(page: str, post_id: int) -> str:
    button = r'<button type="submit" class="reaction[^"]*"[^>]*data-kind="support">'
    return re.search(button, card_of(page, post_id)).group(0)


def test_a_members_own_reaction_and_token_never_reach_another_member(app, login_as, lurker):
    with app.app_context():
        ann, bob = make_member("ann"), make_member("bob")
        make_member("cyd")
        thread = make_thread(ann, title="Evenings", body="How do you get through?")
        reply = make_reply(bob, thread, "Tea helps.")
        db.session.commit()
        thread_id, reply_id = thread.id, reply.id
    cyd, bob_client, ann_client = login_as("cyd"), login_as("bob"), login_as("ann")
    app.config["WTF_CSRF_ENABLED"] = True
    page = cyd.get(f"/t/{thread_id}").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    cyd.post(f"/p/{reply_id}/react", data={"kind": "support", "csrf_token": token})

    cyds_page = cyd.get(f"/t/{thread_id}").get_data(as_text=True)
    bobs_page = bob_client.get(f"/t/{thread_id}").get_data(as_text=True)
    anns_page = ann_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in reaction_button(cyds_page, reply_id)
    assert 'aria-pressed="false"' in reaction_button(anns_page, reply_id)
    assert 'Sending support · <span class="count">1</span>' in card_of(anns_page, reply_id)
    # Bob wrote the post: he sees the count and who sent it, and no pressed button.
    assert "Sending support · 1" in card_of(bobs_page, reply_id)
    assert 'aria-pressed="true"' not in bobs_page
    assert "Who sent these" in bobs_page and "cyd" in bobs_page.split("Who sent these")[1]
    assert "Who sent these" not in cyds_page
    for page in (cyds_page, bobs_page, anns_page):
        tokens = set(TOKEN.findall(page))
        assert len(tokens) == 1, "one reader, one token on every form of the page"
        assert CSRF_PLACEHOLDER not in page
    assert set(TOKEN.findall(cyds_page)) != set(TOKEN.findall(anns_page))
    # Every form on Cyd's page works with the token it carries: a reaction from a shared card.
    token = TOKEN.search(cyds_page).group(1)
    response = cyd.post(f"/p/{reply_id}/react", data={"kind": "support", "csrf_token": token})
    assert response.status_code == 302
    lurkers_page = lurker.get(f"/t/{thread_id}")
    assert "csrf_token" not in lurkers_page.get_data(as_text=True)
    assert "Set-Cookie" not in lurkers_page.headers


def test_an_edit_reaches_every_reader_of_a_shared_card(app, login_as, lurker):
    with app.app_context():
        ann, bob = make_member("ann"), make_member("bob")
        thread = make_thread(ann, title="Evenings", body="How do you get through?")
        reply = make_reply(bob, thread, "Tea helps.")
        db.session.commit()
        thread_id, reply_id = thread.id, reply.id
    ann_client, bob_client = login_as("ann"), login_as("bob")
    assert "Tea helps." in ann_client.get(f"/t/{thread_id}").get_data(as_text=True)
    bob_client.post(f"/p/{reply_id}/edit", data={"body": "A walk helps more."})
    for client in (ann_client, bob_client, lurker):
        page = client.get(f"/t/{thread_id}").get_data(as_text=True)
        assert "A walk helps more." in page and "Tea helps." not in page


def test_a_moderators_tools_come_back_to_the_page_they_were_used_on(app, login_as):
    with app.app_context():
        ann, bob = make_member("ann"), make_member("bob")
        make_member("keeper", role="moderator")
        thread = make_thread(ann, title="Evenings", body="How do you get through?")
        make_reply(bob, thread, "Tea helps.")
        db.session.commit()
        thread_id = thread.id
    keeper = login_as("keeper")
    plain = keeper.get(f"/t/{thread_id}").get_data(as_text=True)
    slugged = keeper.get(f"/t/{thread_id}/evenings").get_data(as_text=True)
    assert f'name="next" value="/t/{thread_id}#p' in plain
    assert f'name="next" value="/t/{thread_id}/evenings#p' in slugged
    assert f'name="next" value="/t/{thread_id}#p' not in slugged
