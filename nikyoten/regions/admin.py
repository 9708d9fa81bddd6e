from django.contrib import admin

from nikyoten.regions.models import Municipality, MunicipalityAlias, Prefecture, ReferenceDataLoad


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data changes only through `load_reference_data`."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Prefecture)
class PrefectureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kana", "name_en", "iso_code", "region_block"]


class AliasInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MunicipalityAlias
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "lg_code", "name", "kana", "kind", "prefecture", "area_km2", "valid_to"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "kana", "romaji"]
    inlines = [AliasInline]


@admin.register(ReferenceDataLoad)
class ReferenceDataLoadAdmin(ReadOnlyAdmin):
    list_display = ["loaded_at", "created", "updated", "unchanged"]
