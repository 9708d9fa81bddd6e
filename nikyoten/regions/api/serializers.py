from typing import Any

from rest_framework import serializers

from nikyoten.regions.models import DatasetImport, Municipality, MunicipalityAlias, Prefecture
from nikyoten.regions.selectors import EnvironmentFact, EnvironmentSection, Location, PostalAddress


class PrefectureOutputSerializer(serializers.ModelSerializer[Prefecture]):
    municipality_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Prefecture
        fields = [
            "code",
            "lg_code",
            "name",
            "short_name",
            "kana",
            "name_en",
            "iso_code",
            "region_block",
            "municipality_count",
        ]


class MunicipalityRefSerializer(serializers.ModelSerializer[Municipality]):
    class Meta:
        model = Municipality
        fields = ["code", "name", "kind"]


class MunicipalityOutputSerializer(serializers.ModelSerializer[Municipality]):
    prefecture = serializers.CharField(source="prefecture_id")
    prefecture_name = serializers.CharField(source="prefecture.name")
    parent = MunicipalityRefSerializer(allow_null=True)

    class Meta:
        model = Municipality
        fields = [
            "code",
            "lg_code",
            "name",
            "kana",
            "romaji",
            "name_en",
            "kind",
            "prefecture",
            "prefecture_name",
            "parent",
            "gun",
            "area_km2",
            "inside_lat",
            "inside_lng",
            "office_lat",
            "office_lng",
            "office_outside_territory",
            "valid_from",
            "valid_to",
        ]


class MunicipalityAliasOutputSerializer(serializers.ModelSerializer[MunicipalityAlias]):
    class Meta:
        model = MunicipalityAlias
        fields = ["name", "kind", "valid_to"]


class MunicipalityDetailOutputSerializer(MunicipalityOutputSerializer):
    aliases = MunicipalityAliasOutputSerializer(many=True)
    wards = serializers.SerializerMethodField()

    class Meta(MunicipalityOutputSerializer.Meta):
        fields = [*MunicipalityOutputSerializer.Meta.fields, "aliases", "wards"]

    def get_wards(self, obj: Municipality) -> list[dict[str, str]]:
        return MunicipalityRefSerializer([w for w in obj.wards.all() if w.is_current], many=True).data  # type: ignore[return-value]


class LocateInputSerializer(serializers.Serializer[None]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class LocationOutputSerializer(serializers.Serializer[Location]):
    municipality = MunicipalityOutputSerializer()
    ward = MunicipalityOutputSerializer(allow_null=True)


class PostalAddressOutputSerializer(serializers.Serializer[PostalAddress]):
    municipality_code = serializers.CharField(source="municipality.code")
    prefecture_code = serializers.CharField(source="municipality.prefecture_id")
    prefecture = serializers.CharField(source="prefecture_name")
    city = serializers.CharField(source="city_name")
    town = serializers.CharField()
    town_kana = serializers.CharField()


class PostalCodeOutputSerializer(serializers.Serializer[dict[str, Any]]):
    postal_code = serializers.CharField()
    addresses = PostalAddressOutputSerializer(many=True)


class DatasetImportOutputSerializer(serializers.ModelSerializer[DatasetImport]):
    dataset_name = serializers.CharField(source="get_dataset_display")

    class Meta:
        model = DatasetImport
        fields = ["dataset", "dataset_name", "edition", "source_name", "imported_at"]


class EnvironmentFactOutputSerializer(serializers.Serializer[EnvironmentFact]):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    value = serializers.FloatField(allow_null=True, help_text="null: データなし（取り込まれたデータがない）")
    unit = serializers.CharField()
    reference_year = serializers.IntegerField(allow_null=True)
    sources = DatasetImportOutputSerializer(many=True)


class EnvironmentSectionOutputSerializer(serializers.Serializer[EnvironmentSection]):
    title = serializers.CharField()
    note = serializers.CharField()
    facts = EnvironmentFactOutputSerializer(many=True)


class MunicipalityEnvironmentOutputSerializer(serializers.Serializer[dict[str, Any]]):
    municipality = MunicipalityRefSerializer()
    sections = EnvironmentSectionOutputSerializer(many=True)
