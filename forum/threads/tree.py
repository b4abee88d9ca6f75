"""Tree paths: where a post sits in its thread's reply tree.

A path is a dot-separated list of zero-padded sequence numbers: the opening post is
``0000000``; a reply to the thread is ``0000005``; a reply to that one ``0000005.0000009``.
Sorting by path gives tree order. Storage nesting is capped (``MAX_STORED_DEPTH``) so paths
stay short enough for an index; a reply below the cap is stored as a sibling placed after its
parent and still records the post it answers in ``parent_id``.
"""

SEGMENT_WIDTH = 7
OPENING_PATH = "0" * SEGMENT_WIDTH
MAX_STORED_DEPTH = 30


def segment(sequence: int) -> str:
    """One zero-padded path segment."""
    return f"{sequence:0{SEGMENT_WIDTH}d}"


def depth_of(path: str) -> int:
    """Nesting depth: 0 for the opening post and replies to the thread."""
    return path.count(".")


def path_for_reply(parent_path: str | None, sequence: int) -> str:
    """The path of a new reply with thread ``sequence``, under ``parent_path`` (None: thread)."""
    if parent_path is None or parent_path == OPENING_PATH:
        return segment(sequence)
    if depth_of(parent_path) >= MAX_STORED_DEPTH:
        parent_path = parent_path.rsplit(".", 1)[0]
    return f"{parent_path}.{segment(sequence)}"
