"""The whole stocktaking journey in Chromium: sign up, verify the e-mail, create an organisation, submit
an initiative, moderate it, then find it by full-text search and by two facets. Plus axe checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test.utils import override_settings

from tests.e2e.helpers import axe_check, login_as

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unusual passphrase 42"
TITLE = "Zanzibar seaweed farmers' price alerts"
OTHER = "Digital skills for rural youth in Kenya"


def _verification_link(mail_dir: Path) -> str:
    for path in sorted(mail_dir.glob("*")):
        found = re.search(r"https?://[^\s\"<>]+/accounts/verify/[^\s\"<>]+", path.read_text(errors="replace"))
        if found:
            return found.group(0)
    raise AssertionError(f"No verification e-mail in {mail_dir}")


def test_sign_up_submit_moderate_and_find(new_page, live_server, tmp_path):
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.stocktaking.tests.factories import make_initiative
    from wsis.taxonomy.models import Country

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                           EMAIL_FILE_PATH=str(mail_dir), SITE_URL=live_server.url):
        page = new_page()
        # 1. Sign up and verify the address from the e-mail the file backend wrote.
        page.goto("/en/accounts/sign-up/")
        page.locator("#id_email").fill("amina@example.org")
        page.locator("#id_full_name").fill("Amina Submitter")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        page.wait_for_load_state()
        link = _verification_link(mail_dir)
        page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
        # 2. Sign in (the verification page sends us to the sign-in form with the address filled in).
        if "sign-in" in page.url:
            page.locator("input[type=password]").fill(PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
        # 3. Create the organisation.
        page.goto("/en/organisations/new/")
        page.locator("#id_name").fill("Zanzibar Digital Farmers")
        page.locator("#id_stakeholder_type").select_option(label="Civil society")
        page.locator("#id_country").select_option(value=str(Country.objects.get(iso3="TZA").pk))
        page.get_by_role("button", name="Create the organisation").click()
        page.wait_for_load_state()

        # 4. Submit an initiative; the Matrix suggestions appear for the chosen action line.
        page.goto("/en/initiatives/new/")
        axe_check(page)
        page.locator("#id_title").fill(TITLE)
        page.locator("#id_summary").fill("SMS price alerts for seaweed farmers on Zanzibar.")
        page.locator("#id_start_date").fill("2024-06-01")
        page.get_by_label("Find a country").fill("Tanzania")  # the country picker's type-ahead
        page.get_by_role("checkbox", name=re.compile("Tanzania")).check()
        page.locator("#id_primary_action_line").select_option("C7.7")
        page.locator("#matrix-suggestions input[name=matrix_targets]").first.wait_for()
        page.get_by_role("group", name="SDGs").get_by_label(re.compile(r"^\s*2\. ")).check()
        page.get_by_role("button", name="Submit for review").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == TITLE
        assert "sent to the moderators" in page.content()

        # 5. A moderator approves it.
        mod = UserFactory()
        grant_role(mod, Role.MODERATOR)
        moderator_page = new_page()
        login_as(moderator_page, mod)
        moderator_page.goto("/en/moderation/")
        moderator_page.get_by_role("link", name=TITLE).click()
        moderator_page.get_by_label("Approve and publish").check()
        moderator_page.get_by_role("button", name="Record decision").click()
        moderator_page.wait_for_load_state()
        assert "Decision recorded" in moderator_page.content()

        # Another published entry elsewhere, so that the facets visibly narrow the results.
        make_initiative(state="published", title=OTHER)

        # 6. The public finds it by full-text search, then narrows by two facets (HTMX swaps results).
        public = new_page()
        public.goto("/en/initiatives/")
        public.get_by_label("Search words").fill("seaweed farmers")
        public.get_by_role("button", name="Search").click()
        public.get_by_role("link", name=TITLE).wait_for()
        public.goto("/en/initiatives/")
        assert public.get_by_role("link", name=OTHER).count() == 1
        with public.expect_response(lambda r: "country=TZA" in r.url):
            public.get_by_role("group", name="Country", exact=True).get_by_label(re.compile("Tanzania")).check()
        with public.expect_response(lambda r: "action_line=C7.7" in r.url):
            public.get_by_role("group", name="Action line").get_by_label(re.compile("C7.7")).check()
        public.get_by_role("link", name=TITLE).wait_for()
        assert public.get_by_role("link", name=OTHER).count() == 0
        public.wait_for_url(re.compile(r"country=TZA.*action_line=C7\.7|action_line=C7\.7.*country=TZA"))
        axe_check(public)
        public.get_by_role("link", name=TITLE).click()
        public.wait_for_load_state()
        axe_check(public)
        assert "C7.7" in public.content()
