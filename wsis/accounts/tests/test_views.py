"""Organisation, member and invitation pages: permissions, forms, messages, languages."""

import pytest
from django.core import mail

from wsis.accounts.models import ApiToken, Membership, Organisation, OrganisationInvitation
from wsis.core.permissions import Role
from wsis.taxonomy.models import Country, StakeholderType

from .factories import MembershipFactory, OrganisationFactory, UserFactory, grant_role
from .helpers import link_in, path_of, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_renders_in_english_and_arabic(client, lang, organisation, admin_user):
    anonymous_pages = [url(name, lang=lang) for name in (
        "accounts:signup", "accounts:login", "accounts:resend-verification", "accounts:password_reset",
        "accounts:password_reset_done", "accounts:organisations")]
    anonymous_pages.append(url("accounts:organisation", organisation.slug, lang=lang))
    for page in anonymous_pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in response.content.decode()
    client.force_login(admin_user)
    for page in [url(name, lang=lang) for name in (
            "accounts:account", "accounts:api-tokens", "accounts:password_change", "accounts:organisation-create")] + [
            url("accounts:organisation-edit", organisation.slug, lang=lang),
            url("accounts:organisation-members", organisation.slug, lang=lang)]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.content.decode().count("<h1") == 1, page


def test_header_shows_account_links(client, admin_user):
    html = client.get(url("core:home")).content.decode()
    assert url("accounts:login") in html
    client.force_login(admin_user)
    html = client.get(url("core:home")).content.decode()
    assert url("accounts:account") in html and url("accounts:logout") in html


def test_create_organisation_page_makes_the_creator_admin(client, outsider):
    client.force_login(outsider)
    response = client.post(url("accounts:organisation-create"), {
        "name": "Rural Broadband Co-operative", "acronym": "RBC",
        "stakeholder_type": StakeholderType.objects.get(code="private_sector").pk,
        "country": Country.objects.get(iso3="BOL").pk, "website": "rbc.example.org", "description": "Towers."})
    org = Organisation.objects.get(name="Rural Broadband Co-operative")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert org.website == "https://rbc.example.org"
    assert Membership.objects.get(organisation=org, user=outsider).role == "admin"


