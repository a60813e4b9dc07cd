"""Every CSV download of the site goes through :mod:`wsis.core.downloads`: one table over all of them.

Each row is one download URL; each is fetched in Arabic and must stream, be an attachment, start
with the UTF-8 byte-order mark, parse as CSV, keep Arabic text intact and neutralise formulas.
"""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from wsis.forum.tests.factories import open_edition
from wsis.indicators.tests.factories import IndicatorFactory, observe
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

pytestmark = pytest.mark.django_db

EVIL = "=HYPERLINK(\"http://x\",\"مؤشر الاتصال\")"  # a formula written in Arabic
SAFE = "'" + EVIL
CODE = "TEST.DL.1"


@pytest.fixture
def data():
    make_initiative(state=Initiative.State.PUBLISHED, title=EVIL)
    indicator = IndicatorFactory(code=CODE, name_en=EVIL, name_ar=EVIL, source="@source", licence="CC BY 4.0")
    for iso3, value in (("AFG", 18.0), ("BGD", 38.0), ("KEN", 40.0)):
        observe(indicator, iso3, 2022, value)
    mobile = IndicatorFactory(code="ITU.MOBILE.OWN", name_en="ملكية الهاتف المحمول")
    observe(mobile, "BGD", 2017, 54.3, sex="male")
    observe(mobile, "BGD", 2017, 30.9, sex="female")
    open_edition(year=2046, title="WSIS Forum 2046", is_current=True)


def _url(name, *args, query=""):
    with translation.override("ar"):
        return reverse(name, args=args) + (f"?{query}" if query else "")


# (id, URL name, URL arguments, query, an Arabic cell that must come back intact (neutralised where it is the
# formula); None where the data offers none)
DOWNLOADS = [
    ("stocktaking-export", "stocktaking:export", ["csv"], "", SAFE),
    ("stocktaking-template", "stocktaking:import-template", ["csv"], "", None),
    ("indicators-catalogue", "indicators:list", [], "format=csv", SAFE),
    ("indicators-detail", "indicators:detail", [CODE], "format=csv", SAFE),
    ("indicators-observations", "indicators:observations-csv", [CODE], "", SAFE),
    ("indicators-groups", "indicators:groups", [], f"indicator={CODE}&year=2022&format=csv", SAFE),
    ("indicators-divides", "indicators:divides", [], "table=gender&format=csv", "ملكية الهاتف المحمول"),
    ("indicators-need", "indicators:need", [], f"indicator={CODE}&format=csv", SAFE),
    ("analytics-matrix", "analytics:coverage", [], "format=csv&chart=coverage-matrix", None),
    ("analytics-trends", "analytics:trends", [], "year_from=2015&year_to=2022&format=csv&chart=trend-regions", None),
    ("forum-statistics", "forum:statistics", [2046], "format=csv", None),
]


@pytest.mark.parametrize(("name", "args", "query", "needle"), [d[1:] for d in DOWNLOADS], ids=[d[0] for d in DOWNLOADS])
def test_download(client, data, name, args, query, needle):
    response = client.get(_url(name, *args, query=query))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert cells, "an empty download"
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    if needle is not None:
        assert needle in cells
