import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts import services
from wsis.accounts.models import Membership
from wsis.core.models import AuditLog
from wsis.taxonomy.models import Country, StakeholderType

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def create(actor, **extra):
    data = {"name": "Digital Villages Trust", "acronym": "DVT",
            "stakeholder_type": StakeholderType.objects.get(code="civil_society"),
            "country": Country.objects.get(iso3="NPL"), **extra}
    return services.organisation_create(actor=actor, **data)


class TestOrganisationCreate:
    def test_creator_becomes_its_administrator(self):
        user = UserFactory()
        org = create(user)
        assert Membership.objects.get(organisation=org).user == user
        assert Membership.objects.get(organisation=org).role == Membership.Role.ADMIN
        assert AuditLog.objects.filter(action="accounts.organisation.create", target_id=str(org.pk)).exists()

    def test_slug_is_made_unique(self):
        user = UserFactory()
        OrganisationFactory(slug="digital-villages-trust")
        assert create(user).slug == "digital-villages-trust-2"
        assert create(user).slug == "digital-villages-trust-3"

    def test_slug_of_a_name_without_latin_letters_falls_back_to_the_acronym(self):
        assert create(UserFactory(), name="وزارة الاتصالات", acronym="MOC").slug == "moc"
        assert create(UserFactory(), name="通信部", acronym="").slug == "organisation"

    def test_slug_never_takes_a_reserved_path(self):
        assert create(UserFactory(), name="New").slug != "new"

    def test_bad_website_is_refused_by_field_and_nothing_is_saved(self):
        with pytest.raises(ValidationError) as info:
            create(UserFactory(), website="not a url")
        assert "website" in info.value.error_dict
        assert not Membership.objects.exists()

    def test_anonymous_cannot_create(self):
        with pytest.raises(PermissionDenied):
            create(AnonymousUser())


class TestOrganisationUpdate:
    def test_admin_updates_and_change_is_audited(self, organisation, admin_user):
        services.organisation_update(actor=admin_user, organisation=organisation, name="Renamed")
        organisation.refresh_from_db()
        assert organisation.name == "Renamed"
        entry = AuditLog.objects.get(action="accounts.organisation.update")
        assert entry.data["changed"]["name"][1] == "Renamed"

    def test_editor_cannot_update(self, organisation, editor_user):
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=editor_user, organisation=organisation, name="X")
