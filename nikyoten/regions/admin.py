from django.contrib import admin

from nikyoten.regions.models import (
    DatasetImport,
    Facility,
    Municipality,
    MunicipalityAlias,
    Prefecture,
    ReferenceDataLoad,
    RegionFact,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference and official data change only through `load_reference_data` and the import commands."""

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


@admin.register(DatasetImport)
class DatasetImportAdmin(ReadOnlyAdmin):
    list_display = ["dataset", "edition", "source_name", "imported_at", "rows_read", "rows_imported"]
    list_filter = ["dataset"]
    exclude = ["coverage"]


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "municipality", "dataset_import"]
    list_filter = ["kind", "dataset_import__dataset"]
    list_select_related = ["municipality", "dataset_import"]
    search_fields = ["name", "address", "municipality__name"]
    raw_id_fields = ["municipality", "dataset_import"]


@admin.register(RegionFact)
class RegionFactAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "key", "value", "reference_year", "computed_at"]
    list_filter = ["key"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__code", "municipality__name"]
    raw_id_fields = ["municipality"]
