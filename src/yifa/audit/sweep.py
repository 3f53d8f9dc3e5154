"""The sweep anchors the chain's head: a signed checkpoint whenever the head has moved."""

from yifa.core import sweep


@sweep.register("audit.checkpoint", last=True)  # after the tasks that append audit rows
def run(today):
    from .services import write_checkpoint

    return {"checkpoints": 1 if write_checkpoint(only_if_changed=True) else 0}
