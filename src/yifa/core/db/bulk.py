"""Set-based inserts for bulk intake: one statement for any number of rows.

`insert_rows()` sends rows of a model's columns with PostgreSQL's `COPY … FROM STDIN`
(psycopg 3) and with one prepared statement run over every row elsewhere (SQLite's
`executemany`), so the number of statements does not grow with the rows (Django's
`bulk_create` splits into statements of 999 parameters on SQLite). Values are prepared
by each field exactly as `save()` would (JSON, decimals, dates). No primary keys are
returned; rows keep their order (a serial id follows the order given).
"""

from collections.abc import Iterable

from django.db import connections


def insert_rows(model, fieldnames: list[str], rows: Iterable[tuple], *, using: str = "default") -> int:
    """Insert `rows` (tuples of Python values in `fieldnames` order) into `model`'s table."""
    conn = connections[using]
    fields = [model._meta.get_field(n) for n in fieldnames]
    table = conn.ops.quote_name(model._meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    prepared = ([f.get_db_prep_save(v, conn) for f, v in zip(fields, row, strict=True)] for row in rows)
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
