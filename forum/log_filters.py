"""Keep search queries and addresses out of the request log.

Search is a GET, so the words someone looked for would sit in the query string of the
development server's request line ("GET /search?q=... HTTP/1.1"). This filter cuts every
query string out of what the ``werkzeug`` logger writes, for every path, and the client's
address from the start of each request line (where someone reads from is personal too),
and the slug from thread paths: "/t/12/i-cant-sleep-since-the-funeral" is the thread's title,
and the id alone finds the thread. ``forum serve`` puts the same filter on gunicorn's access
log (see ``forum.serve``).
"""

import logging
import re

# From "?" to the end of the URL: the URL ends at a space or an ANSI colour code. Not at a
# quote: werkzeug logs the URL decoded, so a search for 'a "b" c' puts quotes inside it, and
# stopping there left the rest of the search in the log (found by the hostile-content test).
QUERY_STRING = re.compile(r"\?[^\s\x1b]*")
# Werkzeug's request lines start "<address> - - [<date>] ..." (IPv4, IPv6 or a host name).
LEADING_ADDRESS = re.compile(r"^\S+ - - \[")
# /t/<id>/<slug>: the slug is made from the thread's title. The thread's own sub-pages
# (/t/<id>/reply and the rest) are kept.
THREAD_PAGES = ("reply", "feed.atom", "watch", "unwatch", "no-reply-wanted", "reply-welcome")
END_OF_SEGMENT = r"[^\s\"'/?\x1b]"
KEPT_PAGE = rf"(?:{'|'.join(map(re.escape, THREAD_PAGES))})(?!{END_OF_SEGMENT})"
THREAD_SLUG = re.compile(rf"(/t/\d+)/(?!{KEPT_PAGE}){END_OF_SEGMENT}+")


def without_query_strings(message: str) -> str:
    """``message`` without query strings, thread slugs or a leading client address."""
    message = THREAD_SLUG.sub(r"\1", QUERY_STRING.sub("", message))
    return LEADING_ADDRESS.sub("- - - [", message)


class DropQueryStrings(logging.Filter):
    """Rewrites each record's message without query strings (never drops the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: logging reports it, there is nothing to clean
        cleaned = without_query_strings(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_request_log_filter(name: str = "werkzeug") -> None:
    """Attach the filter to the logger ``name`` (a request log) once per process."""
    logger = logging.getLogger(name)
    if not any(isinstance(existing, DropQueryStrings) for existing in logger.filters):
        logger.addFilter(DropQueryStrings())
