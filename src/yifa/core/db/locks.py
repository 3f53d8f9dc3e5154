"""Table locks for rebuilds that replace a table's rows while other transactions write them."""

from django.db import connection


def hold_writers(model) -> None:
    """Lock `model`'s table against writers until the current transaction ends
    (PostgreSQL `EXCLUSIVE` mode: reads go on; a writer already inside waits to be
    committed first, and later writers wait for this transaction). Must run inside
    `transaction.atomic()`. SQLite has one writer at a time already: nothing to do."""
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("hold_writers() outside a transaction would release the lock at once")
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
