from django.core.management.base import BaseCommand, CommandError

from yifa.documents.selectors import check_files


class Command(BaseCommand):
    help = "公文：yifa documents verify 校验全部公文文件的 SM3，并列出无主文件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser("verify", help="check every stored docx/pdf against its SM3; exit 1 on a problem")
        verify.add_argument("--orphans", action="store_true", help="also list files no document refers to")

    def handle(self, *args, **opts):
        result = check_files()
        if opts.get("orphans"):
            for path in result.orphans:
                self.stdout.write(f"无主文件 (orphan): {path}")
        if result.ok:
            self.stdout.write(f"公文文件完整：共校验 {result.checked} 个文件。 (all {result.checked} files intact)")
            return
        for doc, fmt, problem in result.problems:
            label = "缺失" if problem == "missing" else "与 SM3 不符"
            self.stderr.write(f"#{doc.pk} {doc.doc_number} {fmt}：{label} ({problem})")
        raise CommandError(f"{len(result.problems)} 个公文文件缺失或被篡改 ({len(result.problems)} files missing or altered)")