def test_create_organisation_errors_name_the_field_and_keep_input(client, outsider):
    client.force_login(outsider)
    response = client.post(url("accounts:organisation-create"), {"name": "Half filled", "acronym": "HF"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_country_error"' in html and 'id="id_stakeholder_type_error"' in html
    assert 'value="Half filled"' in html
    assert not Organisation.objects.filter(name="Half filled").exists()


def test_create_organisation_needs_sign_in(client):
    response = client.get(url("accounts:organisation-create"))
    assert response.status_code == 302 and response["Location"].startswith(url("accounts:login"))


def test_organisation_page_shows_details_publicly_and_members_only_to_members(client, organisation, admin_user,
                                                                              outsider):
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert organisation.name in html and "Kenya" in html
    assert admin_user.email not in html and "Members" not in html
    client.force_login(outsider)
    assert admin_user.full_name not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(admin_user)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert admin_user.full_name in html
    assert url("accounts:organisation-members", organisation.slug) in html


def test_unknown_organisation_is_404(client):
    assert client.get(url("accounts:organisation", "no-such-org")).status_code == 404


def test_organisation_list_filters_by_type_country_and_name(client, django_assert_max_num_queries):
    civil = StakeholderType.objects.get(code="civil_society")
    gov = StakeholderType.objects.get(code="government")
    ken, npl = Country.objects.get(iso3="KEN"), Country.objects.get(iso3="NPL")
    OrganisationFactory(name="Alpha Network", stakeholder_type=civil, country=ken)
    OrganisationFactory(name="Beta Ministry", acronym="BM", stakeholder_type=gov, country=npl)
    OrganisationFactory(name="Gamma Ministry", stakeholder_type=gov, country=ken)
    base = url("accounts:organisations")

    def names(query):
        with django_assert_max_num_queries(8):
            response = client.get(base + query)
        assert response.status_code == 200
        return [org.name for org in response.context["organisations"]]

    assert names("") == ["Alpha Network", "Beta Ministry", "Gamma Ministry"]
    assert names("?stakeholder_type=government") == ["Beta Ministry", "Gamma Ministry"]
    assert names("?stakeholder_type=government&country=KEN") == ["Gamma Ministry"]
    assert names("?q=ministry") == ["Beta Ministry", "Gamma Ministry"]
    assert names("?q=BM") == ["Beta Ministry"]


def test_organisation_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(60)
    with django_assert_max_num_queries(8):
        response = client.get(url("accounts:organisations"))
    assert len(response.context["organisations"]) == 50
    assert "Page 1 of 2" in response.content.decode()


def test_organisation_list_serves_the_htmx_partial(client, organisation):
    response = client.get(url("accounts:organisations"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert organisation.name in html and "<html" not in html


def test_only_admins_edit_the_organisation(client, organisation, admin_user, editor_user):
    client.force_login(editor_user)
    assert client.get(url("accounts:organisation-edit", organisation.slug)).status_code == 403
    assert client.post(url("accounts:organisation-edit", organisation.slug), {"name": "X"}).status_code == 403
    client.force_login(admin_user)
    response = client.post(url("accounts:organisation-edit", organisation.slug), {
        "name": "Renamed organisation", "acronym": "", "stakeholder_type": organisation.stakeholder_type_id,
        "country": organisation.country_id, "website": "", "description": ""})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Renamed organisation"


def test_non_admin_cannot_invite_403(client, organisation, editor_user, outsider):
    for user in (editor_user, outsider):
        client.force_login(user)
        members = url("accounts:organisation-members", organisation.slug)
        assert client.get(members).status_code == 403
        assert client.post(members, {"email": "x@example.org", "role": "editor"}).status_code == 403
    assert not OrganisationInvitation.objects.exists()


def test_admin_invites_from_the_members_page(client, organisation, admin_user, sent):
    client.force_login(admin_user)
    members = url("accounts:organisation-members", organisation.slug)
    with sent():
        response = client.post(members, {"email": "invitee@example.org", "role": "editor"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["invitee@example.org"]
    assert "invitee@example.org" in client.get(members).content.decode()


def test_invite_form_error_names_the_field(client, organisation, admin_user, editor_user):
    client.force_login(admin_user)
    response = client.post(url("accounts:organisation-members", organisation.slug),
                           {"email": editor_user.email, "role": "editor"})
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert 'id="id_email_error"' in response.content.decode()


def test_invitee_without_account_signs_up_verifies_and_accepts(client, organisation, admin_user, sent):
    client.force_login(admin_user)
    with sent():
        client.post(url("accounts:organisation-members", organisation.slug),
                    {"email": "newbie@example.org", "role": "editor"})
    client.logout()
    invitation_path = path_of(link_in(mail.outbox[0]))
    page = client.get(invitation_path).content.decode()
    assert "Create an account" in page and "Sign in to accept" in page

    with sent():
        client.post(url("accounts:signup"), {
            "email": "newbie@example.org", "full_name": "New Bie", "password1": "quite a long pass 99",
            "password2": "quite a long pass 99", "preferred_language": "en", "next": invitation_path})
    verify_path = path_of(link_in(mail.outbox[1]))
    login_url = client.get(verify_path)["Location"]
    response = client.post(login_url, {"username": "newbie@example.org", "password": "quite a long pass 99",
                                       "next": invitation_path})
    assert response["Location"] == invitation_path
    response = client.post(invitation_path)
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert Membership.objects.get(user__email="newbie@example.org").role == "editor"


def test_invitation_page_refuses_the_wrong_signed_in_user(client, organisation, admin_user, outsider, sent):
    client.force_login(admin_user)
    with sent():
        client.post(url("accounts:organisation-members", organisation.slug),
                    {"email": "someone@example.org", "role": "editor"})
    invitation_path = path_of(link_in(mail.outbox[0]))
    client.force_login(outsider)
    response = client.get(invitation_path)
    assert response.status_code == 400
    assert "another e-mail address" in response.content.decode()
    assert client.post(invitation_path).status_code == 400
    assert not Membership.objects.filter(user=outsider).exists()


def test_invitation_page_for_unknown_token_is_404(client):
    assert client.get(url("accounts:invitation", "nope")).status_code == 404


def test_role_change_and_last_admin_message_on_the_members_page(client, organisation, admin_user, editor_user):
    client.force_login(admin_user)
    admin_membership = Membership.objects.get(user=admin_user)
    response = client.post(url("accounts:membership-role", organisation.slug, admin_membership.pk),
                           {"role": "editor"}, follow=True)
    assert "at least one administrator" in response.content.decode()
    assert Membership.objects.get(pk=admin_membership.pk).role == "admin"
    editor_membership = Membership.objects.get(user=editor_user)
    client.post(url("accounts:membership-role", organisation.slug, editor_membership.pk), {"role": "admin"})
    assert Membership.objects.get(pk=editor_membership.pk).role == "admin"


def test_remove_member_and_last_admin_protection_on_the_members_page(client, organisation, admin_user,
                                                                     editor_user):
    client.force_login(admin_user)
    response = client.post(url("accounts:membership-remove", organisation.slug,
                               Membership.objects.get(user=admin_user).pk), follow=True)
    assert "at least one administrator" in response.content.decode()
    client.post(url("accounts:membership-remove", organisation.slug, Membership.objects.get(user=editor_user).pk))
    assert list(Membership.objects.values_list("user_id", flat=True)) == [admin_user.pk]


def test_editor_cannot_change_roles_or_remove_others_403(client, organisation, admin_user, editor_user):
    client.force_login(editor_user)
    admin_membership = Membership.objects.get(user=admin_user)
    assert client.post(url("accounts:membership-role", organisation.slug, admin_membership.pk),
                       {"role": "editor"}).status_code == 403
    assert client.post(url("accounts:membership-remove", organisation.slug,
                           admin_membership.pk)).status_code == 403


def test_member_of_another_organisation_gets_404_for_foreign_membership_ids(client, organisation, editor_user):
    other = MembershipFactory(role="admin")
    client.force_login(other.user)
    membership = Membership.objects.get(user=editor_user)
    # The membership id does not belong to the organisation in the URL.
    assert client.post(url("accounts:membership-remove", other.organisation.slug, membership.pk)).status_code == 404


def test_admin_cancels_an_invitation(client, organisation, admin_user, sent):
    client.force_login(admin_user)
    client.post(url("accounts:organisation-members", organisation.slug), {"email": "c@example.org", "role": "editor"})
    invitation = OrganisationInvitation.objects.get()
    client.post(url("accounts:invitation-cancel", organisation.slug, invitation.pk))
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_my_account_lists_organisations_roles_and_saves_the_language(client, organisation, admin_user):
    grant_role(admin_user, Role.FOCAL_POINT, Country.objects.get(iso3="NPL"))
    client.force_login(admin_user)
    html = client.get(url("accounts:account")).content.decode()
    assert organisation.name in html and "Administrator" in html
    assert "National focal point for Nepal" in html
    response = client.post(url("accounts:account"), {"preferred_language": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == "/zh-hans/accounts/"
    admin_user.refresh_from_db()
    assert admin_user.preferred_language == "zh-hans"


def test_my_account_query_count_is_bounded(client, admin_user, django_assert_max_num_queries):
    for _ in range(5):
        MembershipFactory(user=admin_user)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        assert client.get(url("accounts:account")).status_code == 200


def test_api_tokens_page_creates_shows_once_and_revokes(client, outsider):
    client.force_login(outsider)
    response = client.post(url("accounts:api-tokens"), {"name": "My script", "scope": "read", "days": "90"},
                           follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get(user=outsider)
    assert "shown only once" in html and token.prefix in html
    assert "shown only once" not in client.get(url("accounts:api-tokens")).content.decode()
    other = UserFactory()
    client.force_login(other)
    assert client.post(url("accounts:api-token-revoke", token.pk)).status_code == 403
    client.force_login(outsider)
    client.post(url("accounts:api-token-revoke", token.pk))
    assert not ApiToken.objects.exists()
