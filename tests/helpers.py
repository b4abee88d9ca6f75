"""Small helpers for reading pages the way a person does."""

import re


def walk_pages(client, url: str, next_label: str, extract) -> list:
    """Follow the rel="next" link labelled ``next_label`` from ``url``, collecting
    ``extract(page_text)`` from every page until there is no next link."""
    seen = []
    while url:
        text = client.get(url).get_data(as_text=True)
        seen += extract(text)
        found = re.search(rf'<a rel="next" href="([^"]+)">{re.escape(next_label)}', text)
        url = found.group(1).replace("&amp;", "&") if found else None
    return seen
