"""After every other demo loader: take the records the loaders bulk-created without an
audit row under watch (audit baseline) and anchor the chain's head (a checkpoint)."""

from yifa.core import demo


@demo.register("audit", order=10000)
def load(ctx, say):
    from .services import baseline, write_checkpoint

    added = baseline()
    say(f"审计基准：{sum(added.values())} 条业务记录纳入比对（批量生成、此前没有审计记录）")
    cp = write_checkpoint()
    say(f"审计检查点：{cp['rows']} 条记录，最后一条第 {cp['last_id']} 号")
