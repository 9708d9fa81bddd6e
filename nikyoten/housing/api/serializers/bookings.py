"""Trial-stay booking API: units, availability, bookings and the inputs of the workflow steps."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nikyoten.housing.models import Booking, TrialStayUnit
from nikyoten.housing.selectors.bookings import AVAILABILITY_MAX_DAYS, UNIT_SETTINGS, first_bookable_day

_DATE_ERRORS: dict[str, Any] = {
    "invalid": _("日付は 2027-01-15 の形式で指定してください。"),
    "required": _("日付を指定してください。"),
    "null": _("日付を指定してください。"),
}


class PlaceOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    prefecture = serializers.CharField(source="prefecture.name")


class TrialStayOutputSerializer(serializers.ModelSerializer[TrialStayUnit]):
    listing_id = serializers.IntegerField()
    title = serializers.CharField(source="listing.title")
    kind = serializers.CharField(source="listing.kind")
    municipality = PlaceOutputSerializer(source="listing.municipality")
    organization = serializers.CharField(source="listing.organization.name")
    is_sample = serializers.BooleanField(source="listing.is_sample")
    first_bookable_date = serializers.SerializerMethodField()

    class Meta:
        model = TrialStayUnit
        fields = [
            "id",
            "listing_id",
            "title",
            "kind",
            "municipality",
            "organization",
            *UNIT_SETTINGS,
            "is_sample",
            "first_bookable_date",
        ]

    def get_first_bookable_date(self, unit: TrialStayUnit) -> Any:
        """The earliest start a request made today may ask for."""
        return serializers.DateField().to_representation(first_bookable_day(unit=unit))


class AvailabilityQuerySerializer(serializers.Serializer[Any]):
    """`?from=&to=`: a range of at most AVAILABILITY_MAX_DAYS days, `to` after `from`."""

    start = serializers.DateField(error_messages=_DATE_ERRORS)
    to = serializers.DateField(error_messages=_DATE_ERRORS)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        return {"from": fields.pop("start"), **fields}  # `from` is a Python keyword

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs["from"], attrs["to"]
        if end <= start:
            raise serializers.ValidationError({"to": [_("to は from より後の日付にしてください。")]})
        if (end - start).days > AVAILABILITY_MAX_DAYS:
            raise serializers.ValidationError(
                {"to": [_("一度に確認できるのは%(days)s日までです。") % {"days": AVAILABILITY_MAX_DAYS}]}
            )
        return attrs


class StayOutputSerializer(serializers.Serializer[Any]):
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class AvailabilityOutputSerializer(serializers.Serializer[Any]):
    from_ = serializers.DateField()
    to = serializers.DateField()
    available = serializers.BooleanField(help_text="この期間に確定した予約が1件もないか。")
    confirmed = StayOutputSerializer(many=True, help_text="期間と重なる確定済みの滞在（日付だけ）。")
    first_bookable_date = serializers.DateField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        return {"from": fields.pop("from_"), **fields}


class BookingInputSerializer(serializers.Serializer[Any]):
    start_date = serializers.DateField(error_messages=_DATE_ERRORS)
    end_date = serializers.DateField(error_messages=_DATE_ERRORS)
    guests = serializers.IntegerField(min_value=1, max_value=99)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BookingDecisionInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SeekerOutputSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField()
    email = serializers.EmailField()


class BookingOutputSerializer(serializers.ModelSerializer[Booking]):
    """A booking, for its seeker and the unit's organization only."""

    trial_stay_id = serializers.IntegerField(source="unit_id")
    title = serializers.CharField(source="unit.listing.title")
    seeker = SeekerOutputSerializer()

    class Meta:
        model = Booking
        fields = [
            "id",
            "trial_stay_id",
            "title",
            "seeker",
            "start_date",
            "end_date",
            "guests",
            "message",
            "status",
            "decision_note",
            "decided_at",
            "cancelled_at",
            "created_at",
        ]
