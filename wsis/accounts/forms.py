"""Forms of the accounts pages. They validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wsis.core.concurrency import version_field
from wsis.core.i18n import lang_suffix
from wsis.core.mail import mail_send
from wsis.taxonomy.models import Country, StakeholderType

from .models import ApiToken, Membership, Organisation, User
from .selectors import OrganisationFilters

__all__ = [
    "SignUpForm",
    "ResendVerificationForm",
    "EmailAuthenticationForm",
    "LocalisedPasswordResetForm",
    "VerifyingSetPasswordForm",
    "LanguageForm",
    "OrganisationForm",
    "OrganisationFilterForm",
    "InvitationForm",
    "RoleForm",
    "ApiTokenForm",
]

ERR_UNVERIFIED = _("Your e-mail address is not verified yet. Follow the link in the e-mail we sent you, "
                   "or ask for a new one below.")


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to check it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES,
        help_text=_("We write to you in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("preferred_language", translation.get_language() or "en")

    def clean_email(self):
        # Whether the address has an account is not said here (that would tell anyone who has one):
        # user_sign_up writes to the owner instead, and the visitor sees the same page either way.
        return User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", forms.ValidationError(_("The two passwords differ."), code="mismatch"))
        elif p1:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user=probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail and password; an unverified address is refused with a way to get a new link."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not correct."),
        "unverified": ERR_UNVERIFIED,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.fields["password"].label = _("Password")
        self.unverified_email = ""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_verified:
            self.unverified_email = user.email
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class LocalisedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail written in the account holder's preferred language."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Through :func:`wsis.core.mail.mail_send`: in the account holder's language, sent on commit.

        ``email_template_name`` is ``emails/<app>/<name>.txt``; the subject and HTML templates
        beside it follow the one e-mail layout.
        """
        template = email_template_name.removeprefix("emails/").removesuffix(".txt")
        mail_send(to=to_email, user=context.get("user"), template=template, context=context)


class VerifyingSetPasswordForm(SetPasswordForm):
    """Setting a password from a reset link also proves control of the address: mark it verified."""

    def save(self, commit=True):
        from .services import user_mark_email_verified

        user = super().save(commit=commit)
        if commit:
            user_mark_email_verified(user=user, reason="password reset")
        return user


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES,
                                           help_text=_("E-mails and the site after you sign in use this language."))


class OrganisationForm(forms.ModelForm):
    lock_version = version_field()  # on the edit page: the version the editor started from
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https",
                             help_text=_("For example https://www.example.org"))

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "stakeholder_type", "country", "website", "description", "iati_identifier"]
        labels = {
            "name": _("Name"),
            "acronym": _("Acronym"),
            "stakeholder_type": _("Stakeholder type"),
            "country": _("Country"),
            "website": _("Website"),
            "description": _("Description"),
            "iati_identifier": _("IATI organisation identifier"),
        }
        help_texts = {
            "name": _("The organisation's full name, as it should appear in the registry."),
            "description": _("What the organisation does, in a few sentences."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_type"].queryset = StakeholderType.objects.all()
        self.fields["stakeholder_type"].empty_label = _("Choose a stakeholder type")
        self.fields["country"].queryset = Country.objects.order_by(f"name_{lang_suffix()}", "name_en")
        self.fields["country"].empty_label = _("Choose a country")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False, max_length=100)
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_type"].choices = [("", _("All stakeholder types"))] + [
            (t.code, t.name) for t in StakeholderType.objects.all()
        ]
        # Only the countries that have organisations: a short list, and no empty result to fall into.
        countries = (Country.objects.filter(organisations__isnull=False).distinct()
                     .order_by(f"name_{lang_suffix()}", "name_en"))
        self.fields["country"].choices = [("", _("All countries"))] + [(c.iso3, c.name) for c in countries]

    def filters(self) -> OrganisationFilters:
        if not self.is_valid():
            return OrganisationFilters()
        return OrganisationFilters(**self.cleaned_data)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("The person receives a link that is valid for 14 days."))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR,
                             help_text=_("Editors write initiatives; administrators also manage members."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


API_TOKEN_DAY_CHOICES = (30, 90, 365)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. the script or service using it."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              widget=forms.RadioSelect,
                              help_text=_("Give a token only the access its program needs."))
    days = forms.TypedChoiceField(label=_("Expires after"), coerce=int, help_text=_(
        "A token also stops working when you change your password."))

    def __init__(self, *args, max_days: int = 365, **kwargs):
        super().__init__(*args, **kwargs)
        days = sorted({d for d in API_TOKEN_DAY_CHOICES if d <= max_days} | {max_days})
        self.fields["days"].choices = [(d, ngettext("%(n)d day", "%(n)d days", d) % {"n": d}) for d in days]
        self.fields["days"].initial = days[min(1, len(days) - 1)]
