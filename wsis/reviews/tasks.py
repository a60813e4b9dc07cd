"""Background jobs of the regional reviews: thin adapters that reload by id and call a service."""

from django_tasks import task

__all__ = ["build_review_report", "send_review_reminders"]


@task(queue_name="reports")
def build_review_report(report_id: int, rerender: bool = False) -> str:
    """Compute and render one report version (HTML, PDF, DOCX); the version records progress and errors."""
    from .models import ReviewReport
    from .services import report_build

    if not ReviewReport.objects.filter(pk=report_id).exists():
        return "missing"
    return report_build(report_id=report_id, rerender=rerender).status


@task(queue_name="email")
def send_review_reminders(days_before: int = 7) -> int:
    """Deadline reminders to focal points of countries that have not submitted (run daily)."""
    from .services import reminders_send

    return len(reminders_send(days_before=days_before))
