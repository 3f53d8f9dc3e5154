"""Background tasks of the enforcement app."""

from django_tasks import task


@task()
def import_job(batch_id: int, path: str, actor_id: int) -> None:
    """Validate and import one queued upload (all or nothing; state and progress on the
    batch). Not retried when its worker dies: the batch is marked failed (nothing of it was
    committed) and the user uploads again."""
    from .imports import run_import_job

    run_import_job(batch_id, path, actor_id)
