"""Background jobs of the stocktaking registry: e-mails to submitters and the yearly reminder.

Tasks take ids, reload what they need and call a service or send mail; nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from wsis.accounts.models import Membership, User
from wsis.core.mail import absolute_url, mail_send

from .models import Initiative

__all__ = ["export_job_task", "send_initiative_email", "send_update_reminders"]

EVENTS = {"submitted", "approved", "returned", "rejected", "reminder", "tags_corrected"}


def _recipients(initiative: Initiative, recipient_id: int | None) -> list[User]:
    if recipient_id:
        user = User.objects.filter(pk=recipient_id, is_active=True).first()
        if user:
            return [user]
    if initiative.created_by_id and initiative.created_by.is_active:
        return [initiative.created_by]
    return [m.user for m in Membership.objects.filter(organisation_id=initiative.organisation_id,
                                                      role=Membership.Role.ADMIN, user__is_active=True)
            .select_related("user")]


@task(queue_name="email")
def send_initiative_email(initiative_id: int, event: str, comment: str = "", recipient_id: int | None = None) -> int:
    """Tell the submitter what happened to their initiative, in the language they chose."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    initiative = Initiative.objects.select_related("organisation", "created_by").filter(pk=initiative_id).first()
    if initiative is None:
        return 0
    sent = 0
    for user in _recipients(initiative, recipient_id):
        language = user.preferred_language or settings.LANGUAGE_CODE
        mail_send(user=user, template=f"stocktaking/{event}", language=language, context={
            "initiative": initiative, "comment": comment,
            "url": absolute_url("", "stocktaking:detail", language=language, args=[initiative.pk]),
            "edit_url": absolute_url("", "stocktaking:edit", language=language, args=[initiative.pk]),
            "progress_url": absolute_url("", "stocktaking:progress", language=language, args=[initiative.pk]),
        })
        sent += 1
    return sent


@task()
def send_update_reminders(limit: int | None = None) -> int:
    """Yearly 'update your entry' reminders for published initiatives not revised for a year."""
    from .services import initiative_reminders_send

    return initiative_reminders_send(limit=limit)


@task(queue_name="default")
def export_job_task(job_id: int) -> int | None:
    """Write one large search export to its file (see ``export_jobs``); returns the number of rows."""
    from .export_jobs import export_job_run

    return export_job_run(job_id=job_id).row_count
