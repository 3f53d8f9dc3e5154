import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yifa.core.demo import loaders
from yifa.orgs.models import Organization


class Command(BaseCommand):
    help = "生成演示县数据（数据库为空时）；已有数据则保留不动"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印演示账号")

    def handle(self, *args, **opts):
        if settings.PRODUCTION:
            raise CommandError("生产环境 (YIFA_ENV=production) 不允许生成演示数据和演示账号。")
        if Organization.objects.exists():
            self.stdout.write("数据库已有数据，保留现有数据，不重新生成演示县。")
        else:
            started = time.monotonic()
            ctx: dict = {}
            steps = loaders()
            for i, (name, loader) in enumerate(steps, start=1):
                self.stdout.write(f"[{i}/{len(steps)}] {name} …")
                self.stdout.flush()
                with transaction.atomic():
                    loader(ctx, lambda msg: (self.stdout.write(f"    {msg}"), self.stdout.flush()))
            self.stdout.write(f"演示县已生成，用时 {time.monotonic() - started:.1f} 秒。")
        if not opts["quiet_accounts"]:
            call_command("demo_accounts", stdout=self.stdout)
