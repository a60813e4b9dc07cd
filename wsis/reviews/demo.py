"""Demo data of the regional reviews: ESCAP's 2025 review, closed, with responses from seven
member states, ready for the reviewer to generate the report; and ESCAP's 2026 cycle as a draft
whose questionnaire was copied from 2025.

Reviewer: ``reviewer.escap@…``; focal points ``focal.tha@…`` and ``focal.npl@…`` (accounts demo) and
``focal.bgd@…``, ``focal.btn@…``, ``focal.fji@…``, ``focal.mng@…``, ``focal.vnm@…`` (made here), all with
the demo password.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from wsis.accounts.models import User
from wsis.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext
from wsis.core.permissions import Role, RoleGrant
from wsis.taxonomy.models import ActionLine, Country, RegionalCommission

from . import services
from .models import Question, ReviewCycle

ACTION_LINES = ["C1", "C2", "C4", "C5", "C7.1", "C7.4"]
RESPONDING = ["THA", "NPL", "BGD", "BTN", "FJI", "MNG", "VNM"]
DRAFT_ONLY = ["LAO"]  # invited, started, never submitted
NAMES = {"BGD": "Farhana Focal Point (Bangladesh)", "BTN": "Karma Focal Point (Bhutan)",
         "FJI": "Litia Focal Point (Fiji)", "MNG": "Bolor Focal Point (Mongolia)",
         "VNM": "Minh Focal Point (Viet Nam)", "LAO": "Souk Focal Point (Lao PDR)"}
HIGHLIGHTS = [
    "The national broadband plan brought fibre to {n} district centres; rural last-mile access remains the "
    "main gap, together with affordability of devices for low-income households.",
    "A whole-of-government digital strategy was adopted and a digital ID now serves {n} public services; "
    "the challenge is skills in local administrations.",
    "Community telecentres were converted into digital learning hubs in {n} provinces; connectivity for "
    "schools in mountain areas depends on satellite links that are still costly.",
    "Telemedicine now links {n} rural health posts with referral hospitals; data protection rules for "
    "health records are being drafted.",
    "Cybersecurity capacity grew with a national CERT and {n} trained staff; small businesses still lack "
    "basic protection and awareness.",
]


def _demo_email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def _focal_user(iso3: str, password_hash: str) -> User:
    from django.contrib.contenttypes.models import ContentType

    email = _demo_email(f"focal.{iso3.lower()}")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, full_name=NAMES.get(iso3, f"Focal Point ({iso3})"),
                                   password=password_hash, email_verified=True)
    country = Country.objects.get(iso3=iso3)
    RoleGrant.objects.get_or_create(user=user, role=Role.FOCAL_POINT,
                                    scope_type=ContentType.objects.get_for_model(Country), scope_id=country.pk)
    return user


def _answer(question: Question, rng, iso3: str):
    K = Question.Kind
    if question.kind == K.YES_NO:
        return "yes" if rng.random() < 0.75 else "no"
    if question.kind == K.SCALE:
        return rng.randint(question.scale_min + 1, question.scale_max)
    if question.kind == K.MULTIPLE:
        options = [v for v, _label in question.choice_options()]
        return rng.sample(options, rng.randint(1, 3))
    if question.kind == K.SINGLE:
        return rng.choice([v for v, _label in question.choice_options()])
    if question.kind == K.NUMBER:
        return rng.randint(1, 40)
    if question.kind == K.TEXT:
        if question.code.endswith("policy-name"):
            return f"National Digital Strategy {rng.randint(2018, 2024)}"
        return rng.choice(HIGHLIGHTS).format(n=rng.randint(3, 60))
    return None  # tables keep what the registry prefilled


@transaction.atomic
def _seed(ctx: DemoContext) -> None:
    escap = RegionalCommission.objects.get(code="ESCAP")
    reviewer = User.objects.filter(email=_demo_email("reviewer.escap")).first()
    if reviewer is None:
        ctx.log("Reviews: no ESCAP reviewer (accounts demo missing); skipped.")
        return
    if ReviewCycle.objects.filter(commission=escap, year=2025).exists():
        ctx.log("Reviews: ESCAP 2025 review already present.")
        return
    rng = ctx.rng("reviews")
    password_hash = make_password(DEMO_PASSWORD)
    cycle = services.cycle_create(commission=escap, year=2025, actor=reviewer,
                                  opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 4, 30))
    services.questionnaire_add_starter(cycle=cycle, action_lines=ActionLine.objects.filter(code__in=ACTION_LINES),
                                       actor=reviewer)
    focal = {iso3: _focal_user(iso3, password_hash) for iso3 in RESPONDING + DRAFT_ONLY}
    for iso3, user in focal.items():
        services.invitation_create(cycle=cycle, country=Country.objects.get(iso3=iso3), email=user.email,
                                   actor=reviewer)
    services.cycle_transition(cycle=cycle, to_state=ReviewCycle.State.OPEN, actor=reviewer)
    cycle.refresh_from_db()
    sections = list(cycle.questionnaire.sections.prefetch_related("questions").order_by("order"))
    for iso3, user in focal.items():
        country = Country.objects.get(iso3=iso3)
        response = services.response_open(cycle=cycle, country=country, actor=user)
        prefilled = set(response.answers.values_list("question_id", flat=True))
        for section in sections:
            values = {}
            for q in section.questions.all():
                if q.pk in prefilled:
                    continue
                if q.condition_question_id and values.get(q.condition_question_id) != q.condition_value:
                    continue
                value = _answer(q, rng, iso3)
                if value is not None:
                    values[q.pk] = value
            services.response_save_section(response=response, section=section, values=values, actor=user)
        if iso3 in RESPONDING:
            services.response_submit(response=response, actor=user)
    services.cycle_transition(cycle=cycle, to_state=ReviewCycle.State.CLOSED, actor=reviewer)
    _publish_report(cycle, reviewer)

    draft = services.cycle_create(commission=escap, year=2026, actor=reviewer,
                                  opens_on=dt.date(2026, 2, 1), closes_on=dt.date(2026, 4, 30))
    services.questionnaire_copy(cycle=draft, source=cycle, actor=reviewer)
    ctx.log(f"Reviews: ESCAP 2025 review with {len(RESPONDING)} submitted responses, its report published in "
            f"English and French, and a 2026 draft copied from it.")


# The reviewers' texts of the published demo report (the chapters keep the drafting aid's sentences, which
# publishing adopts). Markdown, as reviewers write it.
NARRATIVES = {
    "en": {
        "cover_symbol": "ESCAP/CICTSTI/2025/INF/1",
        "summary": "**Key message:** seven of the eight member states invited answered the questionnaire, and "
                   "every action line under review has initiatives in the registry.\n\n"
                   "- Broadband and digital-government strategies are in place almost everywhere.\n"
                   "- Skills in local administrations and the cost of rural connectivity remain the main gaps.",
        "conclusions": "The region should *prioritise affordable last-mile connectivity* and digital skills for "
                       "local administrations, and register more initiatives under the action lines with gaps "
                       "against the WSIS–SDG Matrix.",
    },
    "fr": {
        "cover_title": "Examen régional de la mise en œuvre du SMSI par la CESAP, 2025",
        "cover_symbol": "ESCAP/CICTSTI/2025/INF/1",
        "summary": "**Message clé :** sept des huit États membres invités ont répondu au questionnaire, et chaque "
                   "grande orientation examinée compte des initiatives dans le registre.",
        "conclusions": "La région devrait *donner la priorité à une connectivité abordable du dernier kilomètre* "
                       "et aux compétences numériques des administrations locales.",
    },
}


def _publish_report(cycle: ReviewCycle, reviewer) -> None:
    """Generate, edit and publish the 2025 report in English and French, side by side."""
    for language, texts in NARRATIVES.items():
        report = services.report_request(cycle=cycle, actor=reviewer, language=language)
        report = services.report_build(report_id=report.pk)
        report = services.report_update_narratives(report=report, narratives=texts, actor=reviewer,
                                                   expected_version=report.lock_version)
        report = services.report_build(report_id=report.pk, rerender=True)
        services.report_publish(report=report, actor=reviewer)


def seed(ctx: DemoContext) -> None:
    # Demo invitations must not print a pile of e-mails to the console while seeding.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _seed(ctx)
