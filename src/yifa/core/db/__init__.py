"""Database backends: Django's own, plus hooks run just before a transaction commits.

Django has `transaction.on_commit` (after the commit, outside the transaction) but nothing
that runs *inside* the transaction just before it commits. The audit app needs that: the
state of every record audited in a transaction is captured as it is committed, after any
later save of the same record by the same service. A hook is `fn(connection)`; it runs
inside the transaction; an exception from it rolls the transaction back.
"""

from collections.abc import Callable

from django.db import DatabaseError

_PRE_COMMIT: list[Callable] = []
_ON_ROLLBACK: list[Callable] = []


def register_pre_commit(fn: Callable, *, on_rollback: Callable | None = None) -> None:
    if fn not in _PRE_COMMIT:
        _PRE_COMMIT.append(fn)
    if on_rollback is not None and on_rollback not in _ON_ROLLBACK:
        _ON_ROLLBACK.append(on_rollback)


class PreCommitHooksMixin:
    def commit(self):
        if not self.get_autocommit():
            try:
                for fn in _PRE_COMMIT:
                    fn(self)
            except DatabaseError:
                raise
            except Exception as exc:  # the atomic block rolls back only on DatabaseError
                raise DatabaseError(f"pre-commit hook failed: {exc}") from exc
        super().commit()

    def rollback(self):
        try:
            super().rollback()
        finally:
            for fn in _ON_ROLLBACK:
                fn(self)
