"""Every Markdown construct the forum supports, written through the real form by a member of
each trust level and read back by a lurker: what the reader gets is the HTML they should."""

import re

import pytest
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Post
from forum.render import RENDER_POLICY_VERSION
from tests.factories import make_member, make_thread

SOURCE = """# A heading

Hello @ann and @nobody_here, see [the page](https://example.org/help) or www.example.net.

> a quote

- one
- two

`inline code` and ~~struck~~ **strong** *em*

```
code @ann <b>kept</b>
```

![a picture](https://example.org/pic.png)
"""


def thread_html(page: str) -> str:
    """The posts of a thread page, without the page around them."""
    return page[page.index("<article") : page.rindex("</article>")]


@pytest.mark.parametrize("trust", [0, 1, 2])
def test_every_construct_reaches_readers_as_it_should(app, login_as, lurker, trust):
    with app.app_context():
        make_member("ann")
        make_member("writer", trust=trust)
        thread = make_thread(make_member("opener"))
        thread_id = thread.id
    answer = login_as("writer").post(f"/t/{thread_id}/reply", data={"body": SOURCE})
    assert answer.status_code == 302
    html = thread_html(lurker.get(f"/t/{thread_id}").get_data(as_text=True))
    # A mention of a member is a link to their profile at every trust level; anything else
    # that looks like one stays text; nothing is ever escaped markup.
    assert re.search(r'<a href="/u/ann"[^>]*>@ann</a>', html)
    assert "@nobody_here" in html and "/u/nobody_here" not in html
    assert "&lt;a" not in html
    assert "<h3>A heading</h3>" in html
    assert "<blockquote>" in html and "<li>one</li>" in html
    assert "<code>inline code</code>" in html and "<del>struck</del>" in html
    assert "<strong>strong</strong>" in html and "<em>em</em>" in html
    assert "code @ann &lt;b&gt;kept&lt;/b&gt;" in html  # code stays code: no mention inside
    assert "<img" not in html
    if trust == 0:
        # New members' links are text, so a spammer's first posts carry none.
        assert 'href="https://example.org' not in html
        assert "the page (https://example.org/help)" in html
        assert 'href="http://www.example.net' not in html
    else:
        assert 'href="https://example.org/help" rel="nofollow ugc noopener noreferrer"' in html
        assert 'href="http://www.example.net"' in html
        assert 'href="https://example.org/pic.png"' in html


def test_a_new_members_links_cannot_pass_as_mentions(app, login_as, lurker):
    with app.app_context():
        make_member("ann")
        make_member("writer", trust=0)
        thread_id = make_thread(make_member("opener")).id
    body = '[@ann](javascript:alert(1)) and [x](/u/ann) and <a href="/u/ann">raw</a>'
    data = {"body": body, "privacy_choice": "post"}
    answer = login_as("writer").post(f"/t/{thread_id}/reply", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[-3000:]
    page = lurker.get(f"/t/{thread_id}").get_data(as_text=True)
    reply = page[page.index(f'id="p{latest_post_id(app)}"') :]
    reply_body = reply[reply.index('<div class="post-body">') : reply.index("</div>")]
    # Every link became text first; only then are mentions linked, so the one link left is
    # the mention, and the address is text.
    assert re.findall(r"<a [^>]*>", reply_body) == ['<a href="/u/ann">']
    assert "</a> (javascript:alert(1))" in reply_body and "x (/u/ann)" in reply_body
    assert "&lt;a href=" in reply_body  # raw HTML typed is shown as text


def latest_post_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).order_by(Post.id.desc())).scalars().first()


def test_init_renders_again_the_posts_made_under_an_older_policy(app, runner):
    with app.app_context():
        make_member("ann")
        writer = make_member("writer", trust=0)
        thread = make_thread(writer, body="Hi @ann")
        db.session.execute(
            update(Post).values(body_html="<p>Hi &lt;a href=...&gt;</p>", render_version=1)
        )
        db.session.commit()
        post_id = thread.first_post_id
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "1 post(s) rendered again" in result.output
    with app.app_context():
        post = db.session.execute(select(Post).filter_by(id=post_id)).scalar_one()
        assert post.render_version == RENDER_POLICY_VERSION
        assert '<a href="/u/ann">@ann</a>' in post.body_html
    again = runner.invoke(args=["init"])
    assert "rendered again" not in again.output
