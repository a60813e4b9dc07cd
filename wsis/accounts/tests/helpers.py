"""Helpers shared by the accounts tests."""

import re

from django.urls import reverse
from django.utils import translation

PASSWORD = "correct horse battery staple"  # the factories' password


def url(name, *args, lang="en", query=""):
    with translation.override(lang):
        return reverse(name, args=args) + query


def link_in(message) -> str:
    """The first http(s) link of an e-mail's text body."""
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)

