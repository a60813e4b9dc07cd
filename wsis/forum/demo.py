"""Demo data of the forum for ``manage.py seed_demo``: the real past editions and a current 2027 edition.

The past editions, their consultation phases and the process milestones come from the data files
(``history_load``, FACTS.md). The 2027 edition is invented (``is_demo``): its consultation is open
on 29 November 2026 (phase II), with submissions from the demo organisations in every review state,
the accepted proposals on a conflict-free agenda next to the sessions the secretariat organises
itself. Deterministic for ``ctx.seed`` and idempotent: the demo submissions are written once.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wsis.accounts.demo import ORGANISATIONS as DEMO_ORGANISATIONS
from wsis.accounts.models import Membership, Organisation
from wsis.core.demo import DemoContext
from wsis.core.permissions import Role, role_holders
from wsis.taxonomy.models import ActionLine, Goal, MatrixLink, Provenance, RegionalCommission

from .history import edition_milestone_sync, history_load
from .models import (
    ConsultationPhase,
    ForumEdition,
    Gender,
    Room,
    Session,
    SessionSpeaker,
    SessionType,
    SpeakerRegion,
    Submission,
    SubmissionKind,
    SubmissionSpeaker,
)

YEAR = 2027
K = SubmissionKind
PHASES = [
    (1, ConsultationPhase.Kind.LAUNCH, "Phase I: Launch and call for thematic inputs", dt.date(2026, 9, 1),
     dt.date(2026, 11, 15), [K.THEMATIC_INPUT, K.HLTF_NOMINATION], ""),
    (2, ConsultationPhase.Kind.MEETING, "Phase II: First consultation meeting and call for proposals",
     dt.date(2026, 11, 16), dt.date(2027, 2, 7), list(K.values), "virtual"),
    (3, ConsultationPhase.Kind.MEETING, "Phase III: Second consultation meeting", dt.date(2027, 2, 8),
     dt.date(2027, 3, 14), [K.SESSION_PROPOSAL, K.SPEAKER_NOMINATION, K.REGIONAL_INPUT], "hybrid"),
    (4, ConsultationPhase.Kind.DEADLINE, "Phase IV: Deadline for session proposals and regional inputs",
     dt.date(2027, 3, 15), dt.date(2027, 3, 15), [K.SESSION_PROPOSAL, K.SPEAKER_NOMINATION, K.REGIONAL_INPUT], ""),
    (5, ConsultationPhase.Kind.FINAL_BRIEF, "Phase V: Final brief", dt.date(2027, 4, 12), dt.date(2027, 4, 12),
     [], ""),
]
ROOMS = [("Room A", 400, False), ("Room B", 150, False), ("Room C", 80, False), ("Room D", 60, False),
         ("Virtual room", None, True)]
SLOTS = [(9, 0, 10, 30), (11, 0, 12, 30), (14, 0, 15, 30), (16, 0, 17, 30)]

TOPICS = [
    ("Community networks for rural schools", "C2", [4, 9]),
    ("Open data for climate-resilient agriculture", "C7.7", [2, 13]),
    ("Digital public infrastructure in least developed countries", "C7.1", [9, 16, 17]),
    ("Affordable broadband through infrastructure sharing", "C2", [9, 10]),
    ("Cybersecurity capacity for small island states", "C5", [9, 16]),
    ("Telemedicine for maternal health", "C7.4", [3, 5]),
    ("Women in ICT careers: from school to leadership", "C4", [4, 5, 8]),
    ("Indigenous languages online", "C8", [4, 10]),
    ("Media freedom and information integrity", "C9", [16]),
    ("Ethics of artificial intelligence in public services", "C10", [9, 16]),
    ("E-waste and the circular economy", "C7.6", [11, 12]),
    ("Mobile money for smallholder farmers", "C7.3", [1, 8]),
    ("Digital skills for older persons", "C4", [4, 10]),
    ("Accessible websites for persons with disabilities", "C3", [10, 11]),
    ("Early warning systems that reach everyone", "C7.6", [11, 13]),
    ("Online learning in crisis settings", "C7.5", [4]),
    ("Public libraries as digital inclusion hubs", "C3", [4, 10]),
    ("Remote work and decent employment", "C7.8", [8]),
    ("Research networks for open science", "C7.8", [9, 17]),
    ("Enabling environment for digital start-ups", "C6", [8, 9]),
]
FIRST = ["Amina", "Kenji", "Lucía", "Olga", "Tariq", "Mei", "Kwame", "Sofía", "Aroha", "Rahul", "Fatima", "Jonas",
         "Nadia", "Diego", "Leila", "Tomasz", "Aisha", "Hiroshi", "Zanele", "Mateo"]
LAST = ["Diallo", "Sato", "Fernández", "Ivanova", "Haddad", "Chen", "Mensah", "Rojas", "Ngata", "Sharma", "Zahra",
        "Berg", "Karimova", "Silva", "Mansour", "Nowak", "Bello", "Tanaka", "Dlamini", "Pérez"]
REGIONS = list(SpeakerRegion.values)
PROPOSAL_STATES = [Submission.State.ACCEPTED] * 3 + [Submission.State.SUBMITTED] * 2 + [
    Submission.State.DECLINED, Submission.State.MERGED]
FORMATS = [SessionType.THEMATIC_WORKSHOP, SessionType.THEMATIC_WORKSHOP, SessionType.COUNTRY_WORKSHOP,
           SessionType.KNOWLEDGE_CAFE, SessionType.HIGH_LEVEL_POLICY, SessionType.TRAINING]


# The demonstration edition's texts in the other UN languages (the platform's own translations, marked so).
DEMO_TEXTS = {
    "CICG, Geneva": {"ar": "المركز الدولي للمؤتمرات في جنيف (CICG)", "es": "Centro Internacional de Conferencias de Ginebra (CICG)",
                     "fr": "Centre international de conférences de Genève (CICG)", "ru": "Международный конференц-центр Женевы (CICG)",
                     "zh-hans": "日内瓦国际会议中心（CICG）"},
    "Digital cooperation for the 2030 Agenda: putting the WSIS+20 outcome into practice": {
        "ar": "التعاون الرقمي من أجل خطة عام 2030: وضع نتائج القمة العالمية لمجتمع المعلومات+20 موضع التنفيذ",
        "es": "La cooperación digital al servicio de la Agenda 2030: poner en práctica el resultado de la CMSI+20",
        "fr": "La coopération numérique au service du Programme 2030 : mettre en pratique le document final du SMSI+20",
        "ru": "Цифровое сотрудничество в интересах Повестки дня на период до 2030 года: претворение в жизнь итогов ВВУИО+20",
        "zh-hans": "促进2030年议程的数字合作：落实信息社会世界峰会+20成果"},
    "Demonstration edition: dates, theme and phases are invented.": {
        "ar": "نسخة تجريبية: التواريخ والموضوع والمراحل مختلقة لأغراض العرض.",
        "es": "Edición de demostración: las fechas, el tema y las fases son ficticios.",
        "fr": "Édition de démonstration : les dates, le thème et les phases sont fictifs.",
        "ru": "Демонстрационный форум: даты, тема и этапы вымышлены.", "zh-hans": "演示版：日期、主题和阶段均为虚构。"},
    "Phase I: Launch and call for thematic inputs": {
        "ar": "المرحلة الأولى: الإطلاق والدعوة إلى تقديم المساهمات المواضيعية",
        "es": "Fase I: Inicio y convocatoria de aportaciones temáticas", "fr": "Phase I : Lancement et appel à contributions thématiques",
        "ru": "Этап I: начало и призыв к представлению тематических материалов", "zh-hans": "第一阶段：启动并征集专题意见"},
    "Phase II: First consultation meeting and call for proposals": {
        "ar": "المرحلة الثانية: الاجتماع الأول للمشاورة والدعوة إلى تقديم المقترحات",
        "es": "Fase II: Primera reunión de la consulta y convocatoria de propuestas",
        "fr": "Phase II : Première réunion de consultation et appel à propositions",
        "ru": "Этап II: первое консультационное совещание и призыв к представлению предложений",
        "zh-hans": "第二阶段：第一次磋商会议并征集提案"},
    "Phase III: Second consultation meeting": {
        "ar": "المرحلة الثالثة: الاجتماع الثاني للمشاورة", "es": "Fase III: Segunda reunión de la consulta",
        "fr": "Phase III : Deuxième réunion de consultation", "ru": "Этап III: второе консультационное совещание",
        "zh-hans": "第三阶段：第二次磋商会议"},
    "Phase IV: Deadline for session proposals and regional inputs": {
        "ar": "المرحلة الرابعة: الموعد النهائي لتقديم مقترحات الجلسات والمساهمات الإقليمية",
        "es": "Fase IV: Plazo para las propuestas de sesiones y las aportaciones regionales",
        "fr": "Phase IV : Date limite des propositions de sessions et des contributions régionales",
        "ru": "Этап IV: крайний срок представления предложений по сессиям и региональных материалов",
        "zh-hans": "第四阶段：会议提案和区域意见提交截止日期"},
    "Phase V: Final brief": {"ar": "المرحلة الخامسة: الإحاطة الختامية", "es": "Fase V: Sesión informativa final",
                             "fr": "Phase V : Séance d'information finale", "ru": "Этап V: заключительный брифинг",
                             "zh-hans": "第五阶段：最后情况介绍"},
}


def _demo_translations(obj, fields: tuple[str, ...]) -> None:
    """Store the demo texts' translations on ``obj`` with their provenance ("unofficial translation")."""
    translations: dict[str, dict] = {}
    for name in fields:
        for lang, text in DEMO_TEXTS.get(getattr(obj, name), {}).items():
            translations.setdefault(lang, {})[name] = text
            Provenance.objects.update_or_create(
                content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, field=name, language=lang,
                defaults={"status": Provenance.Status.UNOFFICIAL_TRANSLATION, "checked_on": dt.date(2026, 12, 7),
                          "source": "Translated by the platform from the demonstration edition's English texts"})
    if obj.translations != translations:
        type(obj).objects.filter(pk=obj.pk).update(translations=translations)
        obj.translations = translations


