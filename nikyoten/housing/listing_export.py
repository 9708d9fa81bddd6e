"""Public listings as CSV (UTF-8 with BOM, Japanese headers) and GeoJSON, produced in chunks for streaming.

Only public facts: no owner, seeker or inquiry data; the organization that lists the home is public.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.core.text import spreadsheet_safe
from nikyoten.housing.models import Listing


def _date(value: datetime) -> str:
    return timezone.localtime(value).date().isoformat()


def _columns(
    stale_before: datetime, url: Callable[[Listing], str]
) -> list[tuple[str, Callable[[Listing], Any]]]:
    yes, no = _("はい"), _("いいえ")
    return [
        ("ID", lambda x: x.pk),
        (_("タイトル"), lambda x: x.title),
        (_("種別"), lambda x: x.get_kind_display()),
        (_("募集状況"), lambda x: x.get_status_display()),
        (_("都道府県"), lambda x: x.prefecture.name),
        (_("市区町村コード"), lambda x: x.municipality_id),
        (_("市区町村"), lambda x: x.municipality.name),
        (_("所在地"), lambda x: x.address),
        (_("価格（円）"), lambda x: x.sale_price_yen),
        (_("賃料（円／月）"), lambda x: x.rent_yen),
        (_("間取り"), lambda x: x.floor_plan),
        (_("建物面積（m²）"), lambda x: x.building_area_m2),
        (_("土地面積（m²）"), lambda x: x.land_area_m2),
        (_("建築年"), lambda x: x.year_built),
        (_("構造"), lambda x: x.get_structure_display()),
        (_("建物の状態"), lambda x: x.get_condition_display()),
        (_("駐車場（台）"), lambda x: x.parking_spaces),
        (_("農地付き"), lambda x: yes if x.has_farmland else no),
        (_("店舗付き"), lambda x: yes if x.has_shop else no),
        (_("ペット"), lambda x: x.get_pets_display()),
        (_("インターネット"), lambda x: x.get_internet_display()),
        (_("緯度"), lambda x: x.latitude),
        (_("経度"), lambda x: x.longitude),
        (_("掲載する組織"), lambda x: x.organization.name),
        (_("情報の最終確認日"), lambda x: _date(x.last_confirmed_at)),
        (_("情報が古い可能性"), lambda x: yes if x.last_confirmed_at < stale_before else no),
        (_("更新日"), lambda x: _date(x.updated_at)),
        (_("サンプル"), lambda x: yes if x.is_sample else no),
        ("URL", url),
    ]


def listings_csv(
    listings: Iterable[Listing], *, stale_before: datetime, url: Callable[[Listing], str]
) -> Iterator[str]:
    """The BOM and header, then one CSV line per listing (CRLF, as spreadsheets expect)."""
    columns = _columns(stale_before, url)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(row: list[Any]) -> str:
        writer.writerow(row)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line([name for name, _get in columns])
    for listing in listings:
        yield line([spreadsheet_safe(get(listing)) for _name, get in columns])


def listing_feature(listing: Listing, *, stale_before: datetime, url: str) -> dict[str, Any]:
    """A GeoJSON Feature: the point as [longitude, latitude] (null when the listing has none)."""
    geometry = (
        {"type": "Point", "coordinates": [listing.longitude, listing.latitude]}
        if listing.latitude is not None and listing.longitude is not None
        else None
    )
    return {
        "type": "Feature",
        "id": listing.pk,
        "geometry": geometry,
        "properties": {
            "title": listing.title,
            "kind": listing.kind,
            "kind_label": listing.get_kind_display(),
            "status": listing.status,
            "status_label": listing.get_status_display(),
            "prefecture": listing.prefecture.name,
            "municipality_code": listing.municipality_id,
            "municipality": listing.municipality.name,
            "sale_price_yen": listing.sale_price_yen,
            "rent_yen": listing.rent_yen,
            "floor_plan": listing.floor_plan,
            "building_area_m2": None if listing.building_area_m2 is None else float(listing.building_area_m2),
            "land_area_m2": None if listing.land_area_m2 is None else float(listing.land_area_m2),
            "year_built": listing.year_built,
            "has_farmland": listing.has_farmland,
            "has_shop": listing.has_shop,
            "organization": listing.organization.name,
            "last_confirmed_at": listing.last_confirmed_at.isoformat(),
            "possibly_outdated": listing.last_confirmed_at < stale_before,
            "is_sample": listing.is_sample,
            "url": url,
        },
    }


def listings_geojson(
    listings: Iterable[Listing], *, stale_before: datetime, url: Callable[[Listing], str]
) -> Iterator[str]:
    """A FeatureCollection, one feature per chunk."""
    yield '{"type": "FeatureCollection", "features": ['
    for index, listing in enumerate(listings):
        feature = listing_feature(listing, stale_before=stale_before, url=url(listing))
        yield ("," if index else "") + json.dumps(feature, ensure_ascii=False)
    yield "]}"
