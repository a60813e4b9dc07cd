from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from wsis.core.permissions import GLOBAL_ROLES, RoleGrant

from . import services
from .models import ApiToken, Membership, Organisation, OrganisationInvitation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class RoleGrantInline(admin.TabularInline):
    """The user's roles, read only: roles are given and withdrawn on the role grant pages (audited)."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "scope_type", "scope_id", "granted_by", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "email_verified", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_superuser", "is_active", "email_verified"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "preferred_language", "email_verified")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    inlines = [MembershipInline, RoleGrantInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "stakeholder_type", "country"]
    list_filter = ["stakeholder_type"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    list_select_related = ["stakeholder_type", "country"]
    inlines = [MembershipInline]


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "scope_type", "scope_id"]

    def clean(self):
        cleaned = super().clean()
        scope_type, scope_id = cleaned.get("scope_type"), cleaned.get("scope_id")
        if (scope_type is None) != (scope_id is None):
            raise ValidationError(_("Give both the scope type and the scope id, or neither."))
        if scope_type is not None and cleaned.get("role") in GLOBAL_ROLES:
            raise ValidationError(services.ERR_ROLE_GLOBAL)
        cleaned["scope"] = None
        if scope_type is not None:
            try:
                cleaned["scope"] = scope_type.get_object_for_this_type(pk=scope_id)
            except ObjectDoesNotExist:
                self.add_error("scope_id", _("There is no such object."))
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Grants are added and deleted through the accounts services (audit row); a grant is not edited:
    withdraw it and give the new one."""

    form = RoleGrantForm
    list_display = ["user", "role", "scope_type", "scope_id", "granted_by", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "scope_type", "granted_by"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "role", "scope_type", "scope_id", "granted_by", "created_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read only on an existing grant
        grant = services.role_grant_create(actor=request.user, user=obj.user, role=obj.role,
                                           scope=form.cleaned_data.get("scope"))
        obj.pk = grant.pk

    def delete_model(self, request, obj):
        services.role_grant_revoke(actor=request.user, grant=obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user"):
            services.role_grant_revoke(actor=request.user, grant=grant)


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "expires_at", "accepted_at",
                    "cancelled_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    autocomplete_fields = ["organisation"]
    # Invitations are made through the members page (which sends the e-mail); here they are only read.
    readonly_fields = ["organisation", "email", "role", "invited_by", "expires_at", "accepted_at", "accepted_by",
                       "cancelled_at", "created_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created", "expires_at", "last_used"]
    search_fields = ["name", "user__email", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "scope", "created", "expires_at", "last_used"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        # A key is shown once to its owner; an administrator may only revoke (delete) tokens here.
        return False
