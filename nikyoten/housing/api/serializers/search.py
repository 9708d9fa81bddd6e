from django.urls import reverse
from rest_framework import serializers

from nikyoten.housing.models import Listing, ListingPhoto, SavedSearch
from nikyoten.housing.querysets import stale_before

LISTING_FIELDS = [
    "id",
    "title",
    "kind",
    "kind_label",
    "status",
    "status_label",
    "prefecture",
    "municipality",
    "organization",
    "sale_price_yen",
    "rent_yen",
    "floor_plan",
    "building_area_m2",
    "land_area_m2",
    "year_built",
    "structure",
    "condition",
    "parking_spaces",
    "has_farmland",
    "has_shop",
    "pets",
    "internet",
    "latitude",
    "longitude",
    "last_confirmed_at",
    "possibly_outdated",
    "has_trial_stay",
    "is_sample",
    "created_at",
    "updated_at",
    "photos",
]


class ListingPlaceOutputSerializer(serializers.Serializer[object]):
    code = serializers.CharField(source="pk")
    name = serializers.CharField()


class ListingOrganizationOutputSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ListingPhotoOutputSerializer(serializers.ModelSerializer[ListingPhoto]):
    class Meta:
        model = ListingPhoto
        fields = ["image", "alt_text"]


class ListingOutputSerializer(serializers.ModelSerializer[Listing]):
    """A listing's public facts (no owner or lease details)."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    prefecture = ListingPlaceOutputSerializer()
    municipality = ListingPlaceOutputSerializer()
    organization = ListingOrganizationOutputSerializer()
    possibly_outdated = serializers.SerializerMethodField(
        help_text="情報の最終確認から一定期間（既定90日）が過ぎている"
    )
    has_trial_stay = serializers.SerializerMethodField(help_text="お試し滞在の予約を受け付けている")
    photos = ListingPhotoOutputSerializer(many=True)

    class Meta:
        model = Listing
        fields = LISTING_FIELDS

    def get_possibly_outdated(self, listing: Listing) -> bool:
        return listing.last_confirmed_at < stale_before()

    def get_has_trial_stay(self, listing: Listing) -> bool:
        trial_stay = getattr(listing, "trial_stay", None)
        return bool(trial_stay and trial_stay.is_bookable)


class ListingDetailOutputSerializer(ListingOutputSerializer):
    class Meta:
        model = Listing
        fields = [
            *LISTING_FIELDS,
            "description",
            "renovation_notes",
            "heating_notes",
            "snow_notes",
            "postal_code",
            "address",
            "max_term_months",
        ]


class SavedSearchOutputSerializer(serializers.ModelSerializer[SavedSearch]):
    search_url = serializers.SerializerMethodField(help_text="この条件の検索ページ")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "alerts_enabled", "search_url", "created_at", "updated_at"]

    def get_search_url(self, saved_search: SavedSearch) -> str:
        return f"{reverse('housing:listing_list')}?{saved_search.query}"


class SavedSearchInputSerializer(serializers.Serializer[object]):
    name = serializers.CharField(max_length=80)
    query = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        help_text="検索条件（物件一覧 API と同じパラメーターのクエリ文字列）",
    )
    alerts_enabled = serializers.BooleanField(default=True)


class SavedSearchUpdateInputSerializer(serializers.Serializer[object]):
    name = serializers.CharField(max_length=80)
    alerts_enabled = serializers.BooleanField()
