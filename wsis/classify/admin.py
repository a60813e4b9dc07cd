from django.contrib import admin

from .models import InitiativeSuggestion, SuggestionRun


@admin.register(SuggestionRun)
class SuggestionRunAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "scope", "backend", "processed", "total", "with_suggestions", "created_at")
    list_filter = ("status", "scope")
    readonly_fields = ("created_at", "updated_at", "started_at", "finished_at")


@admin.register(InitiativeSuggestion)
class InitiativeSuggestionAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "initiative", "sdgs", "new_goals", "decision")
    list_filter = ("decision",)
    raw_id_fields = ("run", "initiative", "decided_by")
