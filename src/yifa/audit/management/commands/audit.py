from django.core.management.base import BaseCommand, CommandError

from yifa.audit.services import baseline, verify_chain, verify_records, write_checkpoint


class Command(BaseCommand):
    help = "审计日志：yifa audit verify [--records] 校验签名链（及业务记录）；yifa audit checkpoint 写入检查点"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        v = sub.add_parser("verify", help="verify the HMAC-SM3 chain and the latest checkpoint; exit 1 naming what is broken")
        v.add_argument("--records", action="store_true",
                       help="also compare every audited record with the state its last audit row recorded")
        v.add_argument("--limit", type=int, default=50, help="list at most this many differing records (default 50)")
        sub.add_parser("checkpoint", help="append a signed checkpoint of the chain's head to the checkpoint file and the log")
        sub.add_parser("baseline", help="append an audit.baseline row with the current state of every tracked record "
                                        "that has none (once after upgrading; the demo does it itself)")

    def handle(self, *args, **opts):
        if opts["sub"] == "baseline":
            added = baseline(progress=lambda msg: (self.stdout.write(f"  {msg}"), self.stdout.flush()))
            self.stdout.write(f"审计基准：{sum(added.values())} 条业务记录纳入比对。 (baseline rows: {sum(added.values())})")
            return
        if opts["sub"] == "checkpoint":
            cp = write_checkpoint()
            self.stdout.write(
                f"已写入检查点：{cp['rows']} 条记录，最后一条第 {cp['last_id'] or '-'} 号，时间 {cp['created_at']}。 "
                f"(checkpoint written: rows={cp['rows']} last_id={cp['last_id']})"
            )
            return
        failures = []
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"审计链完整：共校验 {result.checked} 条记录；{result.checkpoint}。 "
                              f"(audit chain intact: {result.checked} rows)")
        else:
            for problem in result.problems:
                self.stderr.write(f"审计链异常：{problem}")
            if result.broken_id is not None:
                failures.append(f"审计链在第 {result.broken_id} 号记录处断裂：{result.problem} "
                                f"(audit chain broken at row id={result.broken_id}; {result.checked} rows before it are intact)")
            else:
                failures.append(f"审计链与检查点不符：{result.checkpoint} (audit chain does not match the latest checkpoint)")
        if opts["records"]:
            rec = verify_records()
            for problem in rec.problems[: opts["limit"]]:
                self.stderr.write(f"业务记录异常：{problem.describe()} ({problem.object_type} id={problem.object_id})")
            if len(rec.problems) > opts["limit"]:
                self.stderr.write(f"……另有 {len(rec.problems) - opts['limit']} 条未列出")
            unaudited = "、".join(f"{k} {v} 条" for k, v in rec.unaudited.items()) or "无"
            self.stdout.write(f"业务记录比对：{rec.checked} 条有审计记录的业务记录已比对，{len(rec.problems)} 条不符；"
                              f"没有审计记录（未纳入比对）：{unaudited}。")
            if not rec.ok:
                failures.append(f"{len(rec.problems)} 条业务记录与其最后一条审计记录不符 "
                                f"({len(rec.problems)} records differ from their last audit row)")
        if failures:
            raise CommandError("；".join(failures))
