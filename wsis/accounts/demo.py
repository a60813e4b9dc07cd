"""Demo organisations and one user for every role of DESIGN.md §4 (logins in the README)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wsis.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext
from wsis.core.permissions import Role, RoleGrant
from wsis.taxonomy.models import ActionLine, Country, RegionalCommission, StakeholderType

from .models import Membership, Organisation, OrganisationInvitation, User
from .services import INVITATION_VALID_DAYS, hash_secret

# (name, acronym, stakeholder type, ISO3) — invented organisations, realistic in kind and spread.
ORGANISATIONS = [
    ("Ministry of ICT and Innovation", "MINICT", "government", "RWA"),
    ("Digital Transformation Agency", "DTA", "government", "KEN"),
    ("National Telecommunications Regulatory Authority", "NTRA-D", "government", "EGY"),
    ("Ministry of Digital Economy and Society", "MDES", "government", "THA"),
    ("Secretaría de Gobierno Digital", "SEGOB-D", "government", "PER"),
    ("Ministère de l'Économie numérique", "MEN", "government", "SEN"),
    ("Department of Information Technology", "DIT", "government", "BTN"),
    ("Pacific Islands Connectivity Office", "PICO", "government", "FJI"),
    ("Ministry of Communications", "MOC", "government", "NPL"),
    ("Agencia de Gobierno Electrónico", "AGESIC-D", "government", "URY"),
    ("Federal Ministry for Digital Affairs", "FMDA", "government", "DEU"),
    ("Ministry of Transport and Communications", "MTC", "government", "KAZ"),
    ("Andes Rural Connect", "ARC", "private_sector", "BOL"),
    ("Sahel Mobile Money", "SMM", "private_sector", "MLI"),
    ("Mekong Cloud Services", "MCS", "private_sector", "VNM"),
    ("Nordic Open Networks", "NON", "private_sector", "NOR"),
    ("Gulf Digital Health", "GDH", "private_sector", "ARE"),
    ("Kalahari Solar Telecom", "KST", "private_sector", "BWA"),
    ("Women in Tech Africa Network", "WITAN", "civil_society", "GHA"),
    ("Digital Rights Collective", "DRC-N", "civil_society", "BRA"),
    ("Community Radio Federation", "CRF", "civil_society", "BGD"),
    ("Open Knowledge Pacific", "OKP", "civil_society", "WSM"),
    ("Accessible Web Initiative", "AWI", "civil_society", "IND"),
    ("Rural Libraries Alliance", "RLA", "civil_society", "MWI"),
    ("Arab Digital Inclusion Forum", "ADIF", "civil_society", "JOR"),
    ("Regional Telecommunications Union", "RTU", "international_organisation", "CHE"),
    ("Caribbean Connectivity Partnership", "CCP", "international_organisation", "JAM"),
    ("Asia-Pacific Broadband Alliance", "APBA", "international_organisation", "THA"),
    ("University of the Highlands, e-Health Lab", "UHEL", "academia", "ETH"),
    ("Institute for Digital Development Studies", "IDDS", "academia", "ZAF"),
    ("Universidad Tecnológica del Sur", "UTS", "academia", "CHL"),
    ("Central Asian Research Network", "CARN", "academia", "UZB"),
    ("National Research and Education Network", "NREN-S", "technical_community", "SEN"),
    ("Internet Exchange Point Association", "IXPA", "technical_community", "KEN"),
    ("Open Standards Foundation", "OSF", "technical_community", "NLD"),
    ("Top-Level Domain Registry Cooperative", "TLDRC", "technical_community", "MUS"),
]

# (e-mail local part, full name, role, scope kind, scope code)
ROLE_USERS = [
    ("secretariat", "Sofia Secretariat", Role.SECRETARIAT, None, None),
    ("moderator", "Malik Moderator", Role.MODERATOR, None, None),
    ("reviewer.escap", "Ratana Reviewer (ESCAP)", Role.REGIONAL_REVIEWER, "commission", "ESCAP"),
    ("reviewer.eca", "Amara Reviewer (ECA)", Role.REGIONAL_REVIEWER, "commission", "ECA"),
    ("focal.tha", "Niran Focal Point (Thailand)", Role.FOCAL_POINT, "country", "THA"),
    ("focal.npl", "Sita Focal Point (Nepal)", Role.FOCAL_POINT, "country", "NPL"),
    ("focal.ken", "Wanjiru Focal Point (Kenya)", Role.FOCAL_POINT, "country", "KEN"),
    ("facilitator.c5", "Felix Facilitator (C5)", Role.FACILITATOR, "action_line", "C5"),
    ("facilitator.c7-4", "Hana Facilitator (e-health)", Role.FACILITATOR, "action_line", "C7.4"),
    ("cofacilitator.c5", "Carlos Co-facilitator (C5)", Role.CO_FACILITATOR, "action_line", "C5"),
    ("expert", "Elena Prize Expert", Role.PRIZE_EXPERT, None, None),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # Hash once: PBKDF2 is deliberately slow, and every demo account shares the documented password.
    return make_password(DEMO_PASSWORD)


def _user(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, password=_demo_password_hash(), full_name=full_name,
                                   email_verified=True, **extra)
    return user


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    types = {t.code: t for t in StakeholderType.objects.all()}
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in={o[3] for o in ORGANISATIONS})}
    organisations = []
    for name, acronym, type_code, iso3 in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            slug=slugify(f"{acronym}-{iso3}"),
            defaults={"name": name, "acronym": acronym, "stakeholder_type": types[type_code],
                      "country": countries[iso3], "website": f"https://{slugify(acronym)}.example.org",
                      "description": f"{name} ({countries[iso3].name_en})."},
        )
        organisations.append(org)
    # Every organisation gets an administrator who can submit; the first also gets an editor.
    for org in organisations:
        admin = _user(demo_email(f"admin.{org.slug}"), f"{org.acronym} Administrator")
        Membership.objects.get_or_create(user=admin, organisation=org, defaults={"role": Membership.Role.ADMIN})
    submitter = _user(demo_email("submitter"), "Samira Submitter")
    Membership.objects.get_or_create(user=submitter, organisation=organisations[0],
                                     defaults={"role": Membership.Role.ADMIN})
    editor = _user(demo_email("editor"), "Eduardo Editor")
    Membership.objects.get_or_create(user=editor, organisation=organisations[0],
                                     defaults={"role": Membership.Role.EDITOR})

    scope_models = {"commission": (RegionalCommission, "code"), "country": (Country, "iso3"),
                    "action_line": (ActionLine, "code")}
    for local, full_name, role, scope_kind, scope_code in ROLE_USERS:
        user = _user(demo_email(local), full_name)
        scope_type = scope_id = None
        if scope_kind:
            model, field = scope_models[scope_kind]
            scope = model.objects.get(**{field: scope_code})
            scope_type, scope_id = ContentType.objects.get_for_model(model), scope.pk
        RoleGrant.objects.get_or_create(user=user, role=role, scope_type=scope_type, scope_id=scope_id)
    _user(demo_email("admin"), "Site Administrator", is_staff=True, is_superuser=True)
    # A pending invitation, so the members page of the first organisation shows one. Its link is
    # unknown (only the hash is stored): demo visitors see it, nobody can accept it.
    OrganisationInvitation.objects.get_or_create(
        organisation=organisations[0], email=demo_email("invited.colleague"),
        defaults={"role": Membership.Role.EDITOR, "invited_by": submitter,
                  "token_hash": hash_secret(f"demo-invitation-{ctx.seed}-{organisations[0].slug}"),
                  "expires_at": timezone.now() + timedelta(days=INVITATION_VALID_DAYS)},
    )
    ctx.shared["organisations"] = organisations
    ctx.log(f"Accounts: {len(organisations)} organisations and {len(ROLE_USERS) + 3} role users "
            f"(password {DEMO_PASSWORD!r}).")