def _edition() -> ForumEdition:
    ForumEdition.objects.exclude(year=YEAR).filter(is_current=True).update(is_current=False)
    edition, _ = ForumEdition.objects.update_or_create(year=YEAR, defaults={
        "title": "WSIS Forum 2027", "start_date": dt.date(2027, 5, 17), "end_date": dt.date(2027, 5, 21),
        "format": ForumEdition.Format.HYBRID, "venue": "CICG, Geneva",
        "theme": "Digital cooperation for the 2030 Agenda: putting the WSIS+20 outcome into practice",
        "dates_note": "Demonstration edition: dates, theme and phases are invented.",
        "is_current": True, "is_demo": True, "source": "Demonstration data",
    })
    _demo_translations(edition, ("venue", "theme", "dates_note"))
    for number, kind, name, start, end, accepts, fmt in PHASES:
        phase, _created = ConsultationPhase.objects.update_or_create(edition=edition, number=number, defaults={
            "kind": kind, "name": name, "starts_on": start, "ends_on": end, "accepts": list(accepts),
            "meeting_format": fmt})
        _demo_translations(phase, ("name",))
    for name, capacity, virtual in ROOMS:
        Room.objects.get_or_create(edition=edition, name=name, defaults={"capacity": capacity, "is_virtual": virtual})
    edition_milestone_sync(edition)
    return edition


