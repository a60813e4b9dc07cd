from django import forms
from django.contrib import admin

from . import models
from .services import speaker_conflict_message


class PhaseInline(admin.TabularInline):
    model = models.ConsultationPhase
    extra = 0
    fields = ["number", "kind", "name", "starts_on", "ends_on", "accepts", "meeting_format", "note"]


class RoomInline(admin.TabularInline):
    model = models.Room
    extra = 0


@admin.register(models.ForumEdition)
class ForumEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "start_date", "end_date", "format", "is_current", "is_demo"]
    list_filter = ["format", "is_current", "is_demo"]
    search_fields = ["title", "theme", "venue"]
    inlines = [PhaseInline, RoomInline]


class SubmissionSpeakerInline(admin.TabularInline):
    model = models.SubmissionSpeaker
    extra = 0


@admin.register(models.Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read and correct submissions; decisions go through the review page so that they are audited and mailed."""

    list_display = ["title", "edition", "kind", "state", "organisation", "commission", "created_at"]
    list_filter = ["edition", "kind", "state"]
    search_fields = ["title", "summary", "organisation__name"]
    raw_id_fields = ["organisation", "submitted_by", "merged_into", "decided_by"]
    readonly_fields = ["state", "decided_by", "decided_at", "decision_reason", "merged_into"]
    filter_horizontal = ["action_lines", "goals"]
    inlines = [SubmissionSpeakerInline]


class SessionSpeakerFormSet(forms.BaseInlineFormSet):
    """Refuses a speaker who already speaks elsewhere at the session's time (as scheduling does)."""

    def clean(self):
        super().clean()
        if self.instance.pk is None or not self.instance.is_scheduled:
            return
        keys = [models.SessionSpeaker.make_key(f.cleaned_data["name"]) for f in self.forms
                if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")]
        message = speaker_conflict_message(session=self.instance, keys=keys)
        if message:
            raise forms.ValidationError(message)


class SessionSpeakerInline(admin.TabularInline):
    model = models.SessionSpeaker
    formset = SessionSpeakerFormSet
    extra = 0
    exclude = ["key"]


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    """Create sessions that come from no proposal; scheduling goes through the schedule page (conflict checks)."""

    list_display = ["title", "edition", "type", "track", "room", "starts_at"]
    list_filter = ["edition", "type", "track"]
    search_fields = ["title", "organisers"]
    raw_id_fields = ["submission", "organisation"]
    readonly_fields = ["room", "starts_at", "ends_at"]
    filter_horizontal = ["action_lines", "goals"]
    inlines = [SessionSpeakerInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, models.SessionSpeaker):
                obj.key = models.SessionSpeaker.make_key(obj.name)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(models.SessionOutcome)
class SessionOutcomeAdmin(admin.ModelAdmin):
    list_display = ["session", "submitted_by", "updated_at"]
    raw_id_fields = ["session", "submitted_by"]
    filter_horizontal = ["action_lines", "goals"]


@admin.register(models.OutcomeDocument)
class OutcomeDocumentAdmin(admin.ModelAdmin):
    list_display = ["edition", "status", "compiled_at", "session_count"]
    readonly_fields = ["status", "compiled_at", "compiled_by", "session_count", "pdf", "docx", "message"]


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date", "title_en", "kind", "reference"]
    list_filter = ["kind", "precision"]
    search_fields = ["title_en", "reference", "description_en"]
    prepopulated_fields = {"slug": ["title_en"]}
    raw_id_fields = ["edition", "hlpf_session"]
