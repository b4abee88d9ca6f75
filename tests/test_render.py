"""Tests for forum.render: Markdown rendering and the XSS safety of its output.

The structural check ``assert_safe_html`` re-parses rendered HTML the way a browser would
(html5lib) and fails on any element, attribute or URL scheme outside the allowlist.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import html5lib
import pytest

from forum.render import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    RENDER_POLICY_VERSION,
    render_markdown,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
XSS_CORPUS = CORPORA / "xss-payloads.txt"
BLNS_CORPUS = CORPORA / "blns.json"

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background"}


def _url_scheme(value: str) -> str | None:
    """Return the URL scheme a browser would see, or None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip(_C0_OR_SPACE)
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


def _local_name(name: str) -> str:
    """Drop an etree ``{namespace}`` prefix from a tag or attribute name."""
    return name.rsplit("}", 1)[-1]


def _problems(html: str) -> list[str]:
    """List every reason the fragment is unsafe (empty list means safe)."""
    problems = []
    if "<img" in html.lower():
        problems.append("contains <img")
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for el in fragment.iter():
        if el is fragment:
            continue
        if not isinstance(el.tag, str):
            problems.append(f"non-element node {el.tag!r} (comment or PI)")
            continue
        tag = _local_name(el.tag)
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}> not allowed")
        for raw_name, value in el.attrib.items():
            name = _local_name(raw_name).lower()
            if name not in ALLOWED_ATTRIBUTES.get(tag, []):
                problems.append(f"attribute {name!r} not allowed on <{tag}>")
            if name.startswith("on"):
                problems.append(f"event handler attribute {name!r} on <{tag}>")
            if name in _URL_ATTRIBUTES:
                scheme = _url_scheme(value)
                if scheme is not None and scheme not in ALLOWED_PROTOCOLS:
                    problems.append(f"{name}={value!r} has scheme {scheme!r}")
    return problems


def assert_safe_html(html: str) -> None:
    """Fail unless the HTML re-parses into allowlisted tags, attributes and URL schemes."""
    problems = _problems(html)
    assert not problems, f"unsafe HTML {html!r}: {problems}"


# --------------------------------------------------------------------------------------
# Known XSS forms, typed into a post as Markdown source.
# --------------------------------------------------------------------------------------

XSS_PAYLOADS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script>alert(1)",
    "<script src=//evil.example/x.js></script>",
    "<script\n>alert(1)</script\n>",
    '"><script>alert(1)</script>',
    "'';!--\"<XSS>=&{()}",
    "<div>\n<script>alert(1)</script>\n</div>",
    "    <script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "**<script>alert(1)</script>**",
    "~~<script>alert(1)</script>~~",
    "> <script>alert(1)</script>",
    "- <script>alert(1)</script>",
    "# <script>alert(1)</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<p onclick=alert(1)>click</p>",
    "<a onclick=alert(1)>x</a>",
    "<x onclick=alert(1)>x</x>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    # svg and math
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<math href="javascript:alert(1)">CLICK</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    # embedding and document-level tags
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<style>@import "javascript:alert(1)";</style>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<isindex action="javascript:alert(1)" type=image>',
    '<table background="javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="x" style="background:url(javascript:alert(1))">x</a>',
    # comments and CDATA
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    # Markdown links with hostile schemes
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](java\nscript:alert(1))",
    "[x](java\rscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&#x0A;ascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x]( javascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](javas\x00cript:alert(1))",
    "[x](\u2028javascript:alert(1))",
    "[x](java\u2029script:alert(1))",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "title")',
    "[x](%6A%61vascript:alert(1))",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x][1]\n\n[1]: <javascript:alert(1)>",
    '[x][1]\n\n[1]: javascript:alert(1) "t"',
    "[javascript:alert(1)]\n\n[javascript:alert(1)]: javascript:alert(1)",
    "[<script>alert(1)</script>](https://example.org)",
    "[x](https://example.org)<script>alert(1)</script>",
    # images
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "![](https://evil.example/track.png)",
    '![x"onerror="alert(1)](y)',
    '![x](y "t\\" onerror=\\"alert(1)")',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "![x][img]\n\n[img]: https://evil.example/track.png",
    # autolinks
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    '<http://a.com/"onmouseover="alert(1)>',
    "<mailto:x@example.org?body=<script>>",
    # raw HTML anchors
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    # attribute-breaking payloads
    '[x](http://a.com"onmouseover="alert(1))',
    "[x](http://a.com'onmouseover='alert(1))",
    '[x](http://a.com "t\\" onmouseover=\\"alert(1)")',
    "[x](http://a.com 't\\' onmouseover=\\'alert(1)')",
    "[x](http://a.com><script>alert(1)</script>)",
    # bare URLs that linkify
    'https://example.org/"><script>alert(1)</script>',
    'https://example.org/"onmouseover="alert(1)',
    "www.example.org/<script>alert(1)</script>",
    "javascript:alert(1)",
    "see javascript://example.org/%0Aalert(1)",
    # entity tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "\\<script>alert(1)\\</script>",
]


