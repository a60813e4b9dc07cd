"""PDF from HTML (WeasyPrint) that can read nothing but the site's own static files.

WeasyPrint fetches whatever a document names (``<img src>``, ``url()`` in CSS, ``<link>``): by
default from the network and from the server's disk (``file:///etc/…``). Our documents are our own
templates with escaped content, but one unescaped field would be enough to make the server fetch an
internal address or read a file into a PDF. :func:`html_to_pdf` therefore gives WeasyPrint a
fetcher that answers only

* ``data:`` URIs (embedded images, fonts), and
* paths under ``STATIC_URL`` (``/static/css/print.css``, or relative to it), read through the
  static-files finders or from ``STATIC_ROOT``,

and refuses everything else (``http:``, ``file:``, other hosts, ``..``): WeasyPrint then leaves the
resource out and logs a warning.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

__all__ = ["STATIC_BASE_URL", "html_to_pdf", "static_file_for_url", "url_fetcher"]

# Relative URLs in a document resolve against this made-up origin; the fetcher maps it to static files.
STATIC_HOST = "static.wsis.invalid"
STATIC_BASE_URL = f"https://{STATIC_HOST}"


def static_file_for_url(url: str) -> Path | None:
    """The static file a URL names (``https://static.wsis.invalid/static/…``), or None when it names
    anything else."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != STATIC_HOST or not parts.path.startswith(settings.STATIC_URL):
        return None
    relative = unquote(parts.path[len(settings.STATIC_URL):])
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or ".." in pure.parts or "\\" in relative or "\x00" in relative:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def url_fetcher():
    """A WeasyPrint URL fetcher limited to ``data:`` URIs and the site's static files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # heavy: only when a PDF is made

    class StaticFilesFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_for_url(url)
            if path is None:
                raise ValueError(f"Only the site's static files may be read into a PDF, not {url[:200]!r}.")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})

    return StaticFilesFetcher()


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``; static URLs (``/static/…``) resolve, nothing else is fetched."""
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html, base_url=f"{STATIC_BASE_URL}{settings.STATIC_URL}", url_fetcher=url_fetcher()).write_pdf()
