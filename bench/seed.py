"""Benchmark data: fill the database fast with a believable forum (``python -m bench.seed``).

It lives outside the application package on purpose: it writes in bulk, beside the real
services, for benchmarks only. Where the services have a rule (queue ranks, handle
skeletons, paths, slugs, rendering) it calls theirs; its counters are checked against the
rows by tests/test_bench_seed.py.

Rows go in with Core ``insert()`` executemany, one transaction per batch, with ids chosen
here so parents, aliases and thread pointers are known without reading anything back.
Markdown is rendered as the write path does, but only for a pool of distinct bodies whose
HTML is then reused: rendering a million bodies one by one would take about an hour.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import click
from sqlalchemy import bindparam, func, insert, select, text, update

from forum.auth.passwords import hash_password
from forum.extensions import db
from forum.handles import skeleton
from forum.models import (
    REPORT_REASONS,
    Board,
    Member,
    ModerationItem,
    Post,
    Reaction,
    ReadState,
    Report,
    SiteVersion,
    Thread,
    ThreadAlias,
    ThreadWatch,
    utcnow,
)
from forum.models.moderation import ITEM_REPORTS, RISK
from forum.queue import NORMAL_RANK, PRIORITY_RANK
from forum.render import RENDER_POLICY_VERSION, render_markdown
from forum.threads.aliases import ADJECTIVES, ANIMALS
from forum.threads.services import slugify
from forum.threads.tree import OPENING_PATH, depth_of, path_for_reply

# Every seeded member logs in with this password: bench/run logs members in. Benchmark data
# only; never seed a real forum with it.
BENCH_PASSWORD = "bench-password"  # noqa: S105
HANDLE_PREFIX = "bench_"
BODY_POOL = 200
POSTS_PER_MEMBER = 50
# From this many posts on, one thread is guaranteed this many replies.
GIANT_FROM, GIANT_REPLIES = 10_000, 5_000
# Thread sizes: replies ~ 2 * (Pareto(alpha) - 1): most threads short, a long tail.
PARETO_ALPHA = 1.2
ANONYMOUS_SHARE, REPORT_SHARE, REACTION_SHARE, READ_SHARE = 0.10, 0.002, 0.05, 0.5
CHAIN_LENGTH, CHAIN_FROM = 40, 60
SPAN = timedelta(days=365)
REACTION_KINDS = ("support", "me-too", "thanks", "helped")
# Tables written in this order inside each transaction (foreign keys point backwards).
TABLES = (Thread, ThreadAlias, Post, Report, ModerationItem, ThreadWatch, ReadState, Reaction)

OPENERS = (
    "I haven't been sleeping well for weeks and",
    "Today was one of the harder days, and",
    "Something small went right this morning:",
    "I wanted to write this down somewhere safe, because",
    "My therapist suggested I try journaling, and",
    "Does anyone else find that",
    "It's been a year since everything changed and",
    "I finally made the phone call I had been dreading, and",
    "Reading this board at night has helped, and",
    "I keep going back and forth about whether to say this, but",
)
MIDDLES = (
    "the evenings are the worst part, when the house goes quiet.",
    "I managed a short walk even though the rain was heavy.",
    "I can't stop replaying the same conversation in my head.",
    "the sleep app everyone recommends just makes me more anxious.",
    "my friends mean well but they don't really get it.",
    "I noticed I was breathing too fast and tried the 4-7-8 thing.",
    "work keeps piling up and I freeze instead of starting.",
    "I cooked an actual meal for the first time in a month.",
    "grief comes in waves, and today the waves were big.",
    "I said no to something without apologising three times.",
)
CLOSERS = (
    "Thank you for reading.",
    "Any *gentle* suggestions welcome.",
    "**One day at a time.**",
    "- water by the bed\n- curtains open\n- one song, then feet on the floor",
    "I'll check back tomorrow.",
    "Sending strength to anyone else up at 3am.",
    "> it's okay to rest\n\nsomeone wrote that here once and it stuck.",
    "No advice needed, I just wanted to be heard.",
)
TITLES = (
    "Can't sleep again",
    "A small win today",
    "How do you handle Sunday evenings?",
    "First post, long-time reader",
    "Grief at unexpected moments",
    "Panic on the bus",
    "What helps you get out of bed?",
    "Things that got me through this week",
    "Talking to family about how I feel",
    "Is it normal to feel numb?",
)


@dataclass
class Plan:
    """What one seeding run writes, and what it has written so far."""

    posts: int
    rng: random.Random
    members: list[int]
    boards: list[int]
    bodies: list[tuple[str, str]]
    next_id: dict = field(default_factory=dict)
    rows: dict = field(default_factory=lambda: {model: [] for model in TABLES})
    approved: Counter = field(default_factory=Counter)
    board_totals: dict = field(default_factory=dict)
    clock: object = None
    step: timedelta = timedelta(0)

    def take_id(self, model) -> int:
        self.next_id[model] += 1
        return self.next_id[model]


def body_pool(rng: random.Random, size: int = BODY_POOL) -> list[tuple[str, str]]:
    """``size`` distinct believable Markdown bodies, each with its HTML rendered once."""
    seen, pool = set(), []
    while len(pool) < size:
        parts = (rng.choice(OPENERS), rng.choice(MIDDLES), rng.choice(CLOSERS))
        if parts in seen:
            continue
        seen.add(parts)
        source = f"{parts[0]} {parts[1]}\n\n{parts[2]}"
        pool.append((source, render_markdown(source, links=True)))
    return pool


def thread_sizes(rng: random.Random, posts: int) -> list[int]:
    """Reply counts of the threads, long-tailed, adding up (with openings) to ``posts``."""
    cap = max(200, posts // 100)
    sizes, total = [], 0
    if posts >= GIANT_FROM:
        sizes.append(GIANT_REPLIES)
        total += GIANT_REPLIES + 1
    while total < posts:
        replies = min(cap, int(2 * (rng.paretovariate(PARETO_ALPHA) - 1)), posts - total - 1)
        sizes.append(replies)
        total += replies + 1
    rng.shuffle(sizes)
    return sizes


def seed_bench(posts: int, seed: int = 1, batch: int = 5_000, echo=print) -> dict:
    """Write ``posts`` posts (with members, threads, trees, aliases, reports, watches, read
    state and reactions) and make every counter match; returns timings in seconds."""
    from forum.boards.services import seed_default_boards
    from forum.search.index import rebuild_index

    timings, started = {}, time.perf_counter()
    seed_default_boards()
    db.session.commit()
    rng = random.Random(seed)
    plan = _new_plan(posts, rng)
    timings["members"] = _timed(lambda: _insert_members(plan, posts), echo, "members")
    timings["posts"] = _timed(lambda: _insert_threads(plan, batch), echo, "threads and posts")
    timings["counters"] = _timed(lambda: _write_counters(plan), echo, "counters")
    timings["search"] = _timed(lambda: _in_transaction(rebuild_index), echo, "search index")
    timings["total"] = time.perf_counter() - started
    echo(f"Seeded {posts:,} posts in {timings['total']:.1f}s.")
    return timings


def _timed(work, echo, label: str) -> float:
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    echo(f"  {label}: {elapsed:.1f}s")
    return elapsed


def _in_transaction(work):
    # End the session's own transaction first: on SQLite it may hold the write lock.
    db.session.commit()
    with db.engine.begin() as connection:
        return work(connection)


def _new_plan(posts: int, rng: random.Random) -> Plan:
    boards = list(
        db.session.execute(select(Board.id).filter_by(archived=False).order_by(Board.id)).scalars()
    )
    plan = Plan(posts=posts, rng=rng, members=[], boards=boards, bodies=body_pool(rng))
    for model in (Member, *TABLES):
        plan.next_id[model] = db.session.execute(select(func.max(model.id))).scalar() or 0
    plan.board_totals = {board: [0, 0, None, None] for board in boards}
    plan.clock = utcnow() - SPAN
    plan.step = SPAN / max(posts, 1)
    return plan


def _insert_members(plan: Plan, posts: int) -> None:
    taken = db.session.execute(
        select(func.count()).where(Member.handle_key.startswith(HANDLE_PREFIX))
    ).scalar()
    if taken:
        raise ValueError("This database already holds bench members: seed a fresh one.")
    password_hash = hash_password(BENCH_PASSWORD)
    joined = plan.clock - timedelta(days=30)
    rows = []
    for number in range(max(posts // POSTS_PER_MEMBER, 20)):
        member_id = plan.take_id(Member)
        handle = f"{HANDLE_PREFIX}{number:06d}"
        token = f"bench-{number}-{plan.rng.getrandbits(128):032x}"
        rows.append(
            {
                "id": member_id,
                "handle": handle,
                "handle_key": handle,
                "handle_skeleton": skeleton(handle),
                "password_hash": password_hash,
                "role": "moderator" if number == 0 else "member",
                "session_token": token,
                "created_at": joined,
                "trust_level": 2,
            }
        )
        plan.members.append(member_id)
    _in_transaction(lambda connection: connection.execute(insert(Member), rows))


def _insert_threads(plan: Plan, batch: int) -> None:
    buffered = 0
    for replies in thread_sizes(plan.rng, plan.posts):
        buffered += _plan_thread(plan, replies)
        if buffered >= batch:
            _flush(plan)
            buffered = 0
    _flush(plan)


def _flush(plan: Plan) -> None:
    def write(connection):
        for model in TABLES:
            if plan.rows[model]:
                connection.execute(insert(model), plan.rows[model])
                plan.rows[model] = []

    _in_transaction(write)


def _plan_thread(plan: Plan, replies: int) -> int:
    """Add one thread, its opening post and ``replies`` replies to the buffers."""
    rng = plan.rng
    thread_id, board_id = plan.take_id(Thread), rng.choice(plan.boards)
    aliases: dict[int, int] = {}
    names: set[str] = set()
    ids, paths, authors = [], [], []
    chain_left, answered_at = 0, None
    for sequence in range(replies + 1):
        author = rng.choice(plan.members)
        if sequence == 0:
            path, parent_id = OPENING_PATH, None
        else:
            if chain_left == 0 and replies >= CHAIN_FROM and rng.random() < 0.01:
                chain_left = CHAIN_LENGTH
            parent = _pick_parent(rng, sequence, chain_left > 0)
            chain_left = max(chain_left - 1, 0)
            path = path_for_reply(paths[parent] if parent else None, sequence)
            parent_id = ids[parent] if parent else None
        alias_id = None
        if rng.random() < ANONYMOUS_SHARE:
            alias_id = _alias(plan, thread_id, author, aliases, names)
        post_id = _add_post(plan, thread_id, sequence, author, alias_id, path, parent_id)
        if sequence and answered_at is None and author != authors[0]:
            answered_at = plan.clock
        ids.append(post_id)
        paths.append(path)
        authors.append(author)
    _add_thread(plan, thread_id, board_id, ids, answered_at)
    _add_member_rows(plan, thread_id, ids, authors)
    return replies + 1


def _pick_parent(rng: random.Random, sequence: int, chained: bool) -> int:
    """The sequence of the post a reply answers (0: the thread itself)."""
    if chained or sequence == 1:
        return sequence - 1
    roll = rng.random()
    if roll < 0.45:
        return 0
    if roll < 0.8:
        return rng.randrange(1, sequence)
    return sequence - 1


def _alias(plan: Plan, thread_id: int, member: int, aliases: dict, names: set) -> int:
    if member in aliases:
        return aliases[member]
    name = f"Anonymous {plan.rng.choice(ADJECTIVES)} {plan.rng.choice(ANIMALS)}"
    base, number = name, 2
    while name in names:
        name, number = f"{base} {number}", number + 1
    names.add(name)
    aliases[member] = plan.take_id(ThreadAlias)
    plan.rows[ThreadAlias].append(
        {"id": aliases[member], "thread_id": thread_id, "member_id": member, "name": name}
    )
    return aliases[member]


def _add_post(plan: Plan, thread_id, sequence, author, alias_id, path, parent_id) -> int:
    plan.clock += plan.step
    post_id = plan.take_id(Post)
    source, html = plan.bodies[plan.rng.randrange(len(plan.bodies))]
    plan.rows[Post].append(
        {
            "id": post_id,
            "thread_id": thread_id,
            "parent_id": parent_id,
            "author_id": author,
            "is_anonymous": alias_id is not None,
            "alias_id": alias_id,
            "path": path,
            "depth": depth_of(path),
            "body_source": source,
            "body_html": html,
            "render_version": RENDER_POLICY_VERSION,
            "created_at": plan.clock,
            "state": "published",
        }
    )
    plan.approved[author] += 1
    if plan.rng.random() < REPORT_SHARE:
        _add_report(plan, post_id, author)
    if plan.rng.random() < REACTION_SHARE:
        _add_reactions(plan, post_id, author)
    return post_id


def _add_report(plan: Plan, post_id: int, author: int) -> None:
    reporter = plan.rng.choice(plan.members)
    if reporter == author:
        return
    reason = plan.rng.choice(sorted(REPORT_REASONS))
    moment = plan.clock + plan.step / 2
    plan.rows[Report].append(
        {
            "id": plan.take_id(Report),
            "post_id": post_id,
            "reporter_id": reporter,
            "reason": reason,
            "details": "",
            "weight": 1.0,
            "is_open": True,
            "created_at": moment,
            "updated_at": moment,
        }
    )
    plan.rows[ModerationItem].append(
        {
            "id": plan.take_id(ModerationItem),
            "post_id": post_id,
            "kind": ITEM_REPORTS,
            "rank": PRIORITY_RANK if reason == RISK else NORMAL_RANK,
            "open_marker": True,
            "opened_at": moment,
            "automatic": False,
        }
    )


def _add_reactions(plan: Plan, post_id: int, author: int) -> None:
    given = set()
    for _ in range(plan.rng.randint(1, 3)):
        member, kind = plan.rng.choice(plan.members), plan.rng.choice(REACTION_KINDS)
        if member == author or (member, kind) in given:
            continue
        given.add((member, kind))
        plan.rows[Reaction].append(
            {
                "id": plan.take_id(Reaction),
                "post_id": post_id,
                "member_id": member,
                "kind": kind,
                "created_at": plan.clock,
            }
        )


def _add_thread(plan: Plan, thread_id: int, board_id: int, ids: list[int], answered_at) -> None:
    title = plan.rng.choice(TITLES)
    opened_at = plan.clock - plan.step * (len(ids) - 1)
    plan.rows[Thread].append(
        {
            "id": thread_id,
            "board_id": board_id,
            "title": title,
            "slug": slugify(title),
            "created_at": opened_at,
            "last_activity_at": plan.clock,
            "reply_count": len(ids) - 1,
            "post_seq": len(ids) - 1,
            "answered_at": answered_at,
            "first_post_id": ids[0],
            "last_post_id": ids[-1],
        }
    )
    totals = plan.board_totals[board_id]
    totals[0] += 1
    totals[1] += len(ids)
    totals[2], totals[3] = plan.clock, ids[-1]


def _add_member_rows(plan: Plan, thread_id: int, ids: list[int], authors: list[int]) -> None:
    """Everyone who posts watches the thread (as posting does); some have read state."""
    last_post_of = {author: post_id for author, post_id in zip(authors, ids, strict=True)}
    for member, post_id in last_post_of.items():
        plan.rows[ThreadWatch].append(
            {
                "id": plan.take_id(ThreadWatch),
                "member_id": member,
                "thread_id": thread_id,
                "created_at": plan.clock,
            }
        )
        if plan.rng.random() < READ_SHARE:
            plan.rows[ReadState].append(
                {
                    "id": plan.take_id(ReadState),
                    "member_id": member,
                    "thread_id": thread_id,
                    "last_read_post_id": plan.rng.randint(post_id, ids[-1]),
                    "updated_at": plan.clock,
                }
            )


def _write_counters(plan: Plan) -> None:
    """Board counters, members' approved posts, the site version (Core inserts bypass the
    session events that bump it for the page cache); on PostgreSQL, sequences past the new
    ids and fresh planner statistics."""

    def write(connection):
        connection.execute(update(SiteVersion).values(version=SiteVersion.version + 1))
        for board_id, (threads, posts, moment, last_post) in plan.board_totals.items():
            if not threads:
                continue
            connection.execute(
                update(Board)
                .where(Board.id == board_id)
                .values(
                    thread_count=Board.thread_count + threads,
                    post_count=Board.post_count + posts,
                    last_activity_at=moment,
                    last_post_id=last_post,
                )
            )
        counts = [{"member": key, "count": value} for key, value in plan.approved.items()]
        if counts:
            connection.execute(
                update(Member)
                .where(Member.id == bindparam("member"))
                .values(approved_posts=Member.approved_posts + bindparam("count")),
                counts,
            )
        if connection.dialect.name == "postgresql":
            for model in (Member, *TABLES):
                # Table names come from the models, never from input.
                name = model.__tablename__
                statement = (
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
                connection.execute(text(statement))
            # Fresh statistics, so the first requests are planned as they will be later.
            connection.execute(text("ANALYZE"))

    _in_transaction(write)


@click.command()
@click.option("--posts", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--batch", type=click.IntRange(min=100), default=5_000, show_default=True)
def main(posts, seed, batch):
    """Fill the configured database (FORUM_DATABASE_URL, migrated) fast with POSTS believable
    posts (bulk inserts; prints timings)."""
    from forum import create_app

    with create_app().app_context():
        try:
            seed_bench(posts, seed=seed, batch=batch, echo=click.echo)
        except ValueError as error:
            raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    main()
