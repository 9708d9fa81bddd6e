"""Serializers of the staff-only akiya API: cases, owners and campaigns."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nikyoten.housing.choices import AkiyaSource, AkiyaStage, CampaignResponse
from nikyoten.housing.models import AkiyaCase, Campaign, CampaignLetter, Owner


class AkiyaCaseOutputSerializer(serializers.ModelSerializer[AkiyaCase]):
    """A case; for a case only shared under an owner's consent (`is_own` false), the member-only fields are null."""

    is_own = serializers.BooleanField(
        help_text=_("自分の組織の案件か（false: 所有者の同意で共有された案件）")
    )
    municipality = serializers.CharField(source="municipality_id")
    source = serializers.SerializerMethodField()  # type: ignore[assignment]  # the field's name, not DRF's `source`
    discovered_on = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    listing = serializers.SerializerMethodField()

    class Meta:
        model = AkiyaCase
        fields = [
            "id",
            "organization",
            "municipality",
            "reference",
            "address",
            "latitude",
            "longitude",
            "stage",
            "stage_changed_on",
            "source",
            "discovered_on",
            "notes",
            "listing",
            "is_own",
            "is_sample",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=AkiyaSource.choices, allow_null=True))
    def get_source(self, obj: AkiyaCase) -> str | None:
        return obj.source if obj.is_own else None  # type: ignore[attr-defined]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_discovered_on(self, obj: AkiyaCase) -> str | None:
        return obj.discovered_on.isoformat() if obj.is_own else None  # type: ignore[attr-defined]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, obj: AkiyaCase) -> str | None:
        return obj.notes if obj.is_own else None  # type: ignore[attr-defined]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_listing(self, obj: AkiyaCase) -> int | None:
        return obj.listing_id if obj.is_own else None  # type: ignore[attr-defined]


class AkiyaCaseFilterSerializer(serializers.Serializer[dict[str, Any]]):
    organization = serializers.IntegerField(required=False, help_text=_("担当組織の ID"))
    stage = serializers.ChoiceField(choices=AkiyaStage.choices, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text=_("管理番号・所在地の部分一致"))


class AkiyaCaseInputSerializer(serializers.Serializer[dict[str, Any]]):
    reference = serializers.CharField(max_length=40)
    address = serializers.CharField(max_length=200)
    source = serializers.ChoiceField(choices=AkiyaSource.choices)  # type: ignore[assignment]  # a field named source
    discovered_on = serializers.DateField()
    latitude = serializers.FloatField(min_value=20, max_value=46, allow_null=True, default=None)
    longitude = serializers.FloatField(min_value=122, max_value=154, allow_null=True, default=None)
    notes = serializers.CharField(allow_blank=True, default="")


class AkiyaCaseCreateInputSerializer(AkiyaCaseInputSerializer):
    organization = serializers.IntegerField(help_text=_("担当組織の ID"))


class AkiyaCaseMoveInputSerializer(serializers.Serializer[dict[str, Any]]):
    to_stage = serializers.ChoiceField(choices=AkiyaStage.choices)
    occurred_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, default="")
    listing = serializers.IntegerField(
        allow_null=True, default=None, help_text=_("管理・公開に進めるときに紐づける、同じ組織の物件の ID")
    )


class OwnerOutputSerializer(serializers.ModelSerializer[Owner]):
    class Meta:
        model = Owner
        fields = [
            "id",
            "case",
            "kind",
            "name",
            "name_kana",
            "is_heir",
            "relation",
            "postal_code",
            "address",
            "phone",
            "email",
            "is_sample",
        ]


class CampaignOutputSerializer(serializers.ModelSerializer[Campaign]):
    letter_count = serializers.IntegerField(help_text=_("文書の数"))
    response_count = serializers.IntegerField(help_text=_("回答の数（宛先不明の返送を除く）"))

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "title",
            "letter_subject",
            "letter_body",
            "sent_on",
            "letter_count",
            "response_count",
            "is_sample",
        ]


class CampaignLetterOutputSerializer(serializers.ModelSerializer[CampaignLetter]):
    owner_name = serializers.CharField(source="owner.name")
    case_reference = serializers.CharField(source="case.reference")

    class Meta:
        model = CampaignLetter
        fields = [
            "id",
            "case",
            "case_reference",
            "owner",
            "owner_name",
            "response",
            "responded_on",
            "response_note",
        ]


class ResponseRateOutputSerializer(serializers.Serializer[Any]):
    months = serializers.IntegerField(help_text=_("発送からの月数"))
    window_end = serializers.DateField()
    elapsed = serializers.BooleanField(help_text=_("期間が終わっているか（false の間は増えることがある）"))
    letters = serializers.IntegerField()
    responses = serializers.IntegerField()
    undeliverable = serializers.IntegerField(help_text=_("宛先不明で返送された数"))
    percent = serializers.FloatField(help_text=_("回答率（%）= 回答 ÷ 発送した文書"))


class CampaignDetailOutputSerializer(CampaignOutputSerializer):
    letters = serializers.SerializerMethodField()
    response_rates = serializers.SerializerMethodField()

    class Meta(CampaignOutputSerializer.Meta):
        fields = [*CampaignOutputSerializer.Meta.fields, "letters", "response_rates"]

    @extend_schema_field(CampaignLetterOutputSerializer(many=True))
    def get_letters(self, obj: Campaign) -> Any:
        return CampaignLetterOutputSerializer(self.context["letters"], many=True).data

    @extend_schema_field(ResponseRateOutputSerializer(many=True))
    def get_response_rates(self, obj: Campaign) -> Any:
        return ResponseRateOutputSerializer(self.context["rates"], many=True).data


class CampaignLetterRespondInputSerializer(serializers.Serializer[dict[str, Any]]):
    response = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in CampaignResponse if r != CampaignResponse.PENDING]
    )
    responded_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, default="")
    move_case = serializers.BooleanField(default=False, help_text=_("活用に前向きなら案件を意向確認に進める"))
