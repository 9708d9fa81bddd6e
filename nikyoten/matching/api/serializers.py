"""Matching API serializers: a profile in, ranked municipalities with their contributions out; saved profiles."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nikyoten.core.exceptions import ApplicationError
from nikyoten.matching.choices import LivingStyle, WorkStyle
from nikyoten.matching.models import MatchingProfile
from nikyoten.matching.ranking import FACTORS, MAX_WEIGHT
from nikyoten.matching.selectors import Wishes
from nikyoten.regions.models import Municipality
from nikyoten.regions.selectors import municipality_resolve
from nikyoten.support.travel_model import Mode

MAX_TOP = 100


class WishesInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A seeker's profile for ranking (nothing is saved)."""

    base = serializers.CharField(
        max_length=40, help_text=_("拠点: 5桁の市区町村コード、6桁の全国地方公共団体コード、または市区町村名")
    )
    adults = serializers.IntegerField(min_value=1, max_value=10, default=1)
    has_senior = serializers.BooleanField(default=False, help_text=_("65歳以上の人がいる"))
    children_ages = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=17), max_length=10, default=list
    )
    work_style = serializers.ChoiceField(choices=WorkStyle.choices)
    living_style = serializers.ChoiceField(choices=LivingStyle.choices)
    trips_per_month = serializers.IntegerField(min_value=0, max_value=31, default=0)
    max_distance_km = serializers.IntegerField(
        min_value=1, max_value=3000, required=False, allow_null=True, help_text=_("拠点からの直線距離の上限")
    )
    max_travel_minutes = serializers.IntegerField(
        min_value=5,
        max_value=1440,
        required=False,
        allow_null=True,
        help_text=_("拠点までの片道の移動時間の上限"),
    )
    budget_monthly_yen = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    weights = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_WEIGHT),
        default=dict,
        help_text=_("重視すること（0〜5）。項目: ") + ", ".join(FACTORS),
    )

    def validate_base(self, value: str) -> Municipality:
        try:
            return municipality_resolve(text=value)
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from exc

    def validate_weights(self, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(FACTORS))
        if unknown:
            raise serializers.ValidationError(
                _("重視することの項目「%(names)s」はありません。") % {"names": "、".join(unknown)}
            )
        return {key: weight for key, weight in value.items() if weight}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("max_distance_km") is not None and attrs.get("max_travel_minutes") is not None:
            raise serializers.ValidationError(
                {"max_travel_minutes": [_("距離か移動時間のどちらか一方だけを上限にしてください。")]}
            )
        return attrs

    @staticmethod
    def wishes(data: dict[str, Any]) -> Wishes:
        return Wishes.from_data(data, weights=data["weights"])


class RankingInputSerializer(WishesInputSerializer):
    top = serializers.IntegerField(min_value=1, max_value=MAX_TOP, default=30, help_text=_("返す件数"))


class ContributionOutputSerializer(serializers.Serializer[Any]):
    factor = serializers.ChoiceField(choices=[(f.value, f.value) for f in FACTORS])
    value = serializers.FloatField(
        allow_null=True, help_text=_("元の値（分、件、円、割合、1/0）。データなしは null")
    )
    normalised = serializers.FloatField(allow_null=True, help_text=_("0〜1 に正規化した値（1 が最良）"))
    weight = serializers.FloatField()
    contribution = serializers.FloatField(help_text=_("点数への寄与（重み × 正規化した値）"))
    text_ja = serializers.CharField()
    text_en = serializers.CharField()


class RankedMunicipalityOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    confidence = serializers.FloatField(help_text=_("データの揃い具合（0〜1）"))
    distance_km = serializers.FloatField(allow_null=True)
    minutes = serializers.FloatField(allow_null=True, help_text=_("最速の交通手段での片道の推定時間"))
    mode = serializers.ChoiceField(choices=[(m.value, m.value) for m in Mode], allow_null=True)
    contributions = ContributionOutputSerializer(many=True)


class RankingOutputSerializer(serializers.Serializer[Any]):
    candidates = serializers.IntegerField(help_text=_("条件（距離・移動時間）に合う市区町村の数"))
    results = RankedMunicipalityOutputSerializer(many=True)


class MatchingProfileInputSerializer(WishesInputSerializer):
    name = serializers.CharField(max_length=60)


class MatchingProfileOutputSerializer(serializers.ModelSerializer[MatchingProfile]):
    base = serializers.CharField(source="base_id")
    base_name = serializers.CharField(source="base.name")

    class Meta:
        model = MatchingProfile
        fields = [
            "id",
            "name",
            "adults",
            "has_senior",
            "children_ages",
            "work_style",
            "living_style",
            "base",
            "base_name",
            "trips_per_month",
            "max_distance_km",
            "max_travel_minutes",
            "budget_monthly_yen",
            "weights",
            "created_at",
            "updated_at",
        ]
