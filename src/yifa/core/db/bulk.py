"""Set-based inserts for bulk intake: one statement for any number of rows.

`insert_rows()` sends rows of a model's columns with PostgreSQL's `COPY … FROM STDIN`
(psycopg 3) and with one prepared statement run over every row elsewhere (SQLite's
`executemany`), so the number of statements does not grow with the rows (Django's
`bulk_create` splits into statements of 999 parameters on SQLite). Values are prepared
by each field as `save()` would (JSON, decimals, dates); plain strings, integers and
booleans go as they are. Callers pass each field's own Python type (ids as ints). No primary keys are
returned; rows keep their order (a serial id follows the order given).
"""

from collections.abc import Iterable

from django.db import connections, models

# field classes whose values (of the field's own Python type: str, int, bool) the drivers
# take as they are; every other field (dates on SQLite, decimals, JSON, times) is prepared
# by the field itself, as save() does
_AS_IS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.BigIntegerField,
          models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
          models.PositiveBigIntegerField, models.ForeignKey)


class JsonText(str):
    """JSON already serialised (for a JSONField column): stored as this text, not encoded again."""


def _preparer(field, conn):
    if type(field) in _AS_IS:
        return None
    if conn.vendor == "postgresql" and type(field) is models.DateField:
        return None  # psycopg adapts a date itself (Django's preparation returns it unchanged there)
    if isinstance(field, models.JSONField):
        return lambda v, _f=field, _c=conn: v if type(v) is JsonText else _f.get_db_prep_save(v, _c)
    return lambda v, _f=field, _c=conn: _f.get_db_prep_save(v, _c)


def insert_rows(model, fieldnames: list[str], rows: Iterable[tuple], *, using: str = "default") -> int:
    """Insert `rows` (tuples of Python values in `fieldnames` order) into `model`'s table."""
    conn = connections[using]
    fields = [model._meta.get_field(n) for n in fieldnames]
    table = conn.ops.quote_name(model._meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    preps = [_preparer(f, conn) for f in fields]
    prepared = ([v if p is None or v is None else p(v) for p, v in zip(preps, row, strict=True)] for row in rows)
    n = 0
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
                    n += 1
            if conn.queries_logged:
                conn.queries_log.append({"sql": f"COPY {table} ({columns}) FROM STDIN -- {n} rows", "time": "0"})
            return n
        rows_list = list(prepared)
        if rows_list:
            marks = ", ".join(["%s"] * len(fields))
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows_list)
        return len(rows_list)
