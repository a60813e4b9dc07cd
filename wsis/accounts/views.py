"""Pages of the accounts app: sign-up, verification, sign-in, my account, organisations and members.

Views parse the request, call one service or selector, and render. Every form is a plain POST with
CSRF (or a GET filter form) so that the pages work without JavaScript.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wsis.core.actions import form_add_service_errors
from wsis.core.concurrency import ConflictError, conflict_context
from wsis.core.htmx import htmx_partial
from wsis.core.mail import site_url
from wsis.core.ratelimit import rate_limit
from wsis.core.sections import page_sections

from . import selectors, services
from .forms import (
    ApiTokenForm,
    EmailAuthenticationForm,
    InvitationForm,
    LanguageForm,
    LocalisedPasswordResetForm,
    OrganisationFilterForm,
    OrganisationForm,
    ResendVerificationForm,
    RoleForm,
    SignUpForm,
    VerifyingSetPasswordForm,
)
from .models import Membership

ORGANISATIONS_PER_PAGE = 50


def _site_url(request) -> str:
    return site_url(request)


def _safe_next(request, value: str | None) -> str:
    """``value`` if it is a local URL this site may redirect to, else an empty string."""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one, else at the top."""
    form_add_service_errors(form, error)


def _set_language_cookie(response, language: str):
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                        max_age=365 * 24 * 3600)
    return response


# --- Sign-up and verification --------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@rate_limit("sign_up", keys=("ip", "post:email"))
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_sign_up(
                email=data["email"], full_name=data["full_name"], password=data["password1"],
                preferred_language=data["preferred_language"], site_url=_site_url(request), next_url=next_url,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            # The same page whether or not the address already had an account (user_sign_up then
            # writes to its owner): the form must not reveal who has one.
            request.session["accounts_signed_up_email"] = user.email if user else data["email"]
            return redirect("accounts:signup-done")
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url})


def sign_up_done(request):
    return render(request, "accounts/sign_up_done.html", {
        "email": request.session.get("accounts_signed_up_email", ""),
        "resend_form": ResendVerificationForm(initial={"email": request.session.get("accounts_signed_up_email", "")}),
    })


def verify_email(request, token):
    next_url = _safe_next(request, request.GET.get("next"))
    try:
        user = services.user_verify_email(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {
            "message": error.messages[0], "resend_form": ResendVerificationForm(),
        }, status=400)
    messages.success(request, _("Thank you: your e-mail address is verified. You can now sign in."))
    login_url = reverse("accounts:login")
    query = {"next": next_url} if next_url else {}
    if not request.user.is_authenticated:
        query["email"] = user.email
        return HttpResponseRedirect(f"{login_url}?{urlencode(query)}")
    return redirect(next_url or "accounts:account")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        services.user_resend_verification(email=form.cleaned_data["email"], site_url=_site_url(request),
                                          next_url=_safe_next(request, request.POST.get("next")))
        # The same answer whether or not the address has an account: the form must not reveal who has one.
        messages.success(request, _("If an unverified account uses this address, a new verification e-mail "
                                    "is on its way. The link in it is valid for three days."))
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


# --- Sign-in, sign-out, passwords ----------------------------------------------------------------

