"""Read a rendered form back as the browser would post it (tests of edit pages and their conflicts)."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["form_data"]

_TEXT_INPUTS = {"text", "hidden", "date", "datetime-local", "time", "url", "email", "number", "search", "tel", ""}


class _FormParser(HTMLParser):
    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._multiple = False
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "").lower()
            if kind in _TEXT_INPUTS:
                self._form.setdefault(name, []).append(a.get("value") or "")
            elif kind in ("checkbox", "radio") and "checked" in a:
                self._form.setdefault(name, []).append(a.get("value") or "on")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, [""])
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in a
            self._first_option = None
            self._form.setdefault(name, [])
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value") or ""
            if "selected" in a:
                self._form[self._select].append(a.get("value") or "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._textarea and self._form is not None:
                # The browser drops the newline right after <textarea>.
                value = self._form[self._textarea][-1]
                self._form[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            # A single select posts its first option when none is marked selected.
            if self._select and self._form is not None and not self._multiple and not self._form[self._select]:
                self._form[self._select].append(self._first_option or "")
            self._select = None


def form_data(html: str, marker: str = "lock_version") -> dict[str, list[str] | str]:
    """The fields of the first POST form on the page that has a field named ``marker``."""
    parser = _FormParser(marker)
    parser.feed(html)
    for form in parser.forms:
        if marker in form:
            return {k: (v if len(v) != 1 else v[0]) for k, v in form.items() if k != "csrfmiddlewaretoken"}
    raise AssertionError(f"no POST form with a field {marker!r} on the page")
