"""Demo data of the reports app: the global WSIS Stocktaking Report 2025, published in English and French,
so that the reports page and ``/api/v1/documents`` show a real example. Idempotent: an edition already
published is left as it is (published documents never change)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from wsis.accounts.models import User
from wsis.core.demo import DEMO_EMAIL_DOMAIN, DemoContext

from . import services, stocktaking_report
from .models import GeneratedDocument

YEAR, SCOPE, LANGUAGES = 2025, "global", ("en", "fr")


def seed(ctx: DemoContext) -> None:
    actor = User.objects.filter(email=f"secretariat@{DEMO_EMAIL_DOMAIN}").first()
    if actor is None:
        ctx.log("Reports: no demo secretariat user; the demo Stocktaking Report is not generated.")
        return
    key = stocktaking_report.scope_key(YEAR, SCOPE)
    for language in LANGUAGES:
        if GeneratedDocument.objects.filter(kind=stocktaking_report.KIND, key=key, language=language,
                                            published_at__isnull=False).exists():
            continue
        with translation.override(language):
            title = stocktaking_report.default_title(YEAR, SCOPE)
        with transaction.atomic():
            doc = services.document_request(kind=stocktaking_report.KIND, key=key, language=language, title=title,
                                            symbol=stocktaking_report.default_symbol(YEAR, SCOPE),
                                            params={"year": YEAR, "scope": SCOPE}, actor=actor,
                                            enqueue=False)
        doc = services.document_build(document_id=doc.pk)
        if doc.status != GeneratedDocument.Status.DONE:
            ctx.log(f"Reports: the {language} Stocktaking Report {YEAR} failed: {doc.messages[-1]['text']}")
            continue
        services.document_publish(document=doc, actor=actor)
        ctx.log(f"Reports: WSIS Stocktaking Report {YEAR} published in {language} ({doc.pages} pages).")
