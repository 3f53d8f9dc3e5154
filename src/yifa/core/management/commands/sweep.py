import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yifa.core.sweep import run_all


class Command(BaseCommand):
    help = "定期巡检：生成临期/超期预警和通知（幂等，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期运行 (YYYY-MM-DD)，用于补跑")
        parser.add_argument("--every", type=int, default=0, help="每隔 N 秒循环运行（嵌入式服务器使用）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--schedule", action="store_true",
                            help="不在本进程运行：领取当前巡检时段并把各分片交给后台任务队列（yifa worker），"
                                 "该时段已被领取时什么也不做")

    def handle(self, *args, **opts):
        today = None
        if opts["today"]:
            try:
                today = date.fromisoformat(opts["today"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{opts['today']}") from exc
        if opts["schedule"]:
            from yifa.core.sweep import schedule

            run = schedule()
            if run is None:
                self.stdout.write("本时段的巡检已由其他进程领取（或上一次巡检尚未结束）")
            else:
                self.stdout.write(f"已领取巡检时段 {run.slot:%Y-%m-%d %H:%M}，{run.parts_total} 个分片已加入任务队列")
            return
        while True:
            try:
                result = run_all(today)
            except Exception as exc:  # noqa: BLE001 — keep the loop alive, report the failure
                if not opts["every"]:
                    raise
                self.stderr.write(f"sweep failed: {exc!r}")
                result = None
            if result is not None:
                if opts["json"]:
                    self.stdout.write(json.dumps(result, ensure_ascii=False))
                else:
                    for name, counts in result.items():
                        self.stdout.write(f"{name}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
                self.stdout.flush()
            if not opts["every"]:
                return
            time.sleep(opts["every"])
