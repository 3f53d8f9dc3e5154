"""Append-only, SM3 hash-chained event log.

Services call `yifa.audit.services.record(...)` inside their transaction.
"""
