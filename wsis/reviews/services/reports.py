"""Review report versions: request, build, narratives, publication and the hand-over to the WSIS Forum."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wsis.core import joblog
from wsis.core.concurrency import version_claim
from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.services import audit_record
from wsis.forum import selectors as forum_selectors
from wsis.forum import services as forum_services
from wsis.reports.storage import file_store

from ..models import ForumSubmissionRecord, ReviewCycle, ReviewReport
from ._common import (
    ERR_NOT_PUBLISHED,
    ERR_PUBLISHED_LOCKED,
    ERR_REPORT_NOT_READY,
    ERR_REPORT_STATE,
    _require_manager,
)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Reports


# A report can be requested and published once the questionnaire is closed, and also after a first
# publication (the version in another language, or a corrected version).
REPORT_STATES = {ReviewCycle.State.CLOSED, ReviewCycle.State.REPORT_DRAFTED, ReviewCycle.State.PUBLISHED}


@transaction.atomic
def report_request(*, cycle: ReviewCycle, actor, language: str = "en") -> ReviewReport:
    """Queue a new version of the report; narratives carry over from the latest version."""
    _require_manager(actor, cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state not in REPORT_STATES:
        raise ValidationError(ERR_REPORT_STATE)
    if language not in LANGUAGE_SUFFIXES:
        language = "en"
    latest = ReviewReport.objects.filter(cycle=cycle).order_by("-version").first()
    # Narratives carry over from the latest version in the same language (a translation starts empty:
    # the drafting aid writes it in that language until the reviewers do).
    same_language = ReviewReport.objects.filter(cycle=cycle, language=language).order_by("-version").first()
    report = ReviewReport.objects.create(
        cycle=cycle, version=(latest.version + 1) if latest else 1, language=language,
        narratives=dict(same_language.narratives) if same_language else {}, created_by=actor,
        messages=[joblog.entry(_("Queued."))],
    )
    audit_record(actor=actor, action="reviews.report.request", target=report, summary=str(report))
    transaction.on_commit(lambda: _enqueue_build(report.pk))
    return report


def _enqueue_build(report_id: int, *, rerender: bool = False) -> None:
    from ..tasks import build_review_report

    build_review_report.enqueue(report_id, rerender)


def _log(report: ReviewReport, text, progress: int | None = None, params: dict | None = None) -> None:
    joblog.append(report, text, progress=progress, params=params)


def _store_files(report: ReviewReport, files: dict[str, bytes]) -> None:
    """Write the version's three files and their SHA-256 checksums."""
    for fmt, content in files.items():
        setattr(report, f"{fmt}_sha256", file_store(report, f"{fmt}_file", f"report.{fmt}", content))
    report.save(update_fields=["html_file", "pdf_file", "docx_file", "html_sha256", "pdf_sha256", "docx_sha256",
                               "updated_at"])


def report_build(*, report_id: int, rerender: bool = False) -> ReviewReport:
    """Compute the figures (unless re-rendering edited narratives), then write HTML, PDF and DOCX.

    Runs in the background job; each step commits its progress so that the page can show it.
    A failure marks the version failed with the reason, and the cycle keeps its state.
    """
    from .. import rendering
    from ..report_data import report_figures

    report = ReviewReport.objects.select_related("cycle__commission").get(pk=report_id)
    if report.published_at:
        return report  # a published version never changes
    report.status, report.started_at, report.finished_at = ReviewReport.Status.RUNNING, timezone.now(), None
    report.save(update_fields=["status", "started_at", "finished_at", "updated_at"])
    try:
        if not rerender or not report.data:
            _log(report, _("Collecting responses, registry coverage, Matrix links and indicators."), 5)
            with translation.override(report.language):
                report.data = report_figures(report.cycle)
            report.save(update_fields=["data", "updated_at"])
        _log(report, _("Figures ready; writing the HTML, PDF and DOCX files."), 35)
        _store_files(report, rendering.render_files(report))
        report.status, report.finished_at = ReviewReport.Status.DONE, timezone.now()
        report.save(update_fields=["status", "finished_at", "updated_at"])
        _log(report, _("Done."), 100)
        with transaction.atomic():
            cycle = ReviewCycle.objects.select_for_update().get(pk=report.cycle_id)
            if cycle.state == ReviewCycle.State.CLOSED:
                cycle.state = ReviewCycle.State.REPORT_DRAFTED
                cycle.save(update_fields=["state", "updated_at"])
                audit_record(actor=None, action="reviews.cycle.draft_report", target=cycle, summary=str(report))
    except Exception as exc:
        # The job must record why it stopped: a reviewer reads this on the report page.
        report.status, report.finished_at = ReviewReport.Status.FAILED, timezone.now()
        report.save(update_fields=["status", "finished_at", "updated_at"])
        _log(report, _("Failed: %(error)s"), params={"error": f"{exc.__class__.__name__}: {exc}"[:400]})
        logger.exception("Review report %s failed", report.pk)
    return report