def test_the_xss_table_has_at_least_sixty_payloads():
    assert len(XSS_PAYLOADS) >= 60


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_known_xss_form_renders_to_safe_html(payload):
    assert_safe_html(render_markdown(payload))


def test_every_line_of_the_xss_corpus_renders_to_safe_html():
    if not XSS_CORPUS.is_file():
        pytest.skip(f"shared XSS corpus not found at {XSS_CORPUS}")
    lines = [line for line in XSS_CORPUS.read_text(encoding="utf-8").splitlines() if line]
    started = time.monotonic()
    failures = []
    for line in lines:
        problems = _problems(render_markdown(line))
        if problems:
            failures.append(f"{line!r}: {problems}")
    assert not failures, f"{len(failures)} corpus payloads unsafe:\n" + "\n".join(failures)
    assert time.monotonic() - started < 30, "corpus check should take a few seconds"


def test_every_naughty_string_renders_to_safe_html():
    if not BLNS_CORPUS.is_file():
        pytest.skip(f"shared naughty-strings corpus not found at {BLNS_CORPUS}")
    strings = json.loads(BLNS_CORPUS.read_text(encoding="utf-8"))
    failures = [f"{s!r}: {p}" for s in strings if (p := _problems(render_markdown(s)))]
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------------------
# The check itself must be able to fail.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_fragment",
    [
        '<a href="javascript:x">',
        '<a href="JavaScript:x">x</a>',
        '<a href="java&#9;script:x">x</a>',
        '<a href=" \x01javascript:x">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<img src="https://example.org/x.png">',
        '<a onclick="x">x</a>',
        '<a title="x">x</a>',
        '<p class="x">x</p>',
        "<script>x</script>",
        "<!-- x -->",
        "<h1>x</h1>",
    ],
)
def test_the_safety_check_rejects_an_unsafe_fragment(bad_fragment):
    with pytest.raises(AssertionError):
        assert_safe_html(bad_fragment)


def test_the_safety_check_accepts_a_safe_fragment():
    assert_safe_html(
        f'<p><a href="https://example.org" rel="{LINK_REL}">x</a> <a href="/r">r</a></p>'
    )


# --------------------------------------------------------------------------------------
# Positive behaviour: the renderer does what posts need.
# --------------------------------------------------------------------------------------


def test_the_public_policy_constants_match_the_documented_policy():
    tags = {"p", "br", "strong", "em", "del", "blockquote", "code", "pre", "ul", "ol", "li"}
    tags |= {"a", "hr", "h3", "h4", "h5"}
    protocols = {"http", "https", "mailto"}
    assert RENDER_POLICY_VERSION == 2
    assert tags == ALLOWED_TAGS
    assert ALLOWED_ATTRIBUTES == {"a": ["href", "rel"]}
    assert protocols == ALLOWED_PROTOCOLS
    assert LINK_REL == "nofollow ugc noopener noreferrer"


def test_bold_text_becomes_strong():
    assert render_markdown("**bold**") == "<p><strong>bold</strong></p>"


def test_emphasis_becomes_em():
    assert render_markdown("*soft*") == "<p><em>soft</em></p>"


def test_a_safe_https_link_keeps_its_href_and_gets_the_link_rel():
    html = render_markdown("[site](https://example.org/a?b=1)")
    assert html == f'<p><a href="https://example.org/a?b=1" rel="{LINK_REL}">site</a></p>'


def test_a_hostile_link_loses_its_href_but_keeps_its_text():
    html = render_markdown("[click me](javascript:alert(1))")
    assert "href" not in html
    assert "click me" in html
    assert "javascript" not in html


def test_a_bare_url_becomes_a_link():
    html = render_markdown("see https://example.org today")
    assert f'<a href="https://example.org" rel="{LINK_REL}">https://example.org</a>' in html


