"""Background jobs of the forum: thin adapters that reload by id and call a service (STYLE.md habit 7)."""

from django_tasks import task

from wsis.core.mail import mail_send

__all__ = ["notify_submission_decision", "render_outcome_document"]


@task(queue_name="email")
def notify_submission_decision(submission_id: int) -> bool:
    """E-mail the submitter the secretariat's decision, in the submitter's preferred language."""
    from .models import Submission

    submission = (Submission.objects.select_related("edition", "submitted_by", "merged_into")
                  .filter(pk=submission_id).first())
    if submission is None or submission.submitted_by is None or not submission.submitted_by.email:
        return False
    mail_send(user=submission.submitted_by, template="forum/decision", context={"submission": submission})
    return True


@task(queue_name="reports")
def render_outcome_document(document_id: int) -> bool:
    """Render the PDF and DOCX of a compiled outcome document."""
    from .models import OutcomeDocument
    from .services import outcome_document_render

    document = OutcomeDocument.objects.select_related("edition").filter(pk=document_id).first()
    if document is None:
        return False
    outcome_document_render(document=document)
    return True
