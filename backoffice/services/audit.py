"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from backoffice.models import AuditEntry, Workspace


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [_jsonable(before.get(k)), _jsonable(v)] for k, v in after.items() if before.get(k) != v}


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def audit_record(*, actor, workspace: Workspace, action: str, obj: models.Model | None = None,
                 changes: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry. `actor` is a User or None for an automatic action."""
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes={k: _jsonable(v) if not isinstance(v, list) else [_jsonable(x) for x in v]
                 for k, v in (changes or {}).items()},
    )
