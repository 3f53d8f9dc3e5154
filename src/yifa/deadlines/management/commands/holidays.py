"""`yifa holidays import FILE [--complete] [--source S]`, `yifa holidays complete YEAR`,
`yifa holidays status` — enter a year's holidays from the State Council notice."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from yifa.core.errors import DomainError
from yifa.deadlines import selectors, services
from yifa.orgs.models import User


class Command(BaseCommand):
    help = "节假日数据：import 导入 CSV（date,kind,name[,source]）、complete 标记某年已录入完整、status 查看"

    def add_arguments(self, parser):
        parser.add_argument("--user", help="以该用户名（系统管理员）的身份操作；省略则记为“系统”")
        sub = parser.add_subparsers(dest="sub", required=True)
        imp = sub.add_parser("import", help="导入 CSV：date,kind,name[,source]；kind 为 holiday/休 或 makeup_workday/班")
        imp.add_argument("file")
        imp.add_argument("--complete", action="store_true", help="导入后将文件涉及的年份标记为录入完整")
        imp.add_argument("--source", default="", help="来源，如 国务院办公厅通知 国办发明电〔2026〕x号")
        imp.add_argument("--confirm-no-makeup", action="store_true",
                         help="确认该年度没有调休上班日（系统提示时使用）")
        comp = sub.add_parser("complete", help="将某年标记为录入完整，并重新计算等待该年度的暂定期限")
        comp.add_argument("year", type=int)
        comp.add_argument("--source", default="")
        comp.add_argument("--confirm-no-makeup", action="store_true",
                          help="确认该年度没有调休上班日（系统提示时使用）")
        sub.add_parser("status", help="列出各年份数据状态")

    def handle(self, *args, **opts):
        actor = None
        if opts.get("user"):
            actor = User.objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"未知用户：{opts['user']}", returncode=2)
        try:
            if opts["sub"] == "import":
                path = Path(opts["file"])
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(f"无法读取文件 {path}：{exc}", returncode=2) from None
                created = services.import_holiday_csv(actor=actor, text=text, complete=opts["complete"],
                                                      source=opts["source"], confirm_no_makeup=opts["confirm_no_makeup"])
                years = sorted({h.year for h in created})
                self.stdout.write(f"已导入 {len(created)} 天（{', '.join(map(str, years))} 年）"
                                  + ("，并标记为录入完整。" if opts["complete"] else "；该年份标记完整前，跨入该年的期限为暂定。"))
                self._recompute(created.recompute)
            elif opts["sub"] == "complete":
                hy = services.set_year_complete(actor=actor, year=opts["year"], source=opts["source"],
                                                confirm_no_makeup=opts["confirm_no_makeup"])
                self.stdout.write(f"{hy.year} 年节假日数据已标记为录入完整。")
                self._recompute(hy.recompute)
            else:
                counts = selectors.provisional_counts()
                years = list(selectors.holiday_years())
                for hy in years:
                    waiting = counts.get(hy.year, 0)
                    self.stdout.write(f"{hy.year}\t{'完整' if hy.complete else '未完成'}\t{hy.source}"
                                      + (f"\t{waiting} 个暂定期限" if waiting else ""))
                for year, waiting in sorted(counts.items()):
                    if not any(hy.year == year for hy in years):
                        self.stdout.write(f"{year}\t未录入\t\t{waiting} 个暂定期限")
        except (DomainError, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", str(exc)), returncode=2) from None

    def _recompute(self, counts):
        if counts is None:
            return
        self.stdout.write(f"重新计算暂定期限 {counts['recomputed']} 个：届满日变化 {counts['moved']} 个"
                          f"（通知 {counts['notifications']} 人次），仍为暂定 {counts['still_provisional']} 个。")
