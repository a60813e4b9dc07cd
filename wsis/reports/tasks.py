"""Background jobs of the document engine: thin adapters that reload by id and call a service."""

from django_tasks import task

__all__ = ["build_document"]


@task(queue_name="reports")
def build_document(document_id: int, rerender: bool = False) -> str:
    """Compute and render one stored document version (HTML, PDF, DOCX); the version records progress."""
    from .models import GeneratedDocument
    from .services import document_build

    if not GeneratedDocument.objects.filter(pk=document_id).exists():
        return "missing"
    return document_build(document_id=document_id, rerender=rerender).status
