"""Admin verbs on crisis resources: create, edit, delete, mark verified.

Each writes its audit-log row (``crisis_resource_<verb>``) in the same transaction as the
change. They flush, never commit.
"""

from datetime import date

from forum.crisis.resources import DEFAULT_LANGUAGE, language_code, next_position, region_code
from forum.extensions import db
from forum.models import CrisisResource
from forum.moderation.log import record

EDITABLE = (
    "name",
    "how",
    "hours",
    "region",
    "url",
    "position",
    "is_emergency",
    "always_open",
    "last_verified",
    "language",
)


def _logged(value):
    """Audit-log details are JSON: dates go in as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _clean(fields: dict) -> dict:
    cleaned = {name: fields[name] for name in EDITABLE if name in fields}
    if "region" in cleaned:
        cleaned["region"] = region_code(cleaned["region"]) or cleaned["region"]
    if "url" in cleaned:
        cleaned["url"] = cleaned["url"] or None
    if "language" in cleaned:
        cleaned["language"] = language_code(cleaned["language"]) or DEFAULT_LANGUAGE
    if "hours" in cleaned:
        cleaned["hours"] = cleaned["hours"] or ""
    for flag in ("is_emergency", "always_open"):
        if flag in cleaned:
            cleaned[flag] = bool(cleaned[flag])
    return cleaned


def create_resource(admin, **fields) -> CrisisResource:
    """Add an entry (name, how, hours, region, url, last_verified, position, is_emergency,
    always_open, language); without a position it goes to the end of its region."""
    values = _clean(fields)
    if values.get("position") is None:
        values["position"] = next_position(values["region"])
    resource = CrisisResource(**values)
    db.session.add(resource)
    db.session.flush()
    _log(admin, "create", resource)
    return resource


def update_resource(admin, resource: CrisisResource, **fields) -> bool:
    """Change an entry's fields; False when nothing changed. A blank position keeps its place."""
    values = _clean(fields)
    if values.get("position") is None:
        values.pop("position", None)
    changes = {
        name: [_logged(getattr(resource, name)), _logged(value)]
        for name, value in values.items()
        if getattr(resource, name) != value
    }
    if not changes:
        return False
    for name, value in values.items():
        setattr(resource, name, value)
    db.session.flush()
    _log(admin, "edit", resource, changes=changes)
    return True


def delete_resource(admin, resource: CrisisResource) -> None:
    """Remove an entry; the audit log keeps what it said."""
    _log(admin, "delete", resource, how=resource.how, url=resource.url)
    db.session.delete(resource)
    db.session.flush()


def mark_verified(admin, resource: CrisisResource, today: date) -> bool:
    """Record that someone checked the entry ``today``; False when it already was today."""
    if resource.last_verified == today:
        return False
    previous = resource.last_verified
    resource.last_verified = today
    db.session.flush()
    _log(admin, "verify", resource, previous=_logged(previous))
    return True


def _log(admin, verb: str, resource: CrisisResource, **details) -> None:
    """The audit-log row of a change to a crisis resource (what it was called and where)."""
    record(
        admin,
        f"crisis_resource_{verb}",
        resource_id=resource.id,
        name=resource.name,
        region=resource.region,
        **details,
    )
