"""Pagination for lists that may be very long: never a full `COUNT(*)`."""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`), so a page of a
    list of millions costs its page, not the list. Past the cap, `capped` is true, the count
    stays at the cap (the page shows “超过 10,000 条”) and pages beyond it are not offered:
    the reader narrows the period or the unit instead."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP

    @cached_property
    def _capped_count(self):
        qs = self.object_list
        n = qs.order_by()[: self.cap + 1].count() if hasattr(qs, "order_by") else len(qs)
        return min(n, self.cap), n > self.cap

    @cached_property
    def count(self):
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        return self._capped_count[1]
