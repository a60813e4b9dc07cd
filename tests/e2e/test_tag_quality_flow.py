"""Issue 14 in Chromium: a telehealth initiative submitted with the form's defaults carries only the tags
its submitter chose; a moderator removes a goal with a reason; the coverage matrix cell drops by one."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import axe_check, login_as

pytestmark = pytest.mark.e2e

TITLE = "Telehealth links for rural clinics"


def _cell(action_line: str, number: int) -> int:
    from wsis.analytics.selectors import coverage_matrix
    from wsis.stocktaking.filters import InitiativeFilters

    matrix = coverage_matrix(InitiativeFilters(), with_urls=False)
    return next(c.count for c in matrix.cells if c.action_line.code == action_line and c.goal.number == number)


def test_defaults_add_no_tag_and_a_moderators_correction_reaches_the_matrix(new_page):
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.stocktaking import services
    from wsis.stocktaking.models import Initiative, TagSource
    from wsis.stocktaking.tests.factories import member

    submitter = member()
    page = new_page()
    login_as(page, submitter)

    # 1. The submitter fills in the form, picks C7.4 and SDGs 3 and 9, and accepts everything else as offered.
    page.goto("/en/initiatives/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Video consultations between rural clinics and the district hospital.")
    page.locator("#id_start_date").fill("2024-03-01")
    page.locator("#id_coverage").select_option("global")
    page.locator("#id_primary_action_line").select_option("C7.4")
    page.locator("#matrix-suggestions input[name=matrix_targets]").first.wait_for()
    offered = page.locator("#matrix-suggestions input[name=matrix_targets]")
    assert offered.count() > 3
    assert all(not offered.nth(i).is_checked() for i in range(offered.count()))  # offered, never ticked
    assert "<br/>" not in page.locator("#matrix-suggestions").inner_text()
    # "Check tags" with JavaScript puts the classifier's suggestions into the form, none of them ticked.
    page.get_by_role("button", name="Check tags").click()
    page.locator("#classify-suggestions .classify-suggestions").wait_for()
    assert page.locator("#classify-suggestions input:checked").count() == 0
    axe_check(page)
    page.locator("input[name=goals][value='3']").check()
    page.locator("input[name=goals][value='9']").check()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE

    initiative = Initiative.objects.get(title=TITLE)
    assert sorted(initiative.goal_tags.values_list("goal__number", flat=True)) == [3, 9]
    assert not initiative.target_tags.exists()
    assert list(initiative.action_line_tags.values_list("action_line__code", flat=True)) == ["C7.4"]
    assert {t.source for t in initiative.goal_tags.all()} == {TagSource.SUBMITTER}

    # 2. A moderator publishes it; the matrix counts it under C7.4 × SDG 9.
    moderator = UserFactory()
    grant_role(moderator, Role.MODERATOR)
    services.initiative_approve(user=moderator, initiative=initiative)
    before = _cell("C7.4", 9)
    assert before >= 1

    # 3. On the moderation page the moderator unticks SDG 9, says why and saves.
    mod_page = new_page()
    login_as(mod_page, moderator)
    mod_page.goto(f"/en/moderation/{initiative.pk}/")
    axe_check(mod_page)
    form = mod_page.locator("form.moderation-tags")
    assert form.locator("input[name=goals][value='9']").is_checked()
    form.locator("input[name=goals][value='9']").uncheck()
    form.locator("textarea[name=reason]").fill("The project does not build infrastructure (SDG 9).")
    form.get_by_role("button", name="Save the corrected tags").click()
    mod_page.wait_for_load_state()
    assert "Tags corrected" in mod_page.content()
    mod_page.goto("/en/moderation/data-quality/")
    axe_check(mod_page)

    assert sorted(initiative.goal_tags.values_list("goal__number", flat=True)) == [3]
    assert _cell("C7.4", 9) == before - 1
    # The public cell page says the same, at once.
    from wsis.taxonomy.models import ActionLine

    slug = ActionLine.objects.get(code="C7.4").slug
    cell = new_page()
    cell.goto(f"/en/analytics/cells/{slug}/9/")
    expected = "1 published initiative" if before - 1 == 1 else f"{before - 1} published initiatives"
    assert expected in cell.locator("main").inner_text()
