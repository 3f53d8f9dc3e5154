from django.core.management.base import BaseCommand, CommandError

from yifa.audit.backup import restore_backup
from yifa.core.errors import DomainError


class Command(BaseCommand):
    help = "恢复：校验归档的清单和 SM3 校验和，恢复数据库、上传文件和审计检查点，最后校验审计链"

    def add_arguments(self, parser):
        parser.add_argument("path", help="yifa backup 生成的归档")

    def handle(self, *args, **opts):
        try:
            result = restore_backup(opts["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        m = result.manifest
        self.stdout.write(f"已恢复 {m['created_at']} 的备份（版本 {m['app_version']}，{m['db_vendor']}）。")
        if result.counts_match:
            self.stdout.write(f"各表行数与清单一致：{len(m['tables'])} 张表，共 {sum(m['tables'].values())} 行。")
        else:
            for table, (expected, now) in result.count_differences.items():
                self.stderr.write(f"行数不符：{table} 清单 {expected}，现在 {now}")
        v = result.verify
        if v.ok:
            self.stdout.write(f"审计链完整：共校验 {v.checked} 条记录；{v.checkpoint}。")
        else:
            for problem in v.problems:
                self.stderr.write(f"审计链异常：{problem}")
        if not result.counts_match or not v.ok:
            raise CommandError("恢复后的校验未通过（见上）。")
