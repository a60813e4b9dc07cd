"""Finding 8 (issue 13): Content-Security-Policy without inline script, Permissions-Policy, and
WeasyPrint reading nothing but the site's own static files."""

import re

import pytest
from django.urls import reverse

from wsis.core.pdf import STATIC_BASE_URL, html_to_pdf, static_file_for_url, url_fetcher

pytestmark = pytest.mark.django_db

PAGES = ["core:home", "stocktaking:search", "accounts:login", "accounts:signup", "taxonomy:matrix"]


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("name", PAGES)
def test_pages_send_a_csp_without_inline_script_and_a_permissions_policy(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src-elem"]
    assert "camera=()" in response["Permissions-Policy"]
    html = response.content.decode()
    # Every <script> names a file: nothing inline for the policy to refuse (or to need 'unsafe-inline').
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts), scripts
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers either
    assert "<style" not in html


def test_the_error_page_style_is_allowed_by_its_hash():
    """templates/500.html keeps its <style> (it must not depend on static files): the policy names its hash,
    so editing the style means updating ERROR_PAGE_STYLE_HASH."""
    import base64
    import hashlib

    from django.conf import settings

    style = re.search(r"<style>(.*?)</style>", (settings.BASE_DIR / "templates" / "500.html").read_text(), re.S)
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH
    assert settings.ERROR_PAGE_STYLE_HASH in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-elem"]


def test_the_api_docs_load_swagger_from_the_site_itself(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    executable = [(attrs, body) for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
                  if "application/json" not in attrs]
    assert executable and all("src=" in attrs and not body.strip() for attrs, body in executable)


def test_the_html_report_keeps_its_own_stricter_policy(client):
    """A view that sets its own policy (the HTML review report) keeps it."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_pdf_fetcher_reads_static_files_only(tmp_path):
    assert static_file_for_url(f"{STATIC_BASE_URL}/static/css/site.css").name == "site.css"
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/css/site.css",
        f"{STATIC_BASE_URL}/static/../config/settings/base.py",
        f"{STATIC_BASE_URL}/static/%2e%2e/manage.py",
        f"{STATIC_BASE_URL}/media/secret.pdf",
        f"{STATIC_BASE_URL}/static/no-such-file.css",
    ]:
        assert static_file_for_url(url) is None, url
    fetcher = url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:1/")
    from django.conf import settings

    site_css = (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()
    assert fetcher.fetch(f"{STATIC_BASE_URL}/static/css/site.css").read() == site_css
    assert b"svg" in fetcher.fetch(f"{STATIC_BASE_URL}/static/img/favicon.svg").read()


def test_a_pdf_leaves_out_what_it_may_not_fetch(tmp_path, caplog):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not really a png")
    html = (f'<html><body><p>Report</p><img src="file://{secret}"><img src="http://127.0.0.1:1/x.png">'
            '<link rel="stylesheet" href="/static/css/site.css"></body></html>')
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    refused = [r.getMessage() for r in caplog.records if "static files may be read" in r.getMessage()]
    assert len(refused) == 2, [r.getMessage() for r in caplog.records]
