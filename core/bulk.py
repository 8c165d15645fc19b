"""
Bulk inserts of new model instances, for loads (the WordPress importer).

`bulk_insert(model, objects)` does what `bulk_create` does (each object gets its
primary key; no `save()`, no signals), and on PostgreSQL sends the rows with COPY:
the ids are taken from the table's sequence first (one query), then the rows
stream in PostgreSQL's text format. `bulk_create` binds every value into one
statement composed in Python, which costs more than the database's own work
for rows of tens of kilobytes; COPY formats them in C. Elsewhere (SQLite) it is
`bulk_create`.

`BULK_LOAD_SETTINGS`, run in a load's transaction: on a PostgreSQL built with lz4,
large values (bodies, rendered HTML, search documents, snapshots) are compressed
with it rather than pglz, about twice as fast for the server, read back the same.
"""

import functools
import time
from datetime import datetime

from django.db import connection, models

# Rows per COPY: the data streams, so this only bounds a failed COPY's retry cost.
COPY_ROWS = 1000


# For a bulk load, in its transaction (SET LOCAL: until it ends): on a PostgreSQL built
# with lz4, large values are compressed with it rather than pglz; elsewhere, nothing changes.
BULK_LOAD_SETTINGS = (
    "DO $$ BEGIN PERFORM set_config('default_toast_compression', 'lz4', true); "
    "EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$;"
)


def bulk_insert(model, objects, *, batch_size=100):
    """Insert the unsaved `objects` of `model`; each gets its primary key. Returns them."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=batch_size)
    meta = model._meta
    pk = meta.pk
    with connection.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(missing)],
            )
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
        columns = _columns(model)
        _copy(
            cursor,
            model,
            [field.column for field, _types in columns],
            (_row(obj, columns) for obj in objects),
        )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def bulk_insert_values(model, names, rows, *, batch_size=1000):
    """
    Insert rows given as tuples of values for the fields `names` (their primary keys
    left to the database): for rows too many and too simple to be worth a model
    instance each, such as many-to-many links. Nothing is returned.
    """
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=batch_size
        )
        return
    fields = [model._meta.get_field(name) for name in names]
    with connection.cursor() as cursor:
        _copy(cursor, model, [field.column for field in fields], rows)


def _copy(cursor, model, columns, rows):
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    rows = iter(rows)
    while True:
        started, count = time.monotonic(), 0
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if count == COPY_ROWS:
                    break
        if count:
            _log(statement, count, time.monotonic() - started)
        if count < COPY_ROWS:
            return


# Fields whose value, when of these exact types, is what the database is sent: no
# Django conversion needed (the general path costs a few microseconds a field and a row).
PLAIN = {
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.BigIntegerField: (int,),
    models.BooleanField: (bool,),
    models.CharField: (str,),
    models.EmailField: (str,),
    models.ForeignKey: (int,),
    models.IntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SlugField: (str,),
    models.SmallIntegerField: (int,),
    models.TextField: (str,),
    models.URLField: (str,),
}


@functools.cache
def _columns(model):
    """(field, the value types sent as they are, or None) for each column of `model`."""
    columns = []
    for field in model._meta.concrete_fields:
        if not field.column:
            continue
        types = PLAIN.get(type(field))
        if type(field) is models.DateTimeField and not (field.auto_now or field.auto_now_add):
            types = (datetime,)
        columns.append((field, None if types is None else (*types, type(None))))
    return columns


def _row(obj, columns):
    row = []
    for field, types in columns:
        value = getattr(obj, field.attname) if types is not None else None
        if types is None or type(value) not in types or (type(value) is datetime and value.tzinfo is None):
            value = field.get_db_prep_save(field.pre_save(obj, True), connection)
        row.append(value)
    return row


def _log(statement, rows, duration):
    """COPY bypasses Django's cursor wrapper: counted with the queries all the same (tests, debug)."""
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"{statement} -- {rows} rows", "time": f"{duration:.3f}"})
