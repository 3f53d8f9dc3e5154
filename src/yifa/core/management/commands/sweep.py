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

    def handle(self, *args, **opts):
        today = None
        if opts["today"]:
            try:
                today = date.fromisoformat(opts["today"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{opts['today']}") from exc
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
