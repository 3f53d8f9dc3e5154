from django.db.backends.postgresql.base import DatabaseWrapper as _Base

from yifa.core.db import PreCommitHooksMixin


class DatabaseWrapper(PreCommitHooksMixin, _Base):
    pass
