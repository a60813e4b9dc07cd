"""Factories for users, organisations, memberships and role grants (reference data comes from the loader)."""

import factory
from django.contrib.contenttypes.models import ContentType

from wsis.accounts.models import Membership, Organisation, User
from wsis.core.permissions import RoleGrant, grants_forget
from wsis.taxonomy.models import Country, StakeholderType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    stakeholder_type = factory.LazyFunction(lambda: StakeholderType.objects.get(code="civil_society"))
    country = factory.LazyFunction(lambda: Country.objects.get(iso3="KEN"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


def grant_role(user: User, role: str, scope=None) -> RoleGrant:
    """Give ``user`` a role, globally or for ``scope``."""
    scope_type = ContentType.objects.get_for_model(scope) if scope is not None else None
    grant = RoleGrant.objects.create(user=user, role=role, scope_type=scope_type,
                                     scope_id=scope.pk if scope is not None else None)
    grants_forget(user)  # like the grant service: the user object's cached grants are stale now
    return grant
