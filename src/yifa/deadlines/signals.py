"""Signals of the deadlines app, for the modules that keep a copy of a deadline's due date.

`deadline_rescheduled(sender=TrackedDeadline, deadline, old_due)` is sent inside the
transaction whenever a stored deadline's due date or provisional flag changes after it
was started (recomputation when a year's holiday notice is entered). Models that mirror
one rule's due date declare `mirrored_deadline_rule = "<code>"` and fields `due` and
`due_provisional`; the deadlines app updates them itself. Other owners (an enforcement
case keeps the nearest of several) connect a receiver.
"""

from django.dispatch import Signal

deadline_rescheduled = Signal()
