"""Background jobs of the open-data app: thin adapters that call a service."""

from django_tasks import task

__all__ = ["dump_build_task"]


@task(queue_name="default")
def dump_build_task(dump_id: int) -> str:
    """Build the bulk downloads (every table, every format, descriptors, checksums)."""
    from .services import dump_build

    return dump_build(dump_id=dump_id).state