@transaction.atomic
def report_update_narratives(*, report: ReviewReport, narratives: dict[str, str], actor,
                             expected_version: int | None = None) -> ReviewReport:
    """Store the reviewers' narrative texts and re-render this version's files with the same figures.

    ``expected_version``: the report's ``lock_version`` when the form was opened (ConflictError if it moved on).
    """
    _require_manager(actor, report.cycle)
    version_claim(report, expected_version=expected_version)
    if report.published_at:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    if report.status != ReviewReport.Status.DONE:
        raise ValidationError(ERR_REPORT_NOT_READY)
    allowed = {key for key, _label in narrative_keys(report)}
    clean = {k: (v or "").strip()[:20000] for k, v in narratives.items() if k in allowed}
    report.narratives = {**report.narratives, **clean}
    report.status, report.progress = ReviewReport.Status.QUEUED, 30
    report.save(update_fields=["narratives", "status", "progress", "updated_at"])
    _log(report, _("Narrative edited; re-rendering the files."))
    audit_record(actor=actor, action="reviews.report.edit_narratives", target=report, summary=str(report),
                 data={"keys": sorted(clean)})
    transaction.on_commit(lambda: _enqueue_build(report.pk, rerender=True))
    return report


def narrative_keys(report: ReviewReport) -> list[tuple[str, str]]:
    """The texts reviewers write: the cover's title, theme and symbol in this version's language, then the
    narrative sections (summary, one per action line, conclusions)."""
    keys = [("cover_title", str(_("Title, in this version's language"))),
            ("cover_theme", str(_("Theme, in this version's language"))),
            ("cover_symbol", str(_("Document symbol (e.g. ESCAP/CICTSTI/2026/INF/1)"))),
            ("summary", str(_("Executive summary")))]
    for section in (report.data or {}).get("sections", []):
        keys.append((section["key"], section["title"]))
    keys.append(("conclusions", str(_("Conclusions and recommendations"))))
    return keys


@transaction.atomic
def report_publish(*, report: ReviewReport, actor) -> ReviewReport:
    """Publish this version in its language: the cycle becomes published and the report public.

    Versions in other languages stay published: each language is published on its own, side by side
    (the public page lists the newest published version of each language)."""
    _require_manager(actor, report.cycle)
    if report.status != ReviewReport.Status.DONE:
        raise ValidationError(ERR_REPORT_NOT_READY)
    cycle = ReviewCycle.objects.select_for_update().get(pk=report.cycle_id)
    if cycle.state not in REPORT_STATES:
        raise ValidationError(ERR_REPORT_STATE)
    if report.published_at:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    report.published_at = timezone.now()
    report.save(update_fields=["published_at", "updated_at"])
    # The files are written once more without the draft marks; from now on they never change.
    from .. import rendering

    _store_files(report, rendering.render_files(report))
    cycle.state = ReviewCycle.State.PUBLISHED
    cycle.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="reviews.report.publish", target=report, summary=str(report))
    return report


@transaction.atomic
def report_send_to_forum(*, report: ReviewReport, actor, document_url: str) -> ForumSubmissionRecord:
    """Send the published report to the current WSIS Forum edition as the region's formal input.

    The forum's ``regional_input_submit`` records it in the open consultation; if the forum has no
    edition or no open phase, a record stays here with the reason so the commission can send it again
    later.
    """
    _require_manager(actor, report.cycle)
    if not report.published_at:
        raise ValidationError(ERR_NOT_PUBLISHED)
    cycle = report.cycle
    submitted = (report.data or {}).get("responses", {}).get("submitted", 0)
    summary = (report.narratives.get("summary") or "").strip() or str(
        ngettext("The %(commission)s regional review of WSIS implementation for %(year)s: responses of %(n)d "
                 "member state, registry coverage and gaps per action line, alignment with the SDGs under HLPF "
                 "review and ICT indicators.",
                 "The %(commission)s regional review of WSIS implementation for %(year)s: responses of %(n)d "
                 "member states, registry coverage and gaps per action line, alignment with the SDGs under HLPF "
                 "review and ICT indicators.", submitted)
        % {"commission": cycle.commission.code, "year": cycle.year, "n": submitted})
    payload = {"title": cycle.title, "summary": summary[:4000], "document_url": document_url,
               "report_version": report.version}
    record = ForumSubmissionRecord(report=report, payload=payload, submitted_by=actor)
    edition = forum_selectors.edition_current()
    if edition is None:
        record.status = ForumSubmissionRecord.Status.RECORDED
        record.message = str(_("No WSIS Forum edition is available; the submission is recorded here."))
    else:
        try:
            with transaction.atomic():
                submission = forum_services.regional_input_submit(
                    edition=edition, commission=cycle.commission, title=cycle.title, summary=payload["summary"],
                    document_url=document_url, actor=actor)
        except ValidationError as exc:
            record.status = ForumSubmissionRecord.Status.FAILED
            record.message = " ".join(exc.messages)[:500]
            record.forum_edition = str(edition.year)
        else:
            record.status = ForumSubmissionRecord.Status.SUBMITTED
            record.forum_submission_id = submission.pk
            record.forum_edition = str(edition.year)
            record.message = str(_("Submitted to the WSIS Forum %(year)s open consultation.") % {"year": edition.year})
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="reviews.report.send_to_forum", target=record, summary=record.message,
                 data={"status": record.status, "forum_submission": record.forum_submission_id})
    return record