def _speakers(rng, n: int) -> list[dict]:
    people = []
    for _i in range(n):
        gender = rng.choices([Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.NOT_STATED], [46, 46, 2, 6])[0]
        people.append({"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "gender": gender,
                       "region": rng.choice(REGIONS), "affiliation": ""})
    return people


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    counts = history_load()
    edition = _edition()
    if edition.submissions.exists():
        ctx.log(f"Forum: history ({counts}); the 2027 demo edition already has its submissions.")
        return
    rng = ctx.rng("forum")
    phases = {p.number: p for p in edition.phases.all()}
    lines = {al.code: al for al in ActionLine.objects.filter(is_leaf=True)}
    goals = {g.number: g for g in Goal.objects.all()}
    # The accounts demo's own organisations (not the extra ones stocktaking makes for large N), so the
    # forum's demo is the same whatever --initiatives is.
    demo_slugs = [slugify(f"{acronym}-{iso3}") for _name, acronym, _type, iso3 in DEMO_ORGANISATIONS]
    orgs = list(Organisation.objects.select_related("stakeholder_type", "country").filter(slug__in=demo_slugs)
                .order_by("slug"))
    if not orgs:
        ctx.log("Forum: history loaded; no demo organisations (run the accounts demo first), so no submissions.")
        return
    admins = {m.organisation_id: m.user for m in Membership.objects.filter(
        organisation__in=orgs, role=Membership.Role.ADMIN).select_related("user").order_by("created_at")}
    secretariat = role_holders(Role.SECRETARIAT)
    decider = secretariat[0] if secretariat else None
    matrix = {}
    for link in MatrixLink.objects.filter(version__is_current=True).values("action_line__code", "goal__number"):
        matrix.setdefault(link["action_line__code"], set()).add(link["goal__number"])
    now = timezone.now()

    plan = []  # (kind, phase number, topic index, state)
    for i in range(len(TOPICS)):
        plan.append((K.SESSION_PROPOSAL, 2, i, PROPOSAL_STATES[i % len(PROPOSAL_STATES)]))
    for i in range(12):
        plan.append((K.THEMATIC_INPUT, 1 if i < 8 else 2, (i * 7) % len(TOPICS),
                     Submission.State.ACCEPTED if i % 3 else Submission.State.SUBMITTED))
    for i in range(6):
        plan.append((K.SPEAKER_NOMINATION, 2, (i * 3) % len(TOPICS), Submission.State.SUBMITTED))
    for i in range(4):
        plan.append((K.HLTF_NOMINATION, 1, (i * 5) % len(TOPICS),
                     Submission.State.ACCEPTED if i < 2 else Submission.State.SUBMITTED))

    submissions, speakers, tags_al, tags_goal = [], [], [], []
    for n, (kind, phase_no, topic_i, state) in enumerate(plan):
        title, code, sdgs = TOPICS[topic_i]
        org = orgs[(n * 7 + rng.randrange(3)) % len(orgs)]
        if kind == K.THEMATIC_INPUT:
            title = f"Input: {title.lower()}"
        elif kind in (K.SPEAKER_NOMINATION, K.HLTF_NOMINATION):
            title = f"Nomination for {TOPICS[topic_i][0].lower()}"
        sub = Submission(
            edition=edition, phase=phases[phase_no], kind=kind, state=state, title=title,
            summary=(f"{org.name} proposes that the forum address {TOPICS[topic_i][0].lower()}, "
                     f"drawing on its work in {org.country.name_en}."),
            issue=TOPICS[topic_i][0] if kind == K.THEMATIC_INPUT else "",
            session_format=rng.choice(FORMATS) if kind == K.SESSION_PROPOSAL else "",
            organisers=f"{org.name}" if kind == K.SESSION_PROPOSAL else "",
            organisation=org, submitted_by=admins.get(org.pk),
            decided_by=decider if state != Submission.State.SUBMITTED else None,
            decided_at=now if state != Submission.State.SUBMITTED else None,
            decision_reason="Outside the scope of this year's forum." if state == Submission.State.DECLINED else "",
        )
        submissions.append((sub, code, sdgs))
    Submission.objects.bulk_create([s for s, _c, _g in submissions])
    proposals = [s for s, _c, _g in submissions if s.kind == K.SESSION_PROPOSAL]
    # Merged proposals point at the first proposal, which is accepted (saved above, so it has a key now).
    for merged in proposals[1:]:
        if merged.state == Submission.State.MERGED:
            merged.merged_into = proposals[0]
            merged.save(update_fields=["merged_into"])
    for sub, code, sdgs in submissions:
        al_codes = [code] + [c for c in rng.sample(sorted(lines), 1) if c != code and rng.random() < 0.3]
        for c in al_codes:
            tags_al.append(Submission.action_lines.through(submission_id=sub.pk, actionline_id=lines[c].pk))
        goal_numbers = sorted(set(sdgs) | ({rng.choice(sorted(matrix[code]))} if matrix.get(code) else set()))
        for g in goal_numbers:
            tags_goal.append(Submission.goals.through(submission_id=sub.pk, goal_id=goals[g].pk))
        if sub.kind == K.SESSION_PROPOSAL:
            people = _speakers(rng, rng.randint(2, 4))
        elif sub.kind in (K.SPEAKER_NOMINATION, K.HLTF_NOMINATION):
            people = _speakers(rng, 1)
        else:
            people = []
        seen = set()
        for order, p in enumerate(people):
            if p["name"] in seen:
                continue
            seen.add(p["name"])
            speakers.append(SubmissionSpeaker(submission=sub, order=order, name=p["name"], gender=p["gender"],
                                              region=p["region"], affiliation=sub.organisation.name))
    Submission.action_lines.through.objects.bulk_create(tags_al)
    Submission.goals.through.objects.bulk_create(tags_goal)
    SubmissionSpeaker.objects.bulk_create(speakers)

    escap = RegionalCommission.objects.filter(code="ESCAP").first()
    if escap is not None:
        Submission.objects.create(
            edition=edition, phase=phases[2], kind=K.REGIONAL_INPUT, commission=escap,
            title="Asia-Pacific regional review of WSIS action line implementation",
            summary="The regional review's findings on connectivity, digital skills and e-government in Asia and "
                    "the Pacific.", document_url="https://example.org/demo/escap-regional-review.pdf")

    _agenda(ctx, edition, [s for s in proposals if s.state == Submission.State.ACCEPTED], lines, goals)
    ctx.log(f"Forum: history ({counts}); WSIS Forum 2027 (demo) with {len(submissions) + 1} submissions and "
            f"{edition.sessions.count()} sessions.")


