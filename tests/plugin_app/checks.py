"""Run only by ``tests/test_plugin_app.py``, in a subprocess under ``tests.plugin_app.settings``.

Not named ``test_*.py`` so the ordinary test run (which does not install the plug-in app) never
collects it.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_settings_install_the_plugin():
    assert "tests.plugin_app" in settings.INSTALLED_APPS


def test_navigation_and_home_section(client, django_user_model):
    html = client.get(reverse("core:home")).content.decode()
    assert f'<a href="{reverse("plugin_app:index")}">Plug-in page</a>' in html
    # The core menu still comes first; the plug-in's entry follows by its order.
    assert html.index("WSIS Forum") < html.index("Plug-in page")
    assert "Plug-in staff page" not in html  # its permission hides it from visitors
    assert '<section class="plugin-app-section"><p>Plug-in section</p></section>' in html
    assert client.get(reverse("plugin_app:index")).content == b"The plug-in page."

    staff = django_user_model.objects.create(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    assert "Plug-in staff page" in client.get(reverse("core:home")).content.decode()


def test_api_lists_and_answers_the_plugin_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/plugin/ping" in schema["paths"]
    assert "/api/v1/initiatives" in schema["paths"]
    response = client.get("/api/v1/plugin/ping")
    assert response.status_code == 200
    assert response.json() == {"plugin": "pong"}


def test_seed_demo_runs_the_plugin_seeder_after_its_dependency():
    out = StringIO()
    call_command("seed_demo", initiatives=0, seed=1, stdout=out)
    log = out.getvalue()
    line = next(line for line in log.splitlines() if line.startswith("Plug-in app:"))
    assert "seeded after 0 demo organisations" not in line
    assert log.index("Plug-in app:") < log.index("Demo data ready.")
