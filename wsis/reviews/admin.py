from django.contrib import admin

from . import models


class QuestionInline(admin.TabularInline):
    model = models.Question
    extra = 0
    fields = ["order", "code", "kind", "required", "condition_question", "condition_value", "prefill"]
    fk_name = "section"
    raw_id_fields = ["condition_question"]


@admin.register(models.ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    list_display = ["commission", "year", "title", "state", "opens_on", "closes_on"]
    list_filter = ["state", "commission"]
    search_fields = ["title"]
    filter_horizontal = ["goals"]


@admin.register(models.QuestionnaireSection)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "action_line", "order"]
    list_filter = ["questionnaire__cycle__commission"]
    inlines = [QuestionInline]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "country", "email", "state", "sent_at", "accepted_at", "last_reminded_at"]
    list_filter = ["state", "cycle__commission"]
    search_fields = ["email", "country__name_en"]
    readonly_fields = ["token"]


@admin.register(models.Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["cycle", "country", "state", "submitted_at", "submitted_by"]
    list_filter = ["state", "cycle__commission"]


@admin.register(models.Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["response", "email", "accepted_at", "revoked"]
    readonly_fields = ["token"]


@admin.register(models.ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ["cycle", "version", "language", "status", "progress", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["data", "messages"]


@admin.register(models.ForumSubmissionRecord)
class ForumSubmissionRecordAdmin(admin.ModelAdmin):
    list_display = ["report", "status", "forum_edition", "forum_submission_id", "created_at"]
    list_filter = ["status"]
