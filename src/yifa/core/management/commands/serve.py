"""`yifa serve`: the embedded production-grade server (gunicorn, not runserver), with the
periodic sweep running alongside in its own process."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动平台，并在后台定时运行巡检 (sweep)"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("YIFA_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("YIFA_THREADS", "4")))
        parser.add_argument("--no-sweep", action="store_true", help="不在本进程旁运行定时巡检（生产中由 cron/systemd 运行）")

    def handle(self, *args, **opts):
        from gunicorn.app.base import BaseApplication

        from yifa.wsgi import application

        from yifa.core.sweep import run_startup

        run_startup()  # e.g. imports cut off by the last stop: failed now, their files removed
        # gunicorn forks its workers from this process: no connection, and no connection pool
        # with its threads, may cross the fork (each worker opens its own pool on first use).
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        sweeper = None
        if not opts["no_sweep"]:
            sweeper = subprocess.Popen(
                [sys.executable, "-m", "yifa", "sweep", "--every", str(settings.YIFA_SWEEP_INTERVAL)],
                stdout=subprocess.DEVNULL,
            )
            self.stdout.write(f"定时巡检已启动（每 {settings.YIFA_SWEEP_INTERVAL} 秒，进程 {sweeper.pid}）")

        bind = f"{opts['host']}:{opts['port']}"

        class App(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", bind)
                self.cfg.set("workers", opts["workers"])
                self.cfg.set("threads", opts["threads"])
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", os.environ.get("YIFA_ACCESS_LOG", None))
                self.cfg.set("timeout", 120)

            def load(self):
                return application

        self.stdout.write(f"yifa 已启动：http://{bind}/  （Ctrl+C 停止）")
        self.stdout.flush()
        try:
            App().run()
        finally:
            if sweeper and sweeper.poll() is None:
                sweeper.send_signal(signal.SIGTERM)
                sweeper.wait(timeout=10)
