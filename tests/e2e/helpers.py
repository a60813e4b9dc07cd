"""Browser-test helpers: accessibility checks with axe-core and page-weight measurement.

Import them in a test module::

    from tests.e2e.helpers import axe_check, page_weight

They take a Playwright ``Page`` (the ``page`` / ``mobile_page`` / ``new_page`` fixtures of
``tests/e2e/conftest.py``). axe-core is read from the vendored ``static/vendor/axe.min.js`` and
injected into the page as a script: never fetched from a CDN, and not counted in page weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "AXE_PATH",
    "FAILING_IMPACTS",
    "PageWeight",
    "axe_check",
    "axe_report",
    "axe_violations",
    "login_as",
    "page_weight",
]

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "static" / "vendor" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1 A and AA plus axe's best practices (landmarks, one h1, region…). The impact decides
# what fails a test, not the tag.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _inject_axe(page) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the site's own static files: the Content-Security-Policy refuses inline script, which is
        # what add_script_tag(path=...) would insert.
        page.add_script_tag(url="/static/vendor/axe.min.js")


def axe_violations(page, *, impacts=FAILING_IMPACTS, context=None, disable=()) -> list[dict]:
    """Run axe-core on the page as it is now; return the violations whose impact is in ``impacts``.

    ``context`` is an axe context (a CSS selector, or ``{"include": [...], "exclude": [...]}``);
    ``disable`` lists rule ids to skip — say why in the test when you use it.
    """
    _inject_axe(page)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate(
        "async ([context, options]) => await axe.run(context || document, options)",
        [context, options],
    )
    return [v for v in result["violations"] if (v.get("impact") or "minor") in impacts]


def axe_report(violations: list[dict], *, where: str = "") -> str:
    """A readable report: one block per rule with the failing elements and what to fix."""
    if not violations:
        return f"{where}: no violations" if where else "no violations"
    lines = [f"{len(violations)} accessibility violation(s){' on ' + where if where else ''}:"]
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more element(s)")
    return "\n".join(lines)


def axe_check(page, *, context=None, disable=(), impacts=FAILING_IMPACTS) -> None:
    """Fail (AssertionError with a readable report) on any serious or critical axe-core violation."""
    violations = axe_violations(page, impacts=impacts, context=context, disable=disable)
    assert not violations, axe_report(violations, where=page.url)


@dataclass
class PageWeight:
    """What a first visit to a page cost on the wire (compressed bytes, as the browser received them)."""

    url: str
    html_bytes: int  # the HTML document's body, compressed as sent
    html_decoded_bytes: int  # the same HTML once decompressed
    html_encoding: str  # Content-Encoding of the HTML ("gzip", "br" or "" for none)
    total_bytes: int  # every response of the first visit: bodies as sent plus headers
    requests: int
    resources: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.url}: HTML {self.html_bytes / 1024:.1f} KB {self.html_encoding or 'uncompressed'} "
            f"({self.html_decoded_bytes / 1024:.1f} KB decoded), first visit {self.total_bytes / 1024:.1f} KB "
            f"in {self.requests} request(s)"
        )


def page_weight(page, url: str) -> PageWeight:
    """Load ``url`` in ``page`` with an empty cache and measure what crossed the wire.

    Uses the Chrome DevTools Protocol: ``Network.loadingFinished.encodedDataLength`` is the number of
    bytes received for each response (compressed body plus headers), the figure DevTools shows as
    "transferred". The HTML's own compressed body size comes from the Navigation Timing entry
    (``encodedBodySize``). Use a fresh page (the fixtures give one per test) so that nothing is cached.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses: dict[str, dict] = {}
    finished: dict[str, int] = {}

    def on_response(event):
        responses[event["requestId"]] = {
            "url": event["response"]["url"],
            "type": event.get("type", ""),
            "status": event["response"]["status"],
            "encoding": {k.lower(): v for k, v in event["response"].get("headers", {}).items()}.get(
                "content-encoding", ""
            ),
        }

    def on_finished(event):
        finished[event["requestId"]] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    nav = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {encoded: n.encodedBodySize, decoded: n.decodedBodySize}; }"
    )
    cdp.detach()
    resources = []
    html_encoding = ""
    for request_id, info in responses.items():
        size = finished.get(request_id, 0)
        resources.append({**info, "bytes": size})
        if info["type"] == "Document" and not html_encoding:
            html_encoding = info["encoding"]
    return PageWeight(
        url=url,
        html_bytes=int(nav["encoded"]),
        html_decoded_bytes=int(nav["decoded"]),
        html_encoding=html_encoding,
        total_bytes=sum(r["bytes"] for r in resources),
        requests=len(resources),
        resources=sorted(resources, key=lambda r: -r["bytes"]),
    )



def login_as(page, user) -> None:
    """Sign ``user`` in for every later request of ``page``'s browser context (no sign-in form).

    Creates a real session through Django's test client and hands its cookie to the browser. The page
    must come from the ``page`` / ``mobile_page`` / ``new_page`` fixtures (they know the server's URL).
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": page.context.e2e_base_url,
    }])
