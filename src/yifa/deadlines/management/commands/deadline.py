"""`yifa deadline RULE START [--org UNIT_ID] [--json] [--strict]` — the statutory deadline
calculator. A span into a year whose holiday notice is not complete gives the provisional
date (exit 0, said loudly); `--strict` refuses instead (exit 2, naming the year)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yifa.core.errors import DomainError
from yifa.deadlines import engine
from yifa.orgs.models import Organization


class Command(BaseCommand):
    help = "法定期限计算器：按规则代码和起算日计算届满日（起算日当日不计入）"

    def add_arguments(self, parser):
        parser.add_argument("rule", help="规则代码，如 penalty.decision")
        parser.add_argument("start", help="起算日 YYYY-MM-DD")
        parser.add_argument("--org", help="单位 ID（适用该单位或上级单位的特别规定）")
        parser.add_argument("--json", action="store_true",
                            help='只输出一个 JSON 对象 {"rule","start","due","unit","n","basis","provisional","waiting_for_year"}')
        parser.add_argument("--strict", action="store_true",
                            help="严格模式：期限跨入尚未录入完整放假安排的年度时报错（退出码 2），不给出暂定日期")

    def handle(self, *args, **opts):
        try:
            start = date.fromisoformat(opts["start"])
        except ValueError:
            raise CommandError(f"起算日格式应为 YYYY-MM-DD：{opts['start']}", returncode=2) from None
        org = None
        if opts["org"]:
            try:
                org = Organization.objects.filter(pk=int(opts["org"])).first()
            except ValueError:
                org = None
            if org is None:
                raise CommandError(f"未知的单位：{opts['org']}", returncode=2)
        try:
            result = engine.compute(opts["rule"], start, org=org, strict=opts["strict"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        unit = {"WD": "个工作日", "CD": "日（自然日）", "months": "个月"}[result.unit]
        kind = {"max": "届满日", "min": "最早可届满日", "before": "最迟日", "duration": "最迟解除日（不顺延）"}[
            result.direction]
        self.stdout.write(f"{kind}：{result.due.isoformat()}" + ("（暂定）" if result.provisional else ""))
        if result.provisional:
            self.stdout.write(f"注意：{result.waiting_for_year} 年放假安排尚未录入完整，该日期按《全国年节及纪念日放假办法》"
                              "法定节日和周末暂定（未含调休），录入后可能变化。")
        self.stdout.write(f"规则：{result.rule} {result.name}；起算日 {result.start.isoformat()}（当日不计入）；"
                          f"期限 {result.n}{unit}（{result.unit} {result.n}）")
        self.stdout.write(f"依据：{result.basis}" + ("（本单位特别规定）" if result.is_override else "")
                          + ("（本地默认值，未经核实）" if result.is_local_default else ""))
        if result.skipped_days:
            self.stdout.write("跳过的非工作日：" + "、".join(f"{s.date.isoformat()} {s.name}"
                                                          for s in sorted(result.skipped_days, key=lambda s: s.date)))
