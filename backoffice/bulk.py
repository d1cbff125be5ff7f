"""Writing many new rows fast: COPY on PostgreSQL, bulk_create elsewhere.

`bulk_create` compiles every value of every row through the ORM's insert compiler, then
PostgreSQL parses one large INSERT per batch: for a 12,000-row monthly import that is most
of the write time (bench/payroll.py, section 3). `bulk_insert` streams the same rows with
COPY … FROM STDIN (psycopg 3), preparing each value as the ORM would — `pre_save` (e.g.
auto_now_add) then `get_db_prep_save` — except for the plain field types below, whose value
needs no preparation. It does not return primary keys and sends no signals: use it for rows
nothing refers to in the same batch (submission lines, employment records), and keep
`bulk_create` where the new pks are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection, models
from django.utils import timezone

# Exact field classes whose Python value is what the database receives (no conversion). A
# subclass (an encrypted field…) takes the ORM's path: get_db_prep_save.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.PositiveIntegerField,
          models.BigIntegerField, models.SmallIntegerField, models.PositiveSmallIntegerField, models.BooleanField,
          models.ForeignKey, models.OneToOneField, models.DecimalField, models.DateField)
_AUTO = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _column_value(field: models.Field, now) -> Callable[[dict], object]:
    """How the database value of `field` is read from a row (a dict by attname)."""
    name, plain = field.attname, type(field) in _PLAIN
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = field.get_db_prep_save(now.date() if type(field) is models.DateField else now, connection)
        return lambda row: field.get_db_prep_save(row[name], connection) if name in row else value
    default = field.get_default()  # a missing required value stays None: the database refuses it
    if plain:
        return lambda row: row.get(name, default)
    return lambda row: field.get_db_prep_save(row.get(name, default), connection)


def bulk_insert(model: type[models.Model], rows: Sequence[dict], *, batch_size: int = 1000) -> int:
    """Insert new rows of `model`, each a dict by attname (`workspace_id`, `status`…; a field left
    out takes its default, an auto_now(_add) field left out the current time). Returns how many were
    written. No model instance is built on PostgreSQL (Model.__init__ alone costs as much as
    the COPY); elsewhere the rows go through bulk_create."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        return len(rows)
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and isinstance(f, _AUTO))]
    now = timezone.now()
    readers = [_column_value(f, now) for f in fields]
    known = {f.attname for f in fields}
    unknown = set().union(*(row.keys() for row in rows[:1])) - known
    if unknown:
        raise TypeError(f"{model.__name__} has no column {sorted(unknown)}")
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # wrap_database_errors: a constraint violation raises Django's IntegrityError, as bulk_create would.
    with connection.cursor() as cursor, connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([read(row) for read in readers])
    return len(rows)


def bulk_set(model: type[models.Model], values: dict[object, dict], fields: Sequence[str]) -> int:
    """Set `fields` (attnames: `pdf_id`, `pdf_hash`…) of existing rows of `model`, given as
    {pk: {attname: value}}. On PostgreSQL one UPDATE … FROM (VALUES …): `bulk_update` compiles a
    CASE WHEN per field and row through the ORM, ~1 ms a row for a month's payslips
    (bench/payroll.py, section 4). Elsewhere `bulk_update`. Sends no signals; the database's
    own triggers (immutability) still apply. Returns how many rows were given."""
    if not values:
        return 0
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = set(fields) - by_attname.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no column {sorted(unknown)}")
    targets = [by_attname[name] for name in fields]
    if connection.vendor != "postgresql":
        objects = [model(pk=pk, **{name: row[name] for name in fields}) for pk, row in values.items()]
        model.objects.bulk_update(objects, [f.name for f in targets])
        return len(objects)
    qn, pk = connection.ops.quote_name, meta.pk
    columns = [pk, *targets]
    casts = ", ".join(f"%s::{f.db_type(connection)}" for f in columns)
    placeholders = ", ".join(f"({casts})" for _ in values)
    params = []
    for key, row in values.items():
        params.append(pk.get_db_prep_save(key, connection))
        params.extend(f.get_db_prep_save(row[f.attname], connection) for f in targets)
    names = ", ".join(qn(f.column) for f in columns)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in targets)
    sql = (f"UPDATE {qn(meta.db_table)} SET {assignments} FROM (VALUES {placeholders}) AS v ({names}) "
           f"WHERE {qn(meta.db_table)}.{qn(pk.column)} = v.{qn(pk.column)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return len(values)
