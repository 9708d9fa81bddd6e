"""The one listing filter set: the search page, the listings API, the exports and saved searches all use it."""

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from nikyoten.core.i18n import pick
from nikyoten.housing.choices import (
    PUBLIC_STATUS_CHOICES,
    BuildingCondition,
    BuildingStructure,
    InternetAccess,
    ListingKind,
    ListingSort,
    PetPolicy,
)
from nikyoten.housing.models import Listing, ListingPhoto
from nikyoten.housing.querysets import stale_before
from nikyoten.housing.search import keyword_filter
from nikyoten.regions.models import Municipality, Prefecture

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: 間取り types as the model's validator spells them; the leading number is the count of rooms.
FLOOR_PLAN_TYPES = ("R", "K", "DK", "LDK", "SK", "SDK", "SLDK")
ONE_ROOM = "ワンルーム"
ROOMS_AT_LEAST = (1, 2, 3, 4, 5)

ORDERINGS: dict[str, tuple[Any, ...]] = {
    ListingSort.UPDATED: ("-updated_at", "-id"),
    ListingSort.NEW: ("-created_at", "-id"),
    ListingSort.PRICE_ASC: (F("sale_price_yen").asc(nulls_last=True), "-id"),
    ListingSort.PRICE_DESC: (F("sale_price_yen").desc(nulls_last=True), "-id"),
    ListingSort.RENT_ASC: (F("rent_yen").asc(nulls_last=True), "-id"),
    ListingSort.RENT_DESC: (F("rent_yen").desc(nulls_last=True), "-id"),
    ListingSort.AREA: (F("building_area_m2").desc(nulls_last=True), "-id"),
}


def rooms_of(floor_plan: str) -> int | None:
    """The number of rooms a 間取り names (ワンルーム is one), or None when it names none."""
    if floor_plan == ONE_ROOM:
        return 1
    digits = "".join(ch for ch in floor_plan[:2] if ch.isdigit())
    return int(digits) if digits else None


def rooms_at_least(minimum: int) -> Q:
    """Listings whose 間取り has at least `minimum` (1–9) rooms, in SQL on both databases.

    A one-digit plan compares as text ("4LDK" ≥ "4", and below ":" which follows "9"); a plan whose second
    character is a digit has ten rooms or more (the alias `floor_plan_second` must be set, see `filter_rooms`).
    """
    rooms = Q(floor_plan__gte=str(minimum), floor_plan__lt=":") | Q(
        floor_plan_second__gte="0", floor_plan_second__lte="9"
    )
    return rooms | Q(floor_plan=ONE_ROOM) if minimum <= 1 else rooms


def canonical_query(params: Any) -> str:
    """The search in `params` as a query string: the filters' non-empty parameters only, in a stable order."""
    query = QueryDict(mutable=True)
    for key in sorted(set(params.keys()) & set(ListingFilterSet.base_filters)):
        values = sorted(value for value in params.getlist(key) if value.strip())
        if values:
            query.setlist(key, values)
    return query.urlencode()


class BoundingBox(NamedTuple):
    south: float
    west: float
    north: float
    east: float


