"""Append entries to the audit log. Services call `record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from leerplek.core.models import AuditEntry


def jsonable(value: Any) -> Any:
    """Turn model field values into JSON-safe values (dates as ISO text, decimals as text)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` on `obj`, using the raw id for foreign keys."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(obj, attname)
        if value is not None and isinstance(field, models.Field) and not field.is_relation:
            value = field.to_python(value)  # 0 and Decimal("0.0") must compare equal
        values[name] = jsonable(value)
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, so an entry shows what really changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organisation: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. `organisation` defaults to the object's own organisation."""
    if organisation is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None)
        if organisation_id is None and obj._meta.label == "people.Organisation":
            organisation_id = obj.pk
    else:
        organisation_id = getattr(organisation, "pk", None)
    actor_pk = getattr(actor, "pk", None)
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        actor_id=actor_pk,
        actor_label=str(actor)[:200] if actor is not None else "",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )
