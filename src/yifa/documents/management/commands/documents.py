from django.core.management.base import BaseCommand, CommandError

from yifa.documents.selectors import check_files, check_numbers


class Command(BaseCommand):
    help = ("公文：yifa documents verify 校验全部公文文件的 SM3，并列出无主文件；"
            "yifa documents check-numbers 列出重复的文号及未经统一编号的文号")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser("verify", help="check every stored docx/pdf against its SM3; exit 1 on a problem")
        verify.add_argument("--orphans", action="store_true", help="also list files no document refers to")
        sub.add_parser("check-numbers", help="list 文号 used twice by one unit, and numbers not taken from the "
                                             "documents sequence; exit 1 on a problem")

    def handle(self, *args, **opts):
        if opts["sub"] == "check-numbers":
            return self.check_numbers()
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

    def check_numbers(self):
        result = check_numbers()
        for _org_id, org_name, number, holders in result.duplicates:
            self.stdout.write(f"重复文号：{org_name} {number} 被使用 {len(holders)} 次（{'、'.join(holders)}）")
        for line in result.unbacked:
            self.stdout.write(f"未经统一编号（没有对应公文）：{line}")
        for line in result.mismatched:
            self.stdout.write(f"文号与公文不一致：{line}")
        if result.ok:
            self.stdout.write(f"文号无重复：共检查 {result.checked} 个文号。 (no duplicate numbers among {result.checked})")
            return
        raise CommandError(f"{len(result.duplicates)} 个文号重复，{len(result.unbacked)} 个文号未经统一编号，"
                           f"{len(result.mismatched)} 个文号与公文不一致 ({len(result.duplicates)} duplicate, "
                           f"{len(result.unbacked)} unbacked, {len(result.mismatched)} mismatched)")
