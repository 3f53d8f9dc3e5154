from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yifa.core import clock


class Command(BaseCommand):
    help = "重建领导驾驶舱的月度汇总（默认近24个月；--since YYYY-MM 指定起始月份）"

    def add_arguments(self, parser):
        parser.add_argument("--since", help="起始月份 YYYY-MM")
        parser.add_argument("--today", help="统计日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--background", action="store_true", help="交给后台任务队列（yifa worker）执行")

    def handle(self, *args, since=None, today=None, **opts):
        from yifa.reports.services import SWEEP_MONTHS, add_months, month_start, rebuild_rollups

        try:
            today = date.fromisoformat(today) if today else clock.today()
            first = (date.fromisoformat(since + "-01") if since
                     else add_months(month_start(today), -(SWEEP_MONTHS - 1)))
        except ValueError as exc:
            raise CommandError(f"日期格式错误：{exc}") from None
        if first > today:
            raise CommandError("起始月份晚于统计日")
        if opts["background"]:
            from yifa.reports.tasks import rebuild_rollups as rebuild_task

            result = rebuild_task.enqueue(first.isoformat())
            self.stdout.write(f"已加入后台任务队列：{result.id}（汇总 {first:%Y-%m} 起）")
            return
        counts = rebuild_rollups(since=first, today=today)
        self.stdout.write(f"汇总 {first:%Y-%m} 至 {today:%Y-%m}：新增 {counts['created']} 行，更新 {counts['updated']} 行，"
                          f"删除 {counts['deleted']} 行")
