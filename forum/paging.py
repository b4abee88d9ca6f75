"""Opaque-looking keyset cursors: a row's sort key written into a ``?cursor=`` value."""

from datetime import datetime

MOMENT_FORMAT = "%Y%m%d%H%M%S%f"
MAX_CURSOR_LENGTH = 80


class BadCursor(ValueError):
    """A cursor this forum did not make."""


def encode_cursor(*parts: bool | datetime | int) -> str:
    """Write a sort key (booleans, timestamps, ids) as a dot-separated cursor."""
    words = []
    for part in parts:
        if isinstance(part, bool):
            words.append("1" if part else "0")
        elif isinstance(part, datetime):
            words.append(part.strftime(MOMENT_FORMAT))
        else:
            words.append(str(int(part)))
    return ".".join(words)


def decode_cursor(cursor: str, *kinds: type) -> tuple:
    """Read a cursor made by ``encode_cursor`` with parts of ``kinds``; else ``BadCursor``."""
    words = cursor.split(".")
    if len(cursor) > MAX_CURSOR_LENGTH or len(words) != len(kinds):
        raise BadCursor(cursor)
    try:
        return tuple(_decode_part(word, kind) for word, kind in zip(words, kinds, strict=True))
    except ValueError as error:
        raise BadCursor(cursor) from error


def _decode_part(word: str, kind: type):
    if kind is bool:
        if word not in ("0", "1"):
            raise ValueError(word)
        return word == "1"
    if kind is datetime:
        return datetime.strptime(word, MOMENT_FORMAT)
    if not (word.isascii() and word.isdigit() and len(word) <= 18):
        raise ValueError(word)
    return int(word)
