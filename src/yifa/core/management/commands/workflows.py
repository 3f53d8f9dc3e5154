from django.core.management.base import BaseCommand

from yifa.core.workflows import registry


class Command(BaseCommand):
    help = "输出各业务流程的状态图（Mermaid），由流程表生成"

    def handle(self, *args, **opts):
        flows = registry()
        if not flows:
            self.stdout.write("尚无已注册的流程。")
        for name, wf in sorted(flows.items()):
            self.stdout.write(f"## {name}\n\n```mermaid\n{wf.mermaid()}\n```\n")
