"""The rules a listing's facts must meet, shared by the staff form, the services and the CSV import.

No database here: places are looked up through a `Places` object, so the CSV import can check 100,000 rows
against a master held in memory while the form checks one listing against the database.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from nikyoten.core.dates import FIRST_YEAR
from nikyoten.housing.choices import SALE_KINDS, SUBLEASE_KINDS, ListingKind


@dataclass(frozen=True)
class Place:
    """A municipality as the rules see it."""

    code: str
    name: str
    prefecture_code: str


class PlaceNotFound(Exception):
    """A typed municipality could not be resolved; the message says why (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Places(Protocol):
    def resolve(self, text: str) -> Place:
        """The municipality a person typed (code or name); raises PlaceNotFound."""
        ...

    def locate(self, lat: float, lng: float) -> Place | None:
        """The municipality containing a point, None outside every municipality."""
        ...

    def postal_municipalities(self, postal_code: str) -> frozenset[str]:
        """Codes of the municipalities (and their 政令市) a 7-digit postal code covers; empty if unknown."""
        ...


@dataclass(frozen=True)
class Scope:
    """Where an organization publishes: its municipality, or (prefecture-wide bodies) its prefecture."""

    organization_name: str
    prefecture_code: str
    municipality_code: str | None


@dataclass(frozen=True)
class Facts:
    kind: str
    municipality: Place
    sale_price_yen: int | None = None
    rent_yen: int | None = None
    year_built: int | None = None
    max_term_months: int | None = None
    master_lease_start: date | None = None
    master_lease_end: date | None = None
    master_lease_terms: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


def year_built_range(today: date) -> tuple[int, int]:
    """Years a building can have been built in: from 明治 to next year (homes under construction)."""
    return FIRST_YEAR, today.year + 1


def problems(facts: Facts, *, scope: Scope, places: Places, today: date) -> list[tuple[str, str]]:
    """Every rule the facts break, as (field, message); empty when the listing may be saved."""
    found: list[tuple[str, str]] = []
    place = facts.municipality
    if scope.municipality_code is not None and place.code != scope.municipality_code:
        found.append(
            (
                "municipality",
                _(
                    "%(organization)sが掲載できるのは自分の市区町村の物件だけです（%(municipality)sは対象外）。"
                )
                % {"organization": scope.organization_name, "municipality": place.name},
            )
        )
    elif place.prefecture_code != scope.prefecture_code:
        found.append(
            (
                "municipality",
                _(
                    "%(organization)sが掲載できるのは自分の都道府県の物件だけです（%(municipality)sは対象外）。"
                )
                % {"organization": scope.organization_name, "municipality": place.name},
            )
        )
    if facts.kind in SALE_KINDS:
        if facts.sale_price_yen is None:
            found.append(("sale_price_yen", _("売買の物件には価格を入力してください。")))
        if facts.rent_yen is not None:
            found.append(("rent_yen", _("売買の物件に賃料は入力できません。")))
    else:
        # A trial stay is priced by its bookable unit (per night or month): a monthly rent is optional there.
        if facts.rent_yen is None and facts.kind != ListingKind.TRIAL_STAY:
            found.append(("rent_yen", _("賃貸の物件には月額の賃料を入力してください。")))
        if facts.sale_price_yen is not None:
            found.append(("sale_price_yen", _("賃貸の物件に価格は入力できません。")))
    if facts.kind not in SUBLEASE_KINDS:
        lease_fields = {
            "max_term_months": facts.max_term_months is not None,
            "master_lease_start": facts.master_lease_start is not None,
            "master_lease_end": facts.master_lease_end is not None,
            "master_lease_terms": bool(facts.master_lease_terms),
        }
        for field, given in lease_fields.items():
            if given:
                found.append(
                    (
                        field,
                        _("入居期間の上限と借上げの条件は、移住支援住宅と中間管理住宅にだけ入力できます。"),
                    )
                )
    elif (
        facts.master_lease_start is not None
        and facts.master_lease_end is not None
        and facts.master_lease_end <= facts.master_lease_start
    ):
        found.append(("master_lease_end", _("借上げ終了日は開始日より後にしてください。")))
    if facts.year_built is not None:
        low, high = year_built_range(today)
        if not low <= facts.year_built <= high:
            found.append(
                (
                    "year_built",
                    _("建築年は%(low)s〜%(high)s年の範囲で入力してください。") % {"low": low, "high": high},
                )
            )
    found.extend(_point_problems(facts, places))
    if facts.postal_code:
        covered = places.postal_municipalities(facts.postal_code)
        if not covered:
            found.append(
                ("postal_code", _("郵便番号%(code)sは見つかりません。") % {"code": facts.postal_code})
            )
        elif place.code not in covered:
            found.append(
                (
                    "postal_code",
                    _("郵便番号%(code)sは%(municipality)sの郵便番号ではありません。")
                    % {"code": facts.postal_code, "municipality": place.name},
                )
            )
    return found


def _point_problems(facts: Facts, places: Places) -> list[tuple[str, str]]:
    if facts.latitude is None and facts.longitude is None:
        return []
    if facts.latitude is None or facts.longitude is None:
        return [("latitude", _("緯度と経度は両方入力してください。"))]
    located = places.locate(facts.latitude, facts.longitude)
    if located is None:
        return [("latitude", _("地図の位置が日本の市区町村の外です。"))]
    if located.code != facts.municipality.code:
        return [
            (
                "latitude",
                _("地図の位置が%(expected)sではなく%(found)sにあります。")
                % {"expected": facts.municipality.name, "found": located.name},
            )
        ]
    return []
