"""Reference taxonomy: WSIS action lines, SDGs, the WSIS–SDG Matrix, countries and groups.

All of it is data loaded by ``manage.py load_reference`` from files in ``wsis/taxonomy/data``
(see ``data/ATTRIBUTION.md``). Names are stored once per UN language (``wsis.core.i18n``).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import LANGUAGE_SUFFIXES, lang_suffix, translated_fields
from wsis.core.models import BaseModel

__all__ = [
    "Agency",
    "StakeholderType",
    "ActionLine",
    "ActionLineFacilitator",
    "Goal",
    "Target",
    "Indicator",
    "MatrixVersion",
    "MatrixLink",
    "Region",
    "RegionalCommission",
    "Country",
    "CommissionMembership",
    "CountryGroup",
    "HLPFSession",
    "WSISTarget",
    "Provenance",
]

Name = translated_fields("name", verbose_name=_("name"))
ShortName = translated_fields("short_name", verbose_name=_("short name"), max_length=120, required=False)
Title = translated_fields("title", verbose_name=_("title"), text=True)
Theme = translated_fields("theme", verbose_name=_("theme"), text=True)
Text = translated_fields("text", verbose_name=_("text"), text=True)


class Agency(Name, BaseModel):
    """A UN agency or other body that facilitates WSIS action lines (ITU, UNESCO, UNDP…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class StakeholderType(Name, BaseModel):
    """One of the six WSIS stakeholder groups (government, private sector, civil society…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("stakeholder type")
        verbose_name_plural = _("stakeholder types")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ActionLine(Name, ShortName, BaseModel):
    """A WSIS action line of the Geneva Plan of Action (C1–C11) or one of C7's eight sub-lines.

    The 18 leaves (C1–C6, C7.1–C7.8, C8–C11) are the units initiatives, matrix links and prize
    categories attach to; C7 itself is a parent that groups its sub-lines.
    """

    code = models.CharField(_("code"), max_length=8, unique=True)
    slug = models.SlugField(_("slug"), max_length=10, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_leaf = models.BooleanField(_("reporting unit"), default=True, help_text=_("One of the 18 units."))
    plan_of_action = models.TextField(
        _("Plan of Action text"), blank=True,
        help_text=_("Text of the Geneva Plan of Action for this line, as plain text: paragraphs separated by a "
                    "blank line, items starting “a)”, sub-items indented and starting “i)”."),
    )
    facilitators = models.ManyToManyField(
        Agency, through="ActionLineFacilitator", related_name="action_lines", verbose_name=_("facilitators")
    )

    class Meta:
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.short_name or self.name}"

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:action-line", args=[self.slug])

    @property
    def label(self) -> str:
        """Code and short name, as shown in grids and facets."""
        return f"{self.code} {self.short_name or self.name}"


class ActionLineFacilitator(models.Model):
    """An agency's role on an action line: lead facilitator or co-facilitator."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead facilitator")
        CO = "co", _("Co-facilitator")

    action_line = models.ForeignKey(ActionLine, on_delete=models.CASCADE, related_name="facilitator_roles")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="facilitator_roles")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)

    class Meta:
        verbose_name = _("action line facilitator")
        verbose_name_plural = _("action line facilitators")
        ordering = ["action_line__order", "role", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["action_line", "agency"], name="taxonomy_facilitator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.action_line.code} ({self.get_role_display()})"


class Goal(Title, ShortName, BaseModel):
    """A Sustainable Development Goal (1–17)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    colour = models.CharField(_("colour"), max_length=7, help_text=_("The goal's official colour, as #RRGGBB."))

    class Meta:
        verbose_name = _("SDG")
        verbose_name_plural = _("SDGs")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}"

    @property
    def code(self) -> str:
        return str(self.number)

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:goal", args=[self.number])


class Target(Title, BaseModel):
    """An SDG target, coded as the UN writes it (``4.4``, ``17.b``)."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=8, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal__number", "order"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:target", args=[self.code])


class Indicator(Title, BaseModel):
    """An SDG indicator of the global framework (``17.8.1``)."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=12, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")
        ordering = ["target__goal__number", "target__order", "order"]

    def __str__(self) -> str:
        return self.code


class MatrixVersion(BaseModel):
    """A version of the WSIS–SDG Matrix. Facilitators' edits create new versions; old ones stay readable."""

    code = models.CharField(_("version"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("matrix version")
        verbose_name_plural = _("matrix versions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="taxonomy_one_current_matrix"),
        ]

    def __str__(self) -> str:
        return self.code


class MatrixLink(BaseModel):
    """A link of the WSIS–SDG Matrix: an action line enables an SDG, or one of its targets, for a reason."""

    version = models.ForeignKey(MatrixVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="links")
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.CASCADE, related_name="matrix_links"
    )
    goal = models.ForeignKey(Goal, verbose_name=_("SDG"), on_delete=models.CASCADE, related_name="matrix_links")
    target = models.ForeignKey(
        Target, verbose_name=_("SDG target"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="matrix_links", help_text=_("Empty for a link to the goal as a whole."),
    )
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("In English, as the Matrix states it."))
    # The rationale in the other UN languages (matrix/actions-<version>.i18n.yaml; blank: English is shown).
    rationale_ar = models.TextField(_("rationale (ar)"), blank=True, default="")
    rationale_es = models.TextField(_("rationale (es)"), blank=True, default="")
    rationale_fr = models.TextField(_("rationale (fr)"), blank=True, default="")
    rationale_ru = models.TextField(_("rationale (ru)"), blank=True, default="")
    rationale_zh_hans = models.TextField(_("rationale (zh-hans)"), blank=True, default="")

    class Meta:
        verbose_name = _("matrix link")
        verbose_name_plural = _("matrix links")
        ordering = ["action_line__order", "goal__number", "target__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "action_line", "target"], condition=Q(target__isnull=False),
                name="taxonomy_matrix_target_link_unique",
            ),
            models.UniqueConstraint(
                fields=["version", "action_line", "goal"], condition=Q(target__isnull=True),
                name="taxonomy_matrix_goal_link_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_line.code} → {self.target or self.goal}"

    TRANSLATION_COLUMNS = ("rationale_ar", "rationale_es", "rationale_fr", "rationale_ru", "rationale_zh_hans")

    @property
    def rationale_en(self) -> str:
        """The English rationale under the name the translated-text tags look for (``facts.fallback_mark``)."""
        return self.rationale

    @property
    def rationale_shown(self) -> str:
        """The rationale in the active language, or the English one where it has no translation."""
        suffix = lang_suffix()
        return (getattr(self, f"rationale_{suffix}", "") if suffix != "en" else "") or self.rationale


class Region(Name, BaseModel):
    """A UN M49 geographic region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUB_REGION = "sub_region", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    m49 = models.CharField(_("M49 code"), max_length=3, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["m49"]

    def __str__(self) -> str:
        return self.name


class RegionalCommission(Name, BaseModel):
    """One of the five UN regional commissions (ECA, ECE, ECLAC, ESCAP, ESCWA).

    Membership is as each commission publishes it, which is not geography: France is a member
    of ECE, ECLAC and ESCAP.
    """

    code = models.CharField(_("code"), max_length=8, unique=True)
    website = models.URLField(_("website"), blank=True)
    source = models.URLField(_("membership source"), max_length=500, blank=True)
    as_of = models.DateField(_("membership as of"), null=True, blank=True)

    class Meta:
        verbose_name = _("regional commission")
        verbose_name_plural = _("regional commissions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:commission", args=[self.code.lower()])


class Country(Name, BaseModel):
    """A country or area of the UN M49 standard, with its region, commissions and LDC/LLDC/SIDS status.

    The flags ``ldc``, ``lldc`` and ``sids`` mirror membership of the country groups of the same
    codes (each with the date of its list) so that filters stay a simple indexed lookup.
    """

    m49 = models.CharField(_("M49 code"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, blank=True, db_index=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sub_region = models.ForeignKey(
        Region, verbose_name=_("sub-region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediate_region = models.ForeignKey(
        Region, verbose_name=_("intermediate region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_un_member = models.BooleanField(_("UN member state"), default=False, db_index=True)
    ldc = models.BooleanField(_("least developed country"), default=False, db_index=True)
    lldc = models.BooleanField(_("landlocked developing country"), default=False, db_index=True)
    sids = models.BooleanField(_("small island developing state"), default=False, db_index=True)
    commissions = models.ManyToManyField(
        RegionalCommission, through="CommissionMembership", related_name="countries",
        verbose_name=_("regional commissions"),
    )

    class Meta:
        verbose_name = _("country or area")
        verbose_name_plural = _("countries and areas")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:country", args=[self.iso3])


class CommissionMembership(models.Model):
    """A country's membership of a regional commission: full member or associate member."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        ASSOCIATE = "associate", _("Associate member")

    commission = models.ForeignKey(RegionalCommission, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="commission_memberships")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)

    class Meta:
        verbose_name = _("commission membership")
        verbose_name_plural = _("commission memberships")
        ordering = ["commission__code", "country__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "country"], name="taxonomy_commission_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} in {self.commission.code} ({self.kind})"


class CountryGroup(Name, BaseModel):
    """A named list of countries with its source and date (LDC, LLDC, SIDS…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    as_of = models.DateField(_("list date"), null=True, blank=True)
    members = models.ManyToManyField(Country, related_name="groups", verbose_name=_("members"), blank=True)

    class Meta:
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class HLPFSession(Theme, BaseModel):
    """A session of the High-level Political Forum: its theme and the SDGs under in-depth review."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    dates = models.CharField(_("dates"), max_length=120, blank=True)
    goals = models.ManyToManyField(Goal, related_name="hlpf_sessions", verbose_name=_("SDGs under in-depth review"),
                                   blank=True)

    class Meta:
        verbose_name = _("HLPF session")
        verbose_name_plural = _("HLPF sessions")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"HLPF {self.year}"


class WSISTarget(Text, BaseModel):
    """One of the ten WSIS targets of the Geneva Plan of Action (para. 6), to be met by 2015."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        verbose_name = _("WSIS target")
        verbose_name_plural = _("WSIS targets")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"WSIS target {self.number}"


class Provenance(BaseModel):
    """Where one shipped fact comes from, when it was checked, and whether the text is official.

    A fact is one field of one record (``field``), in one language (``language``) when the field is a
    text, or ``""`` when it is not (a date, a list of members, a Matrix version's links). Reference
    loaders write these rows from the data files; the admin may update them (a later check with a
    newer ``checked_on`` survives a reload of an older file). Pages show a mark wherever the status
    is not "official text"; the API returns the status with every fact.
    """

    class Status(models.TextChoices):
        OFFICIAL = "official", _("Official text")
        PARAPHRASE = "paraphrase", _("Paraphrase")
        UNOFFICIAL_TRANSLATION = "unofficial_translation", _("Unofficial translation")
        UNVERIFIED = "unverified", _("Unverified")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("record id"))
    fact = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=40)
    language = models.CharField(_("language"), max_length=8, blank=True,
                                help_text=_("Empty when the fact is not a text in one language."))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    source = models.CharField(_("source"), max_length=500, help_text=_("A URL or a UN document symbol."))
    checked_on = models.DateField(_("checked on"), help_text=_("The day the fact was last checked against its source."))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance")
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "field", "language"],
                                    name="taxonomy_provenance_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="taxonomy_prov_record")]

    def __str__(self) -> str:
        lang = f" [{self.language}]" if self.language else ""
        return f"{self.content_type.model} {self.object_id} {self.field}{lang}: {self.get_status_display()}"

    @property
    def is_official(self) -> bool:
        return self.status == self.Status.OFFICIAL

    def clean(self):
        if self.language and self.language not in LANGUAGE_SUFFIXES:
            raise ValidationError({"language": _("Not one of the six UN languages of the platform.")})
        if not (self.source or "").strip():
            raise ValidationError({"source": _("Give the source: a URL or a UN document symbol.")})
        if self.status == self.Status.UNOFFICIAL_TRANSLATION and self.language in ("", "en"):
            raise ValidationError({"status": _("Only a text in a language other than English can be a translation.")})
