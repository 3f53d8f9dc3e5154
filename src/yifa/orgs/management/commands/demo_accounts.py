import json

from django.core.management.base import BaseCommand

from yifa.orgs.demo import demo_accounts


class Command(BaseCommand):
    help = "列出演示账号（--json 输出 JSON 列表）"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        accounts = demo_accounts()
        if opts["json"]:
            keys = ("username", "password", "role", "org", "org_name")
            self.stdout.write(json.dumps([{k: a[k] for k in keys} for a in accounts], ensure_ascii=False))
            return
        if not accounts:
            self.stdout.write("没有演示账号。先运行 yifa demo。")
            return
        self.stdout.write("演示账号（密码相同）: " + (accounts[0]["password"]))
        for a in accounts:
            self.stdout.write(f"  {a['role_label']:<8} {a['username']:<18} {a['org_name']}")
