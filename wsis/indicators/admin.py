"""Admin for the indicator catalogue. Observations are read-only here: they change through imports only."""

from django.contrib import admin

from .models import Indicator, Observation, WSISTargetIndicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "unit", "aggregation", "sdg_indicator", "order"]
    list_filter = ["unit", "aggregation"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]
    autocomplete_fields = []
    raw_id_fields = ["sdg_indicator"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "country", "group_code", "year", "value", "sex", "area", "age"]
    list_filter = ["indicator", "sex", "area"]
    search_fields = ["country__iso3", "country__name_en", "group_code", "group_name"]
    list_select_related = ["indicator", "country"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WSISTargetIndicator)
class WSISTargetIndicatorAdmin(admin.ModelAdmin):
    list_display = ["wsis_target", "indicator", "threshold", "scope"]
    list_select_related = ["wsis_target", "indicator"]
