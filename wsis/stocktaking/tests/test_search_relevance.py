"""Relevance: what people type → the initiatives that must come back in the first ten (and some that must not).

The table runs on whichever database the suite runs on (CI runs it on SQLite and on PostgreSQL). The
corpus is a small registry in six languages with distractors: initiatives that share words with a
query but not its meaning.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from wsis.accounts.tests.factories import OrganisationFactory
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.search import initiative_search, query_plan, search_hints
from wsis.stocktaking.tests.factories import make_initiative
from wsis.taxonomy.models import ActionLine, Country, Goal

# key: (title, summary, language, country, action line, SDG, organisation)
CORPUS = {
    "np-tele": ("Telemedicine for remote mountain clinics", "Video consultations link rural health posts with "
                "district hospitals.", "en", "NPL", "C7.4", 3, "Himalayan Health Network"),
    "np-labs": ("Solar-powered computer labs", "Computer labs for village schools, powered by the sun.", "en",
                "NPL", "C2", 7, "Nepal Wireless Networking Project"),
    "ke-money": ("Mobile money for smallholder farmers", "Payments and savings by phone for farmers.", "en", "KEN",
                 "C7.2", 1, "Agricultural Finance Trust"),
    "ke-school": ("Digital classrooms in Kisumu", "Tablets and teacher training for primary schools.", "en", "KEN",
                  "C7.3", 4, "Lakeside Schools Foundation"),
    "ke-records": ("eHealth records for county hospitals", "Shared patient records across county hospitals.", "en",
                   "KEN", "C7.4", 3, "County Hospitals Alliance"),
    "vn-portal": ("Online public services portal", "A one-stop portal for citizen services in the provinces.", "en",
                  "VNM", "C7.1", 16, "Provincial Services Office"),
    "tr-hospital": ("Hospital records interoperability", "Hospitals exchange patient records securely.", "en", "TUR",
                    "C7.4", 3, "Anatolian Digital Hospitals"),
    "ci-sante": ("Cybersanté dans les centres de santé ruraux", "Dossiers médicaux électroniques pour les centres "
                 "de santé.", "fr", "CIV", "C7.4", 3, "Agence ivoirienne de santé numérique"),
    "ci-agri": ("Information agricole par SMS", "Prix du marché et météo envoyés aux planteurs.", "fr", "CIV", "C7.7",
                2, "Coopérative des planteurs"),
    "la-radio": ("Radio lessons for remote villages", "Daily lessons broadcast to village schools.", "en", "LAO",
                 "C7.3", 4, "Mekong Education Radio"),
    "bo-salud": ("Telesalud para comunidades indígenas", "Consultas médicas a distancia en el altiplano.", "es",
                 "BOL", "C7.4", 3, "Red Andina de Salud"),
    "ru-gov": ("Электронное правительство для малых городов", "Портал государственных услуг для жителей.", "ru",
               "RUS", "C7.1", 16, "Центр цифровых услуг"),
    "ir-science": ("Open science data repository", "Researchers share data sets openly.", "en", "IRN", "C7.8", 9,
                   "Tehran Research Data Centre"),
    "sy-learning": ("التعليم الإلكتروني للاجئين", "دروس عبر الإنترنت للأطفال اللاجئين", "ar", "SYR", "C7.3", 4,
                    "جمعية التعليم للجميع"),
    "tz-floods": ("Early warning for floods", "Text alerts before river floods.", "en", "TZA", "C7.6", 13,
                  "Tanzania Meteorological Authority"),
    "gb-skills": ("Digital skills for older people", "Courses on online banking and video calls.", "en", "GBR", "C4",
                  4, "Silver Surfers Trust"),
    "us-broadband": ("Rural broadband mapping", "Maps of connection speeds in rural counties.", "en", "USA", "C2", 9,
                     "Open Broadband Maps"),
    "cd-radio": ("Community radio for peace", "Local stations broadcast dialogue programmes.", "en", "COD", "C9", 16,
                 "Radio Amani"),
    "cn-commerce": ("农村电子商务平台", "帮助农民在网上销售产品", "zh-hans", "CHN", "C7.2", 8, "农村电商中心"),
    # Distractors: they share words with the queries above, not their meaning.
    "pe-cities": ("Healthy cities newsletter", "Ideas on urban health and parks.", "en", "PER", "C3", 11,
                  "Urban Ideas Lab"),
    "br-budget": ("Open budget portal", "Citizens follow public spending.", "en", "BRA", "C7.1", 16,
                  "Transparency Brazil"),
    "in-weather": ("Weather advice for farmers by voice", "Voice messages with forecasts for farmers.", "en", "IND",
                   "C7.7", 2, "Krishi Voice"),
    "mx-climate": ("Climate dashboards for cities", "Emission data for city councils.", "en", "MEX", "C7.6", 13,
                   "Ciudad Datos"),
}

HEALTH = ["np-tele", "ke-records", "tr-hospital", "ci-sante", "bo-salud"]
KENYA = ["ke-money", "ke-school", "ke-records"]
LEARNING = ["ke-school", "la-radio", "sy-learning"]

# (what people type, must be in the first ten, must not be returned at all)
QUERIES = [
    # Countries: names in the six languages, common names and aliases, accents, case.
    ("Nepal", ["np-tele", "np-labs"], KENYA),
    ("nepal", ["np-tele", "np-labs"], []),
    ("Kenya", KENYA, ["np-tele"]),
    ("Кения", KENYA, []),
    ("كينيا", KENYA, []),
    ("肯尼亚", KENYA, []),
    ("Vietnam", ["vn-portal"], ["br-budget"]),
    ("Viet Nam", ["vn-portal"], []),
    ("Việt Nam", ["vn-portal"], []),
    ("Turkey", ["tr-hospital"], []),
    ("Türkiye", ["tr-hospital"], []),
    ("turkiye", ["tr-hospital"], []),
    ("Cote d'Ivoire", ["ci-sante", "ci-agri"], []),
    ("Côte d’Ivoire", ["ci-sante", "ci-agri"], []),
    ("Ivory Coast", ["ci-sante", "ci-agri"], []),
    ("Laos", ["la-radio"], []),
    ("Bolivia", ["bo-salud"], []),
    ("Russia", ["ru-gov"], []),
    ("Россия", ["ru-gov"], []),
    ("Iran", ["ir-science"], []),
    ("Syria", ["sy-learning"], []),
    ("سوريا", ["sy-learning"], []),
    ("Tanzania", ["tz-floods"], []),
    ("UK", ["gb-skills"], []),
    ("USA", ["us-broadband"], []),
    ("United States", ["us-broadband"], []),
    ("DRC", ["cd-radio"], []),
    ("中国", ["cn-commerce"], []),
    # Typos.
    ("Nepl", ["np-tele", "np-labs"], KENYA),
    ("Tanzanai", ["tz-floods"], []),
    ("Vietnm", ["vn-portal"], []),
    ("Bolvia", ["bo-salud"], []),
    # Action lines: codes and names, hyphens and case, six languages.
    ("C7.4", HEALTH, ["pe-cities"]),
    ("e-health", HEALTH, ["pe-cities"]),
    ("eHealth", HEALTH, ["pe-cities"]),
    ("ehealth", HEALTH, []),
    ("E-Health", HEALTH, []),
    ("Cybersanté", HEALTH, []),
    ("cibersalud", HEALTH, []),
    ("Электронное здравоохранение", HEALTH, []),
    ("الصحة الإلكترونية", HEALTH, []),
    ("电子卫生", HEALTH, []),
    ("e-learning", LEARNING, []),
    ("e-health Nepal", ["np-tele"], ["ke-records", "tr-hospital", "np-labs"]),
    ("e-agriculture Côte d'Ivoire", ["ci-agri"], ["in-weather", "ci-sante"]),
    # SDGs: numbers and names.
    ("SDG 3", HEALTH, []),
    ("sdg3", HEALTH, []),
    ("Good health and well-being", HEALTH, []),
    ("Climate action", ["tz-floods", "mx-climate"], []),
    ("ODD 4", LEARNING + ["gb-skills"], []),
    ("ЦУР 13", ["tz-floods", "mx-climate"], []),
    ("Zero hunger", ["ci-agri", "in-weather"], []),
    # Organisation names and plain words, in several languages.
    ("Himalayan Health Network", ["np-tele"], []),
    ("Meteorological Authority", ["tz-floods"], []),
    ("Nepal Wireless", ["np-labs"], []),
    ("telemedicine", ["np-tele"], []),
    ("mobile money", ["ke-money"], []),
    ("broadband", ["us-broadband"], []),
    ("dossiers médicaux", ["ci-sante"], []),
    ("Telesalud", ["bo-salud"], []),
    ("правительство", ["ru-gov"], []),
    ("اللاجئين", ["sy-learning"], []),
    ("农村电子商务平台", ["cn-commerce"], []),
]


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus, built once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = {}
        for key, (title, summary, language, iso3, code, goal, org) in CORPUS.items():
            initiative = make_initiative(
                state=Initiative.State.PUBLISHED, organisation=OrganisationFactory(name=org),
                title=title, summary=summary, description="", language=language,
                countries=[Country.objects.get(iso3=iso3)], primary_action_line=ActionLine.objects.get(code=code),
                goals=[Goal.objects.get(number=goal)], targets=[], target_groups=[],
            )
            made[initiative.pk] = key
        yield made
        transaction.set_rollback(True)


def found(corpus, text: str) -> list[str]:
    return [corpus[pk] for pk in initiative_search(InitiativeFilters(q=text), relations=False)
            .values_list("pk", flat=True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "wanted", "unwanted"), QUERIES, ids=[q[0] for q in QUERIES])
def test_what_people_type_finds_what_they_mean(corpus, typed, wanted, unwanted):
    results = found(corpus, typed)
    assert set(wanted) <= set(results[:10]), f"{typed!r}: {results}"
    assert not set(unwanted) & set(results), f"{typed!r}: {results}"


def test_the_table_is_large_and_covers_six_languages():
    assert len(QUERIES) >= 40
    scripts = {"ru": "Кения", "ar": "كينيا", "zh": "肯尼亚", "fr": "Cybersanté", "es": "cibersalud"}
    assert all(any(q[0] == typed for q in QUERIES) for typed in scripts.values())


@pytest.mark.django_db
def test_tagged_and_named_ranks_above_merely_tagged(corpus):
    # "records" is in two titles; with "Kenya" the Kenyan one comes first.
    assert found(corpus, "records Kenya")[0] == "ke-records"
    # A title match ranks above a summary match.
    assert found(corpus, "village")[:2] == ["la-radio", "np-labs"]


@pytest.mark.django_db
def test_a_typo_is_corrected_only_when_the_words_as_typed_find_nothing(corpus):
    plan = query_plan("Nepl")
    assert plan.corrected_text == "Nepal"
    hints = search_hints(InitiativeFilters(q="Nepl"), 2)
    assert (hints.typed, hints.corrected) == ("Nepl", "Nepal")
    assert query_plan("Nepal").corrected is None


@pytest.mark.django_db
def test_empty_result_names_the_filters_to_drop(corpus, client):
    response = client.get(reverse("stocktaking:search"), {"q": "telemedicine", "country": "KEN"})
    assert response.context["total"] == 0
    drops = {d.label: d.count for d in response.context["hints"].drop}
    assert drops == {"Search words": 3, "Country": 1}
    assert "telemedicine" in response.content.decode() and "search-drop" in response.content.decode()


@pytest.mark.django_db
def test_country_facet_hidden_values_are_behind_a_link(corpus, client):
    many = list(Country.objects.exclude(iso3__in=[c[3] for c in CORPUS.values()]).order_by("iso3")[:10])
    make_initiative(state=Initiative.State.PUBLISHED, title="Regional connectivity study", countries=many)
    shown = 20  # the facet's first values, by count
    url = reverse("stocktaking:search")
    page = client.get(url)
    country = next(f for f in page.context["facets"] if f.name == "country")
    distinct = len({c[3] for c in CORPUS.values()} | {c.iso3 for c in many})
    assert (len(country.options), country.more) == (shown, distinct - shown)
    assert 'all=country#facet-country"' in page.content.decode()
    full = client.get(url, {"all": "country"})
    country = next(f for f in full.context["facets"] if f.name == "country")
    assert country.more == 0 and len(country.options) == distinct


@pytest.mark.django_db
def test_empty_result_suggests_the_nearest_organisation_spelling(corpus, client):
    response = client.get(reverse("stocktaking:search"), {"q": "Himalyan clinics"})
    assert response.context["total"] == 0
    hints = response.context["hints"]
    assert hints.suggestion == "Himalayan clinics"
    assert found(corpus, hints.suggestion) == ["np-tele"]
    assert 'id="search-suggestion"' in response.content.decode()
