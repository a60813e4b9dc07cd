"""Users, organisations and memberships (DESIGN.md §4). Scoped roles live in ``wsis.core.permissions``."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel, Versioned

__all__ = ["User", "Organisation", "Membership", "OrganisationInvitation", "ApiToken"]


class UserManager(DjangoUserManager):
    """Users sign in with their e-mail address; there is no separate user name."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Addresses are stored in lower case; people type them however they like when signing in.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_verified", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: submitter, secretariat staff, reviewer, focal point, facilitator or expert."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(Versioned, BaseModel):
    """A stakeholder organisation that registers initiatives: a ministry, a company, an NGO, a university…"""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    stakeholder_type = models.ForeignKey(
        "taxonomy.StakeholderType", verbose_name=_("stakeholder type"), on_delete=models.PROTECT,
        related_name="organisations",
    )
    country = models.ForeignKey(
        "taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="organisations",
        help_text=_("Where the organisation is based."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Its organisation identifier in the IATI Organisation Registration Agency scheme (e.g. "GB-COH-123456"),
    # when it has one: IATI exports use it as the reporting organisation's ref (issue 20).
    iati_identifier = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]{2,}(-[A-Za-z0-9._]+)+$",
                                   _("An IATI identifier is a registration agency prefix and a number, "
                                     "such as GB-COH-123456."))],
        help_text=_("Optional: the organisation's identifier in IATI (org-id.guide), such as GB-COH-123456."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", args=[self.slug])


class Membership(BaseModel):
    """A user's membership of an organisation. Admins manage members; editors write initiatives."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="accounts_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class OrganisationInvitation(BaseModel):
    """An organisation admin's invitation to join the organisation with a role, sent by e-mail.

    Only a hash of the token is stored: the link in the e-mail is the only copy of the secret, so a
    database leak cannot be used to accept pending invitations. An invitation is used at most once.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"), help_text=_("The address the invitation is sent to."))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation invitation")
        verbose_name_plural = _("organisation invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"], name="accounts_invitation_org_email")]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired


class ApiToken(models.Model):
    """A personal API token: the bearer acts as its user. Only a SHA-256 hash of the key is stored.

    A token has a scope (``read``: safe methods only; ``write``: also POST, PATCH, PUT, DELETE), an expiry,
    and the fingerprint of its user's password when it was made: a password change (by the user, a
    reset link, an administrator or ``manage.py changepassword``) revokes every token made before it.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read: search and read data")
        WRITE = "write", _("Read and write: also create, change and submit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key prefix"), max_length=12, editable=False, help_text=_("The first characters of the key, to recognise it.")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires"))
    password_fingerprint = models.CharField(_("password fingerprint"), max_length=64, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_revoked_by_password_change(self) -> bool:
        return self.password_fingerprint != password_fingerprint(self.user)

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


def password_fingerprint(user) -> str:
    """A digest of the user's stored password hash: it changes whenever the password does."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()
