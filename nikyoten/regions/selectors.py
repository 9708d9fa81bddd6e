"""Reads for the regions app: prefectures, municipalities, point and postal-code lookups."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.text import digits_only, nfkc
from nikyoten.regions import postal, reference_data
from nikyoten.regions.models import Municipality, Prefecture


def prefecture_list() -> QuerySet[Prefecture]:
    """All 47 prefectures with the number of their municipalities."""
    return Prefecture.objects.annotate(
        municipality_count=Count(
            "municipalities",
            filter=Q(municipalities__valid_to__isnull=True) & ~Q(municipalities__kind="ward"),
        )
    ).order_by("code")


def prefecture_get(*, code: str) -> Prefecture:
    code = digits_only(code).zfill(2)
    try:
        return Prefecture.objects.get(code=code)
    except Prefecture.DoesNotExist as exc:
        raise NotFound(_("都道府県が見つかりません。")) from exc


def municipality_list(
    *,
    prefecture: str | None = None,
    kind: str | None = None,
    query: str | None = None,
    parent: str | None = None,
) -> QuerySet[Municipality]:
    """Municipalities in force (wards only when asked for by kind or parent), ordered by code."""
    municipalities = Municipality.objects.select_related("prefecture", "parent")
    wards_asked = kind == "ward" or parent
    municipalities = municipalities.wards() if wards_asked else municipalities.municipalities()
    if prefecture:
        municipalities = municipalities.filter(prefecture_id=digits_only(prefecture).zfill(2))
    if kind:
        municipalities = municipalities.filter(kind=kind)
    if parent:
        municipalities = municipalities.filter(parent_id=parent)
    if query:
        municipalities = municipalities.search(query)
    return municipalities.order_by("code")


def municipality_get(*, code: str) -> Municipality:
    """By 5-digit JIS code or 6-digit local-government code (its check digit must be right)."""
    code = digits_only(code)
    lookup: dict[str, str]
    if re.fullmatch(r"\d{5}", code):
        lookup = {"code": code}
    elif re.fullmatch(r"\d{6}", code):
        lookup = {"lg_code": code}
    else:
        raise NotFound(_("市区町村が見つかりません。"))
    try:
        return (
            Municipality.objects.select_related("prefecture", "parent")
            .prefetch_related("aliases", "wards")
            .get(**lookup)
        )
    except Municipality.DoesNotExist as exc:
        raise NotFound(_("市区町村が見つかりません。")) from exc


def municipality_resolve(*, text: str) -> Municipality:
    """A municipality (or ward) from what a person types: a code, a name, or prefecture + name (東京都府中市)."""
    text = nfkc(text).strip().replace(" ", "").replace("\u3000", "")
    if re.fullmatch(r"\d{5,6}", text):
        return municipality_get(code=text)
    candidates = [
        m
        for m in Municipality.objects.current()
        .select_related("prefecture")
        .filter(name__in=_name_forms(text))
        if text in (m.name, f"{m.prefecture.name}{m.name}", f"{m.prefecture.name}{m.gun}{m.name}")
    ]
    if not candidates:
        raise ApplicationError(_("「%(text)s」という市区町村は見つかりません。") % {"text": text})
    if len(candidates) > 1:
        names = "、".join(m.full_name for m in candidates)
        raise ApplicationError(
            _("「%(text)s」は複数あります（%(names)s）。都道府県名から入力してください。")
            % {"text": text, "names": names}
        )
    return candidates[0]


def _name_forms(text: str) -> list[str]:
    """The municipality names a typed text could end with (with or without the prefecture and 郡)."""
    forms = {text}
    for prefecture in Prefecture.objects.values_list("name", flat=True):
        if text.startswith(prefecture):
            rest = text[len(prefecture) :]
            forms.add(rest)
            if "郡" in rest:
                forms.add(rest.split("郡", 1)[1])
    return sorted(forms)


@dataclass(frozen=True)
class Location:
    municipality: Municipality
    ward: Municipality | None


def municipality_locate(*, lat: float, lng: float) -> Location:
    """The municipality (and, where the boundary data has it, the ward) containing a point."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ApplicationError(
            _("緯度は -90〜90、経度は -180〜180 の範囲で指定してください。"), fields={"lat": [], "lng": []}
        )
    codes = reference_data.locate_candidates(lat, lng)
    candidates = list(
        Municipality.objects.current().select_related("prefecture", "parent").filter(code__in=codes)
    )
    if not candidates:
        raise NotFound(_("この地点を含む市区町村は見つかりません（国内の陸地を指定してください）。"))
    # An enclave comes with the unit around it: the smallest area is the one that really contains the point.
    found = min(candidates, key=lambda m: m.area_km2 or float("inf"))
    if found.parent is not None:
        return Location(municipality=found.parent, ward=found)
    return Location(municipality=found, ward=None)


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str
    municipality: Municipality
    prefecture_name: str
    city_name: str
    town: str
    town_kana: str


def postal_code_get(*, code: str) -> list[PostalAddress]:
    """Addresses for a 7-digit postal code (`100-0001`, `１０００００１` and `〒100-0001` accepted)."""
    normalised = digits_only(code)
    if not re.fullmatch(r"\d{7}", normalised):
        raise ApplicationError(
            _("郵便番号は7桁の数字で入力してください（例: 100-0001）。"),
            fields={"code": [_("7桁の数字ではありません。")]},
        )
    entries = postal.lookup(normalised)
    if not entries:
        raise NotFound(_("この郵便番号は見つかりません。"))
    municipalities = Municipality.objects.select_related("prefecture", "parent").in_bulk(
        {e.code for e in entries}
    )
    addresses = [
        PostalAddress(
            postal_code=normalised,
            municipality=municipalities[e.code],
            prefecture_name=municipalities[e.code].prefecture.name,
            city_name=municipalities[e.code].name,
            town=e.town,
            town_kana=e.town_kana,
        )
        for e in entries
        if e.code in municipalities
    ]
    if not addresses:
        raise NotFound(_("この郵便番号は見つかりません。"))
    return addresses
