"""Keep search queries out of the request log.

Search is a GET, so the words someone looked for would sit in the query string of the
development server's request line ("GET /search?q=... HTTP/1.1"). This filter cuts every
query string out of what the ``werkzeug`` logger writes, for every path.
"""

import logging
import re

# From "?" to the end of the URL: the URL ends at a space, a quote or an ANSI colour code.
QUERY_STRING = re.compile(r"\?[^\s\"'\x1b]*")


def without_query_strings(message: str) -> str:
    """``message`` with the query string of any URL in it removed."""
    return QUERY_STRING.sub("", message)


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


def install_request_log_filter() -> None:
    """Attach the filter to the ``werkzeug`` logger once per process."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(existing, DropQueryStrings) for existing in logger.filters):
        logger.addFilter(DropQueryStrings())