def _agenda(ctx, edition, accepted, lines, goals) -> None:
    """Sessions from the accepted proposals and the secretariat's own, laid out on a conflict-free grid."""
    rng = ctx.rng("forum-agenda")
    tz = ZoneInfo(edition.timezone)
    organised = [
        ("Opening ceremony and high-level policy statements", SessionType.HIGH_LEVEL_POLICY, ["C1"], [17]),
        ("Ministerial round table: financing digital development", SessionType.MINISTERIAL, ["C1", "C6"], [9, 17]),
        ("Action line C2 facilitation meeting: information and communication infrastructure",
         SessionType.AL_FACILITATION, ["C2"], [9]),
        ("Action line C5 facilitation meeting: building confidence and security in the use of ICTs",
         SessionType.AL_FACILITATION, ["C5"], [16]),
        ("Action line C7 e-health facilitation meeting", SessionType.AL_FACILITATION, ["C7.4"], [3]),
        ("UN regional commissions meeting", SessionType.REGIONAL_COMMISSIONS, ["C1", "C11"], [17]),
        ("WSIS Prizes 2027 ceremony", SessionType.PRIZE_CEREMONY, [], []),
    ]
    sessions = []
    for title, type_, als, sdgs in organised:
        s = Session(edition=edition, title=title, type=type_,
                    track=Session.Track.HIGH_LEVEL if type_ in (SessionType.HIGH_LEVEL_POLICY, SessionType.MINISTERIAL,
                                                                SessionType.PRIZE_CEREMONY) else Session.Track.FORUM,
                    organisers="ITU, UNESCO, UNDP and UNCTAD")
        sessions.append((s, als, sdgs, _speakers(rng, 3)))
    for sub in accepted:
        s = Session(edition=edition, title=sub.title, type=sub.session_format or SessionType.THEMATIC_WORKSHOP,
                    track=Session.Track.HIGH_LEVEL if sub.session_format == SessionType.HIGH_LEVEL_POLICY
                    else Session.Track.FORUM, description=sub.summary, organisers=sub.organisers,
                    organisation=sub.organisation, submission=sub)
        people = [{"name": p.name, "gender": p.gender, "region": p.region, "affiliation": p.affiliation}
                  for p in sub.speakers.all()]
        sessions.append((s, [al.code for al in sub.action_lines.all()], [g.number for g in sub.goals.all()], people))
    rooms = list(edition.rooms.filter(is_virtual=False).order_by("name"))
    grid = [(day, slot, room) for day in range(5) for slot in SLOTS for room in rooms]
    busy: dict[tuple, set] = {}
    for index, (s, als, sdgs, people) in enumerate(sessions):
        day, (h1, m1, h2, m2), room = grid[index]
        date = edition.start_date + dt.timedelta(days=day)
        s.room = room
        s.starts_at = dt.datetime.combine(date, dt.time(h1, m1), tzinfo=tz)
        s.ends_at = dt.datetime.combine(date, dt.time(h2, m2), tzinfo=tz)
        s.save()
        s.action_lines.set([lines[c] for c in als if c in lines])
        s.goals.set([goals[g] for g in sdgs if g in goals])
        taken = busy.setdefault((day, h1), set())
        rows = []
        for order, p in enumerate(people):
            key = SessionSpeaker.make_key(p["name"])
            if key in taken or any(r.key == key for r in rows):
                continue  # the same person cannot speak in two rooms at once
            taken.add(key)
            rows.append(SessionSpeaker(session=s, name=p["name"], key=key, gender=p["gender"], region=p["region"],
                                       affiliation=p.get("affiliation", ""), order=order))
        SessionSpeaker.objects.bulk_create(rows)