def parse_bbox(text: str) -> BoundingBox:
    """`south,west,north,east` in decimal degrees; ValueError with a Japanese message for anything else."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 4:
        raise ValueError(_("地図の範囲は「南,西,北,東」の4つの数値で指定してください。"))
    try:
        south, west, north, east = (float(part) for part in parts)
    except ValueError:
        raise ValueError(_("地図の範囲に数値でない値があります。")) from None
    if not (-90 <= south <= 90 and -90 <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError(_("緯度は -90〜90、経度は -180〜180 の範囲で指定してください。"))
    if south >= north or west >= east:
        raise ValueError(_("地図の範囲は、南を北より小さく、西を東より小さく指定してください。"))
    return BoundingBox(south, west, north, east)


class BoundingBoxField(forms.CharField):
    def clean(self, value: Any) -> BoundingBox | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_bbox(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


@extend_schema_field(OpenApiTypes.STR)
class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def filter(self, qs: QuerySet[Listing], value: BoundingBox | None) -> QuerySet[Listing]:
        if value is None:
            return qs
        return qs.filter(
            latitude__gte=value.south,
            latitude__lte=value.north,
            longitude__gte=value.west,
            longitude__lte=value.east,
        )


class FlagFilter(django_filters.BooleanFilter):
    """A checkbox: ticked (`true`) narrows to the listings matching `condition`, anything else leaves all."""

    field_class = forms.BooleanField

    def __init__(self, condition: Callable[[], Q], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.condition = condition

    def filter(self, qs: QuerySet[Listing], value: bool | None) -> QuerySet[Listing]:
        return qs.filter(self.condition()) if value else qs


def _has_photos() -> Q:
    return Q(Exists(ListingPhoto.objects.filter(listing=OuterRef("pk"))))


def _bound(field_name: str, lookup: str, label: "StrOrPromise") -> django_filters.NumberFilter:
    """A lower (`gte`) or upper (`lte`) bound on an amount or an area (never negative)."""
    return django_filters.NumberFilter(field_name=field_name, lookup_expr=lookup, min_value=0, label=label)


def _any_of(choices: Any, label: "StrOrPromise") -> django_filters.MultipleChoiceFilter:
    """Checkboxes: the listings with any of the ticked values (a column of the listing: no join, no DISTINCT)."""
    return django_filters.MultipleChoiceFilter(
        choices=choices, widget=forms.CheckboxSelectMultiple, distinct=False, label=label
    )


class ListingFilterSet(django_filters.FilterSet):
    """Every filter of the listing search; values come as GET parameters (the same names in the API)."""

    q = django_filters.CharFilter(method="filter_keyword", max_length=100, label=_("キーワード"))
    prefecture = django_filters.ModelChoiceFilter(
        queryset=Prefecture.objects.all(),
        label=_("都道府県"),
        error_messages={"invalid_choice": _("都道府県が見つかりません。")},
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.municipalities(),
        label=_("市区町村"),
        error_messages={"invalid_choice": _("市区町村が見つかりません。")},
    )
    kind = _any_of(ListingKind.choices, _("種別"))
    status = _any_of(PUBLIC_STATUS_CHOICES, _("募集状況"))
    sale_price_min = _bound("sale_price_yen", "gte", _("価格（円）の下限"))
    sale_price_max = _bound("sale_price_yen", "lte", _("価格（円）の上限"))
    rent_min = _bound("rent_yen", "gte", _("賃料（円／月）の下限"))
    rent_max = _bound("rent_yen", "lte", _("賃料（円／月）の上限"))
    rooms_min = django_filters.TypedChoiceFilter(
        choices=[(n, _("%(rooms)d部屋以上") % {"rooms": n}) for n in ROOMS_AT_LEAST],
        coerce=int,
        method="filter_rooms",
        label=_("部屋数"),
    )
    floor_plan_type = django_filters.ChoiceFilter(
        choices=[(t, t) for t in FLOOR_PLAN_TYPES] + [(ONE_ROOM, ONE_ROOM)],
        method="filter_floor_plan_type",
        label=_("間取りのタイプ"),
    )
    building_area_min = _bound("building_area_m2", "gte", _("建物面積（m²）の下限"))
    building_area_max = _bound("building_area_m2", "lte", _("建物面積（m²）の上限"))
    land_area_min = _bound("land_area_m2", "gte", _("土地面積（m²）の下限"))
    land_area_max = _bound("land_area_m2", "lte", _("土地面積（m²）の上限"))
    year_built_from = django_filters.NumberFilter(
        field_name="year_built", lookup_expr="gte", label=_("建築年（西暦）から")
    )
    year_built_to = django_filters.NumberFilter(
        field_name="year_built", lookup_expr="lte", label=_("建築年（西暦）まで")
    )
    structure = _any_of(BuildingStructure.choices, _("構造"))
    condition = _any_of(BuildingCondition.choices, _("建物の状態"))
    parking = FlagFilter(lambda: Q(parking_spaces__gte=1), label=_("駐車場あり"))
    farmland = FlagFilter(lambda: Q(has_farmland=True), label=_("農地付き"))
    shop = FlagFilter(lambda: Q(has_shop=True), label=_("店舗付き"))
    pets = FlagFilter(
        lambda: Q(pets__in=[PetPolicy.ALLOWED, PetPolicy.NEGOTIABLE]), label=_("ペット可・相談可")
    )
    fibre = FlagFilter(lambda: Q(internet=InternetAccess.FIBRE), label=_("光回線あり"))
    fresh = FlagFilter(lambda: Q(last_confirmed_at__gte=stale_before()), label=_("最近確認された情報だけ"))
    photos = FlagFilter(_has_photos, label=_("写真あり"))
    trial_stay = FlagFilter(lambda: Q(trial_stay__is_bookable=True), label=_("お試し滞在の予約を受付中"))
    updated_within = django_filters.TypedChoiceFilter(
        choices=[
            (1, _("24時間以内")),
            (3, _("3日以内")),
            (7, _("1週間以内")),
            (30, _("1か月以内")),
            (90, _("3か月以内")),
        ],
        coerce=int,
        method="filter_updated_within",
        label=_("更新日"),
    )
    bbox = BoundingBoxFilter(label=_("地図の範囲（南,西,北,東）"))
    sort = django_filters.ChoiceFilter(
        choices=ListingSort.choices, method="filter_sort", label=_("並び順"), empty_label=None
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def filter_keyword(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        data = self.form.cleaned_data
        return keyword_filter(
            queryset, value, narrowed=bool(data.get("prefecture") or data.get("municipality"))
        )

    def filter_rooms(self, queryset: QuerySet[Listing], name: str, value: int) -> QuerySet[Listing]:
        return queryset.alias(floor_plan_second=Substr("floor_plan", 2, 1)).filter(rooms_at_least(value))

    def filter_floor_plan_type(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        if value == ONE_ROOM:
            return queryset.filter(floor_plan=ONE_ROOM)
        return queryset.filter(floor_plan__in=[f"{rooms}{value}" for rooms in range(1, 100)])

    def filter_updated_within(self, queryset: QuerySet[Listing], name: str, value: int) -> QuerySet[Listing]:
        return queryset.filter(updated_at__gte=timezone.now() - timedelta(days=value))

    def filter_sort(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset.order_by(*ORDERINGS[value])

    @property
    def form(self) -> forms.Form:
        """The form; its municipality list offers the chosen prefecture's only (any code still validates)."""
        if not hasattr(self, "_form"):
            form = super().form
            prefecture = self.data.get("prefecture") if self.data else None
            form.fields["prefecture"].label_from_instance = lambda p: pick(p.name, p.name_en or p.name)
            form.fields["municipality"].widget.choices = partial(municipality_choices, prefecture)
        return self._form


def municipality_choices(prefecture: str | None) -> list[tuple[str, str]]:
    """The municipality options of one prefecture (a callable choice: read only when the form is rendered)."""
    if not prefecture:
        return [("", str(_("（都道府県を選ぶと選べます）")))]
    municipalities = Municipality.objects.municipalities().filter(prefecture_id=prefecture).order_by("code")
    names = municipalities.values_list("code", "name", "name_en")
    return [
        ("", str(_("（すべて）"))),
        *((code, pick(name, name_en or name)) for code, name, name_en in names),
    ]
