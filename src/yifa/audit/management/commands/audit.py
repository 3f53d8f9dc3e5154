from django.core.management.base import BaseCommand, CommandError

from yifa.audit.services import verify_chain


class Command(BaseCommand):
    help = "审计日志：yifa audit verify 校验哈希链"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="verify the SM3 hash chain; exit 1 naming the first broken row")

    def handle(self, *args, **opts):
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"审计链完整：共校验 {result.checked} 条记录。 (audit chain intact: {result.checked} rows)")
            return
        raise CommandError(
            f"审计链在第 {result.broken_id} 号记录处断裂：{result.problem} "
            f"(audit chain broken at row id={result.broken_id}; {result.checked} rows before it are intact)"
        )
