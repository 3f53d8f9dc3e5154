from django.core.management.base import BaseCommand, CommandError

from yifa.audit.backup import create_backup
from yifa.core.errors import DomainError


class Command(BaseCommand):
    help = "备份：数据库（原生转储）、上传文件和审计检查点打成一个归档，附带清单和 SM3 校验和"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="归档路径（默认 var/backups/yifa-<时间>.tar.gz）")

    def handle(self, *args, **opts):
        try:
            result = create_backup(opts.get("path"))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        m = result.manifest
        self.stdout.write(
            f"备份完成：{result.path}\n"
            f"  数据库 {m['db_vendor']}，{len(m['tables'])} 张表，共 {sum(m['tables'].values())} 行；"
            f"文件 {len(m['files'])} 个；审计记录 {m['audit_head']['rows']} 条。\n"
            f"  注意：审计密钥不在备份中，请另行妥善保管。"
        )
