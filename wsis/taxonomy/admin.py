from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from . import models


class TranslatedAdmin(admin.ModelAdmin):
    save_on_top = True


class ProvenanceInline(GenericTabularInline):
    """The source, date checked and status of each fact of the record (see taxonomy.Provenance)."""

    model = models.Provenance
    fields = ["field", "language", "status", "source", "checked_on", "note"]
    extra = 0


@admin.register(models.Provenance)
class ProvenanceAdmin(admin.ModelAdmin):
    """Every shipped fact's provenance. Give a later ``checked on`` when you re-check a fact: a reload of the
    data files keeps a row checked later than the file, so update the file as well."""

    list_display = ["__str__", "status", "source", "checked_on"]
    list_filter = ["status", "content_type", "field", "language"]
    search_fields = ["source", "note", "field"]
    list_select_related = ["content_type"]
    readonly_fields = ["content_type", "object_id", "field", "language"]

    def has_add_permission(self, request):
        return False


class FacilitatorInline(admin.TabularInline):
    model = models.ActionLineFacilitator
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(models.Agency)
class AgencyAdmin(TranslatedAdmin):
    list_display = ["code", "name_en", "url"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


@admin.register(models.StakeholderType)
class StakeholderTypeAdmin(TranslatedAdmin):
    list_display = ["code", "name_en", "order"]


@admin.register(models.ActionLine)
class ActionLineAdmin(TranslatedAdmin):
    list_display = ["code", "name_en", "parent", "is_leaf", "order"]
    list_filter = ["is_leaf"]
    search_fields = ["code", "name_en"]
    inlines = [FacilitatorInline, ProvenanceInline]


class TargetInline(admin.TabularInline):
    model = models.Target
    fields = ["code", "title_en"]
    extra = 0
    show_change_link = True


@admin.register(models.Goal)
class GoalAdmin(TranslatedAdmin):
    list_display = ["number", "short_name_en", "colour"]
    inlines = [TargetInline]


@admin.register(models.Target)
class TargetAdmin(TranslatedAdmin):
    list_display = ["code", "goal", "title_en"]
    list_filter = ["goal"]
    search_fields = ["code", "title_en"]


@admin.register(models.Indicator)
class IndicatorAdmin(TranslatedAdmin):
    list_display = ["code", "target", "title_en"]
    search_fields = ["code", "title_en"]
    list_select_related = ["target"]


@admin.register(models.MatrixVersion)
class MatrixVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "is_current", "created_at", "source"]
    inlines = [ProvenanceInline]


@admin.register(models.MatrixLink)
class MatrixLinkAdmin(admin.ModelAdmin):
    list_display = ["action_line", "goal", "target", "version"]
    list_filter = ["version", "action_line", "goal"]
    list_select_related = ["action_line", "goal", "target", "version"]
    search_fields = ["rationale", "target__code"]
    autocomplete_fields = ["target"]


@admin.register(models.Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["m49", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name_en", "m49"]


class MembershipInline(admin.TabularInline):
    model = models.CommissionMembership
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(models.RegionalCommission)
class RegionalCommissionAdmin(TranslatedAdmin):
    list_display = ["code", "name_en", "as_of"]
    inlines = [MembershipInline, ProvenanceInline]


@admin.register(models.Country)
class CountryAdmin(TranslatedAdmin):
    list_display = ["iso3", "name_en", "region", "is_un_member", "ldc", "lldc", "sids"]
    list_filter = ["is_un_member", "ldc", "lldc", "sids", "region"]
    search_fields = ["iso3", "iso2", "name_en", "name_fr", "name_es", "name_ru", "name_ar", "name_zh_hans"]
    list_select_related = ["region"]


@admin.register(models.CountryGroup)
class CountryGroupAdmin(TranslatedAdmin):
    list_display = ["code", "name_en", "as_of"]
    filter_horizontal = ["members"]
    inlines = [ProvenanceInline]


@admin.register(models.HLPFSession)
class HLPFSessionAdmin(TranslatedAdmin):
    list_display = ["year", "dates", "theme_en"]
    filter_horizontal = ["goals"]
    inlines = [ProvenanceInline]


@admin.register(models.WSISTarget)
class WSISTargetAdmin(TranslatedAdmin):
    list_display = ["number", "text_en"]
    inlines = [ProvenanceInline]
