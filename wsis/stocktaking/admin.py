from django.contrib import admin

from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeRevision,
    InitiativeTarget,
    InitiativeTargetGroup,
)


class ActionLineTagInline(admin.TabularInline):
    model = InitiativeActionLine
    extra = 0
    autocomplete_fields = ["action_line"]


class GoalTagInline(admin.TabularInline):
    model = InitiativeGoal
    extra = 0


class TargetTagInline(admin.TabularInline):
    model = InitiativeTarget
    extra = 0
    raw_id_fields = ["target"]


class TargetGroupInline(admin.TabularInline):
    model = InitiativeTargetGroup
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    """Read-mostly: state changes belong to the moderation services, which keep revisions and audit rows."""

    list_display = ["title", "organisation", "state", "year", "published_at"]
    list_filter = ["state", "kind", "status", "coverage"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by"]
    filter_horizontal = ["countries"]
    readonly_fields = ["state", "published_at", "submitted_at", "last_reviewed_at", "created_at", "updated_at"]
    exclude = ["search_vector"]
    inlines = [ActionLineTagInline, GoalTagInline, TargetTagInline, TargetGroupInline]
    list_select_related = ["organisation"]


@admin.register(InitiativeRevision)
class InitiativeRevisionAdmin(admin.ModelAdmin):
    list_display = ["initiative", "number", "state", "pending", "author", "created_at"]
    list_filter = ["state", "pending"]
    raw_id_fields = ["initiative", "author"]
    readonly_fields = ["initiative", "number", "created_at", "author", "reason", "state", "pending", "data"]

    def has_add_permission(self, request):
        # Revisions are written by the services only; an empty add form failed with a 500 (issue 13 matrix).
        return False