def test_a_bare_www_address_becomes_a_link():
    html = render_markdown("see www.example.org today")
    assert f'<a href="http://www.example.org" rel="{LINK_REL}">www.example.org</a>' in html


def test_a_url_inside_a_code_span_is_not_linkified():
    html = render_markdown("`https://example.org`")
    assert html == "<p><code>https://example.org</code></p>"


def test_a_url_inside_a_code_block_is_not_linkified():
    html = render_markdown("```\nhttps://example.org\n```")
    assert "<a" not in html


def test_a_top_level_heading_is_demoted_to_h3():
    assert render_markdown("# Title") == "<h3>Title</h3>"


def test_a_second_level_heading_is_demoted_to_h4():
    assert render_markdown("## x") == "<h4>x</h4>"


@pytest.mark.parametrize("source", ["### x", "#### x", "##### x", "###### x"])
def test_deeper_headings_are_demoted_to_h5(source):
    assert render_markdown(source) == "<h5>x</h5>"


def test_a_setext_heading_is_demoted_too():
    assert render_markdown("Title\n=====") == "<h3>Title</h3>"


def test_an_image_becomes_a_link_with_its_alt_text():
    html = render_markdown("![a cat](https://example.org/cat.png)")
    assert html == f'<p><a href="https://example.org/cat.png" rel="{LINK_REL}">a cat</a></p>'


def test_an_image_without_alt_text_becomes_a_link_showing_its_url():
    html = render_markdown("![](https://example.org/cat.png)")
    url = "https://example.org/cat.png"
    assert html == f'<p><a href="{url}" rel="{LINK_REL}">{url}</a></p>'


def test_an_image_inside_a_link_becomes_the_link_text():
    html = render_markdown("[![badge](https://example.org/b.png) here](https://example.org/)")
    assert html == f'<p><a href="https://example.org/" rel="{LINK_REL}">badge here</a></p>'


def test_a_tracking_image_never_produces_an_img_element():
    assert "<img" not in render_markdown("![x](https://evil.example/track.png)")


def test_strikethrough_becomes_del():
    assert render_markdown("~~gone~~") == "<p><del>gone</del></p>"


def test_strikethrough_can_contain_other_emphasis():
    assert render_markdown("~~**gone**~~") == "<p><del><strong>gone</strong></del></p>"


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


def test_a_script_tag_typed_in_a_paragraph_is_visible_as_escaped_text():
    html = render_markdown("I typed <script>alert(1)</script> here")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_a_code_fence_keeps_its_content_escaped():
    html = render_markdown("```python\nif a < b and c > d:\n    print('<b>')\n```")
    assert html.startswith("<pre><code>")
    assert "if a &lt; b and c &gt; d:" in html
    assert "print('&lt;b&gt;')" in html
    assert "class=" not in html


def test_a_line_break_inside_a_paragraph_gives_br():
    html = render_markdown("Dear all,\nthank you.")
    assert html == "<p>Dear all,<br>\nthank you.</p>"


def test_a_blank_line_starts_a_new_paragraph():
    assert render_markdown("one\n\ntwo") == "<p>one</p>\n<p>two</p>"


def test_a_mailto_link_is_kept():
    html = render_markdown("[write](mailto:help@example.org)")
    assert f'<a href="mailto:help@example.org" rel="{LINK_REL}">write</a>' in html


def test_lists_blockquotes_and_rules_are_rendered():
    html = render_markdown("- a\n- b\n\npara\n\n1. c\n\n> quoted\n\n---")
    for fragment in ("<ul>", "<li>a</li>", "<ol>", "<li>c</li>", "<blockquote>", "<hr>"):
        assert fragment in html


def test_every_link_gets_exactly_the_link_rel():
    html = render_markdown("[a](https://a.example) <https://b.example> https://c.example.org")
    assert html.count(f'rel="{LINK_REL}"') == 3
    assert_safe_html(html)


def test_none_is_treated_as_empty_text():
    assert render_markdown(None) == ""


def test_empty_text_renders_to_nothing():
    assert render_markdown("") == ""


def test_nul_characters_are_stripped():
    assert render_markdown("a\x00b") == "<p>ab</p>"


def test_rendering_from_many_threads_at_once_gives_the_same_html():
    from concurrent.futures import ThreadPoolExecutor

    source = "# Hi\n\n**bold** https://example.org\n\n```\ncode <b>\n```\n\n- a\n- b"
    expected = render_markdown(source)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render_markdown, [source] * 200))
    assert all(result == expected for result in results)
