from django.db.backends.sqlite3.base import DatabaseWrapper as _Base

from yifa.core.db import PreCommitHooksMixin


class DatabaseWrapper(PreCommitHooksMixin, _Base):
    pass
