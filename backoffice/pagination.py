"""Keyset pagination for long, newest-first lists (the audit trail: hundreds of thousands of rows).

A page is the `per_page` rows after (older than) or before (newer than) a cursor — the
(created_at, pk) of the row at its edge — read with an index range scan: the same cost at
page 1 and page 2,000, no COUNT of the whole list and no OFFSET (which reads and drops every
row before the page). The price: no "page N of M" and no jumping to the last page; the
list links to the newer and older pages and back to the newest.

A cursor is "<UTC microseconds since the epoch>.<pk>" in the query string (`after` or
`before`); a malformed one is ignored (the first page is shown).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode_cursor(created_at: datetime.datetime, pk: int) -> str:
    delta = created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


def decode_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    if not value or len(value) > 40:
        return None
    micros, _, pk = value.partition(".")
    try:
        micros_int, pk_int = int(micros), int(pk)
        return _EPOCH + datetime.timedelta(microseconds=micros_int), pk_int
    except (ValueError, OverflowError):
        return None


@dataclass
class KeysetPage:
    object_list: list
    newer: str | None  # cursor of the page before (newer rows), None on the first page
    older: str | None  # cursor of the page after (older rows), None on the last page

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def keyset_page(queryset: QuerySet, *, after: str | None = None, before: str | None = None,
                per_page: int = 100) -> KeysetPage:
    """The page of `queryset` (newest first, by created_at then pk) older than `after`, or
    newer than `before`, or the newest page. One query."""
    newest_first = ("-created_at", "-pk")
    older_than, newer_than = decode_cursor(after), decode_cursor(before)
    if newer_than is not None:
        at, pk = newer_than
        rows = list(queryset.filter(Q(created_at__gte=at), Q(created_at__gt=at) | Q(pk__gt=pk))
                    .order_by("created_at", "pk")[:per_page + 1])
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(rows, newer=_cursor(rows[0]) if rows and more_newer else None,
                          older=_cursor(rows[-1]) if rows else None)
    qs = queryset.order_by(*newest_first)
    if older_than is not None:
        at, pk = older_than
        # created_at <= at bounds the index range; the OR only breaks ties within one instant.
        qs = qs.filter(Q(created_at__lte=at), Q(created_at__lt=at) | Q(pk__lt=pk))
    rows = list(qs[:per_page + 1])
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(rows, newer=_cursor(rows[0]) if rows and older_than is not None else None,
                      older=_cursor(rows[-1]) if more_older else None)


def _cursor(row) -> str:
    return encode_cursor(row.created_at, row.pk)
