"""The `yifa` console script: a thin wrapper over Django's management commands.

`yifa demo-accounts --json` and `yifa audit verify` read like product commands; the
hyphenated names map onto management command modules with underscores.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yifa.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yifa", *argv[1:]])
