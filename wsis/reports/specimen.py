"""A specimen document in any of the six languages, of any length: the engine's tests, the benchmark
(``bench/documents.py``) and a visual check of the layout (``manage.py render_specimen``) use it.

Its texts are the engine's own translated strings plus fixed sample sentences per language, so that
Arabic and Chinese pages carry real Arabic and Chinese text (right-to-left shaping, CJK fonts).
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from wsis.core import charts

from .document import Bullets, Document, Figure, FrontMatter, Markdown, Paragraph, Quote, Section, Table

__all__ = ["specimen"]

SAMPLE = {
    "en": ("Regional review of WSIS implementation", "Digital transformation for sustainable development",
           "Member states reported progress in broadband access and digital skills, with gaps remaining in "
           "least developed countries."),
    "fr": ("Examen régional de la mise en œuvre du SMSI", "La transformation numérique au service du développement durable",
           "Les États membres ont signalé des progrès dans l’accès au haut débit et les compétences numériques."),
    "es": ("Examen regional de la aplicación de la CMSI", "Transformación digital para el desarrollo sostenible",
           "Los Estados miembros informaron de avances en el acceso a la banda ancha y las competencias digitales."),
    "ru": ("Региональный обзор выполнения решений ВВУИО", "Цифровая трансформация в интересах устойчивого развития",
           "Государства-члены сообщили о прогрессе в области широкополосного доступа и цифровых навыков."),
    "ar": ("الاستعراض الإقليمي لتنفيذ نتائج القمة العالمية لمجتمع المعلومات", "التحول الرقمي من أجل التنمية المستدامة",
           "أفادت الدول الأعضاء بإحراز تقدم في الوصول إلى النطاق العريض والمهارات الرقمية، مع استمرار الفجوات في أقل البلدان نموا."),
    "zh-hans": ("信息社会世界峰会成果落实情况区域审查", "数字化转型促进可持续发展",
                "成员国报告了在宽带接入和数字技能方面取得的进展，最不发达国家仍存在差距。"),
}


def specimen(language: str = "en", *, chapters: int = 4, draft: bool = True, symbol: str = "ESCAP/CICTSTI/2026/INF/1",
             emblem: str = "") -> Document:
    """A document with a foreword, ``chapters`` chapters (each: narrative, footnoted paragraph, a chart,
    a table, a sub-section with quotes) and two annexes. About 2.3 A4 pages per chapter."""
    title, subtitle, sentence = SAMPLE.get(language, SAMPLE["en"])
    with translation.override(language):
        rtl = language == "ar"
        labels = [f"C{i}" for i in range(1, 12)]
        sections = [Section(_("Foreword"), numbered=False, key="foreword", blocks=[
            Markdown(f"**{sentence}**\n\n{sentence} {sentence}\n\n- {sentence}\n- {sentence}")])]
        for n in range(1, chapters + 1):
            values = [(n * 7 + i * 13) % 40 + 3 for i in range(11)]
            chart = charts.bar_chart(id=f"chart-{n}", title=f"{_('Initiatives')} · C{n}", labels=labels, values=values,
                                     value_header=_("Initiatives"), label_header=_("Action line"), rtl=rtl,
                                     source=_("WSIS Stocktaking registry"))
            rows = [[f"C{i}", values[i - 1], round(values[i - 1] / 3, 1), 2015 + i] for i in range(1, 12)]
            sections.append(Section(f"{_('Action line')} C{n}", key=f"c{n}", blocks=[
                Markdown(f"{sentence}\n\n*{sentence}*\n\n{sentence} {sentence}", draft_aid=(n == 1)),
                Paragraph(f"{sentence} {sentence}", notes=[f"{_('WSIS Stocktaking registry')}, {2026 - n}."]),
                Figure(chart),
                Table(columns=[_("Action line"), _("Initiatives"), _("Median"), _("Latest year")], rows=rows,
                      caption=f"{_('Initiatives')} · C{n}", source=_("WSIS Stocktaking registry")),
                Paragraph(" ".join([sentence] * 6)),
            ], subsections=[Section(_("Summary of responses"), blocks=[
                Quote(sentence, "Viet Nam"), Quote(sentence, "Samoa"), Paragraph(" ".join([sentence] * 8)),
                Bullets([sentence, sentence, sentence]),
            ])]))
        annexes = [
            Section(_("Methodology and sources"), key="methodology", blocks=[Bullets([sentence] * 6)]),
            Section(_("Full responses"), key="responses", blocks=[Quote(f"{sentence} {sentence}", f"C{i}")
                                                                    for i in range(1, 9)]),
        ]
        front = FrontMatter(title=title, subtitle=subtitle, language=language,
                            issuing_body=_("Economic and Social Commission for Asia and the Pacific"), emblem=emblem,
                            symbol=symbol, date=datetime.date(2026, 5, 4), original_language="en", draft=draft,
                            running_title=title)
        return Document(front=front, sections=sections, annexes=annexes)
