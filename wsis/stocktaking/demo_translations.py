"""Translations of a few demo initiatives' titles and summaries (issue 21), so that the pages show them.

Demo titles are "<adjective> <what> for <whom> #<n>" and summaries follow one pattern
(``demo._make``); the entries below translate some of those the default seed publishes first (they
head the home page's "Latest initiatives"). Any demo initiative whose title matches gets them, so the
seeder stays deterministic and idempotent for every seed and size.
"""

from __future__ import annotations

import re

from django.db import transaction

from .models import Initiative, InitiativeActionLine, InitiativeTranslation
from .services import initiative_derived_refresh

__all__ = ["DEMO_TRANSLATIONS", "seed_translations"]

# "(regional coverage)" / "(global coverage)" in each language, as the English summary has them.
COVERAGE = {
    "fr": {"regional": " (portée régionale)", "global": " (portée mondiale)"},
    "es": {"regional": " (cobertura regional)", "global": " (cobertura mundial)"},
    "ru": {"regional": " (региональный охват)", "global": " (глобальный охват)"},
    "ar": {"regional": " (تغطية إقليمية)", "global": " (تغطية عالمية)"},
    "zh-hans": {"regional": "（区域覆盖）", "global": "（全球覆盖）"},
}

# Title without its "#n" → {language: (title, summary with {cov}, {year} and {al})}.
DEMO_TRANSLATIONS = {
    "Inclusive national CERT capacity for critical infrastructure operators": {
        "fr": ("Capacités nationales inclusives de CERT pour les opérateurs d'infrastructures critiques",
               "Des capacités nationales de CERT au service des opérateurs d'infrastructures critiques{cov}, "
               "lancées en {year}, qui contribuent à la grande orientation {al} du SMSI."),
        "es": ("Capacidad nacional inclusiva de CERT para operadores de infraestructuras críticas",
               "Una capacidad nacional de CERT al servicio de los operadores de infraestructuras críticas{cov}, "
               "iniciada en {year}, que contribuye a la línea de acción {al} de la CMSI."),
        "ar": ("قدرات وطنية شاملة لفريق الاستجابة لطوارئ الحاسوب لصالح مشغّلي البنى التحتية الحيوية",
               "قدرات وطنية لفريق الاستجابة لطوارئ الحاسوب تخدم مشغّلي البنى التحتية الحيوية{cov}، بدأت في عام "
               "{year}، وتسهم في خط العمل {al} للقمة العالمية لمجتمع المعلومات."),
    },
    "Resilient digital skills academy for young people": {
        "fr": ("Académie résiliente des compétences numériques pour les jeunes",
               "Une académie des compétences numériques au service des jeunes{cov}, lancée en {year}, qui "
               "contribue à la grande orientation {al} du SMSI."),
        "ar": ("أكاديمية مرنة للمهارات الرقمية للشباب",
               "أكاديمية للمهارات الرقمية تخدم الشباب{cov}، بدأت في عام {year}، وتسهم في خط العمل {al} للقمة "
               "العالمية لمجتمع المعلومات."),
        "zh-hans": ("面向青年的韧性数字技能学院",
                    "一所为青年服务的数字技能学院{cov}，始于{year}年，助力信息社会世界峰会行动方针{al}。"),
        "ru": ("Устойчивая академия цифровых навыков для молодёжи",
               "Академия цифровых навыков для молодёжи{cov}, начатая в {year} году и вносящая вклад в "
               "направление деятельности ВВУИО {al}."),
    },
    "Community electronic health records for hospitals": {
        "es": ("Historias clínicas electrónicas comunitarias para hospitales",
               "Un sistema de historias clínicas electrónicas al servicio de los hospitales{cov}, iniciado en "
               "{year}, que contribuye a la línea de acción {al} de la CMSI."),
        "fr": ("Dossiers médicaux électroniques communautaires pour les hôpitaux",
               "Des dossiers médicaux électroniques au service des hôpitaux{cov}, lancés en {year}, qui "
               "contribuent à la grande orientation {al} du SMSI."),
        "ar": ("سجلات صحية إلكترونية مجتمعية للمستشفيات",
               "سجلات صحية إلكترونية تخدم المستشفيات{cov}، بدأت في عام {year}، وتسهم في خط العمل {al} للقمة "
               "العالمية لمجتمع المعلومات."),
    },
    "Open data protection law for consumers": {
        "fr": ("Loi ouverte sur la protection des données pour les consommateurs",
               "Une loi sur la protection des données au service des consommateurs{cov}, lancée en {year}, qui "
               "contribue à la grande orientation {al} du SMSI."),
        "es": ("Ley abierta de protección de datos para los consumidores",
               "Una ley de protección de datos al servicio de los consumidores{cov}, iniciada en {year}, que "
               "contribuye a la línea de acción {al} de la CMSI."),
        "ru": ("Открытый закон о защите данных для потребителей",
               "Закон о защите данных в интересах потребителей{cov}, принятый в {year} году и вносящий вклад в "
               "направление деятельности ВВУИО {al}."),
    },
}
_NUMBER = re.compile(r"\s*(#\d+)$")


def seed_translations(ids: list[int] | None = None) -> int:
    """Add the translations above to the demo initiatives (of ``ids``, or all) that lack them; returns how many."""
    qs = Initiative.objects.filter(website__startswith="https://initiative-", website__endswith=".example.org")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    wanted = [i for i in qs.only("pk", "title", "year", "coverage", "language")
              if _NUMBER.sub("", i.title) in DEMO_TRANSLATIONS]
    if not wanted:
        return 0
    have = set(InitiativeTranslation.objects.filter(initiative__in=wanted).values_list("initiative_id", "language"))
    primary = dict(InitiativeActionLine.objects.filter(initiative__in=wanted, is_primary=True)
                   .values_list("initiative_id", "action_line__code"))
    rows = []
    for initiative in wanted:
        match = _NUMBER.search(initiative.title)
        number = f" {match.group(1)}" if match else ""
        for language, (title, summary) in DEMO_TRANSLATIONS[_NUMBER.sub("", initiative.title)].items():
            if (initiative.pk, language) in have or language == initiative.language:
                continue
            rows.append(InitiativeTranslation(
                initiative=initiative, language=language, title=f"{title}{number}",
                summary=summary.format(cov=COVERAGE[language].get(initiative.coverage, ""),
                                       year=initiative.year or "", al=primary.get(initiative.pk, ""))))
    with transaction.atomic():
        InitiativeTranslation.objects.bulk_create(rows)
        initiative_derived_refresh(ids=sorted({r.initiative_id for r in rows}))
    return len(rows)