class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {**super().get_initial(), "username": self.request.GET.get("email", "")}

    def get_default_redirect_url(self):
        # After sign-in, the home page in the language the user prefers.
        with translation.override(self.request.user.preferred_language):
            return reverse(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        response = super().form_valid(form)
        return _set_language_cookie(response, form.get_user().preferred_language)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@method_decorator(rate_limit("password_reset", keys=("ip", "post:email")), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "emails/accounts/password_reset.txt"
    html_email_template_name = "emails/accounts/password_reset.html"
    subject_template_name = "emails/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = VerifyingSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


# --- My account ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = LanguageForm(request.POST or None, initial={"preferred_language": request.user.preferred_language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.user_set_language(user=request.user, language=language)
        with translation.override(language):
            messages.success(request, _("Your preferred language is saved."))
            response = redirect(reverse("accounts:account"))
        return _set_language_cookie(response, language)
    return render(request, "accounts/account.html", {
        "form": form,
        "memberships": selectors.user_memberships(request.user),
        "role_grants": selectors.user_role_grants(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = ApiTokenForm(request.POST or None, max_days=services.api_token_max_days())
    if request.method == "POST" and form.is_valid():
        _token, key = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                scope=form.cleaned_data["scope"], days=form.cleaned_data["days"])
        # Shown once, on the next page: the key is not stored, only its hash.
        request.session["accounts_new_api_key"] = key
        return redirect("accounts:api-tokens")
    return render(request, "accounts/api_tokens.html", {
        "form": form,
        "tokens": selectors.user_api_tokens(request.user),
        "new_key": request.session.pop("accounts_new_api_key", ""),
    })


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.user_api_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise PermissionDenied
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token is revoked: programs using it can no longer sign in with it."))
    return redirect("accounts:api-tokens")


# --- Organisations -------------------------------------------------------------------------------

def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    page = Paginator(selectors.organisation_list(form.filters()), ORGANISATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    context = {"form": form, "page": page, "organisations": page.object_list}
    template = ("accounts/partials/organisation_table.html" if htmx_partial(request)
                else "accounts/organisation_list.html")
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    del form.fields["lock_version"]  # a new organisation has no version yet
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The organisation is created, and you are its administrator."))
            return redirect(org.get_absolute_url())
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


def organisation_detail(request, slug):
    org = selectors.organisation_get(slug=slug)
    is_member = selectors.user_is_org_member(request.user, org)
    can_manage = selectors.user_can_manage_org(request.user, org)
    return render(request, "accounts/organisation_detail.html", {
        "organisation": org,
        "is_member": is_member,
        "can_manage": can_manage,
        # Member names are shown to members and managers only, not to the public.
        "members": selectors.organisation_members(org) if (is_member or can_manage) else None,
        "sections": page_sections("organisation", request=request, organisation=org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    org = selectors.organisation_get(slug=slug)
    if not selectors.user_can_manage_org(request.user, org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=None, initial={
        **{f: getattr(org, f) for f in services.ORGANISATION_FIELDS}, "lock_version": org.lock_version})
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        expected = changes.pop("lock_version", None)
        try:
            services.organisation_update(actor=request.user, organisation=org, expected_version=expected, **changes)
        except ConflictError as error:
            org = selectors.organisation_get(slug=slug)
            context = conflict_context(form, error, {f: getattr(org, f) for f in services.ORGANISATION_FIELDS})
            return render(request, "accounts/organisation_form.html", {"form": form, "organisation": org, **context},
                          status=409)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The organisation's details are saved."))
            return redirect(org.get_absolute_url())
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": org})


def _members_page(request, org, *, invite_form=None, status=200):
    return render(request, "accounts/organisation_members.html", {
        "organisation": org,
        "members": selectors.organisation_members(org),
        "invitations": selectors.organisation_pending_invitations(org),
        "invite_form": invite_form or InvitationForm(),
        "roles": Membership.Role.choices,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug):
    org = selectors.organisation_get(slug=slug)
    if not selectors.user_can_manage_org(request.user, org):
        raise PermissionDenied
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_create(actor=request.user, organisation=org, site_url=_site_url(request),
                                           **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The invitation is sent to %(email)s.")
                                 % {"email": form.cleaned_data["email"]})
                return redirect("accounts:organisation-members", slug=org.slug)
        return _members_page(request, org, invite_form=form, status=400)
    return _members_page(request, org)


@login_required
@require_POST
def membership_role(request, slug, pk):
    org = selectors.organisation_get(slug=slug)
    membership = selectors.membership_get(organisation=org, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
    else:
        try:
            services.membership_set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The role of %(name)s is changed.") % {"name": membership.user})
    return redirect("accounts:organisation-members", slug=org.slug)


@login_required
@require_POST
def membership_remove(request, slug, pk):
    org = selectors.organisation_get(slug=slug)
    membership = selectors.membership_get(organisation=org, pk=pk)
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:organisation-members" if not leaving or selectors.user_can_manage_org(request.user, org)
                        else "accounts:organisation", slug=org.slug)
    if leaving:
        messages.success(request, _("You have left %(organisation)s.") % {"organisation": org})
        return redirect("accounts:account")
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect("accounts:organisation-members", slug=org.slug)


@login_required
@require_POST
def invitation_cancel(request, slug, pk):
    org = selectors.organisation_get(slug=slug)
    invitation = selectors.invitation_get(organisation=org, pk=pk)
    try:
        services.invitation_cancel(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    return redirect("accounts:organisation-members", slug=org.slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The invitee's page: sign up or sign in, then accept."""
    try:
        invitation = services.invitation_get_by_token(token=token)
    except ValidationError as error:
        return render(request, "accounts/invitation.html", {"error": error.messages[0]}, status=404)
    error = ""
    if not invitation.is_pending:
        error = services.ERR_INVITATION_EXPIRED if invitation.is_expired and not (
            invitation.accepted_at or invitation.cancelled_at) else services.ERR_INVITATION_USED
    elif request.user.is_authenticated and request.user.email.lower() != invitation.email.lower():
        error = services.ERR_INVITATION_WRONG_USER
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Welcome: you are now a member of %(organisation)s.")
                             % {"organisation": membership.organisation})
            return redirect(membership.organisation.get_absolute_url())
    return render(request, "accounts/invitation.html", {
        "invitation": invitation,
        "error": str(error),
        "wrong_user": error == services.ERR_INVITATION_WRONG_USER,
        "account_exists": selectors.user_exists(email=invitation.email),
    }, status=400 if error else 200)

