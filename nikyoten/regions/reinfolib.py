"""Fetch 不動産情報ライブラリ tile layers over given extents through pyreinfolib; the client is passed in.

A pure module (no Django). Tiles are listed once even where extents overlap; an empty tile (200 with no features)
and a 404 (NoResultsError) both count as empty; features split at tile edges are joined by `_id`. The result is
a FeatureCollection that `ksj.parse` reads like a downloaded file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyreinfolib import exceptions, tiles

from nikyoten.regions import ksj


@dataclass(frozen=True)
class Layer:
    dataset: str
    method: str
    zoom: int  # the coarsest level the endpoint accepts: fewest requests


LAYERS = {
    "XKT010": Layer("P04", "get_medical_institutions", 13),
    "XKT006": Layer("P29", "get_schools", 13),
    "XKT011": Layer("P14", "get_welfare_facilities", 13),
    "XKT015": Layer("S12", "get_number_of_passengers_per_station", 11),
    "XGT001": Layer("XGT001", "get_designated_emergency_evacuation_sites", 11),
    "XKT026": Layer("A31a", "get_expected_flood_inundation_areas_at_maximum_scale", 14),
    "XKT029": Layer("A33", "get_sediment_disaster_alert_areas", 11),
    "XKT028": Layer("A40", "get_expected_tsunami_inundation", 14),
}

Extent = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Fetch:
    collection: dict[str, Any]
    tiles: int
    empty_tiles: int
    pieces: int  # features as returned, before joining the pieces of clipped ones


def fetch(client: Any, api: str, extents: Iterable[Extent]) -> Fetch:
    """Every tile of the layer covering the extents, each requested once, joined into one FeatureCollection.

    `client` is a `pyreinfolib.Client` (tests pass a fake with the same tile methods).
    """
    layer = LAYERS[api]
    wanted = sorted(
        {
            tile
            for west, south, east, north in extents
            for tile in tiles.covering(west=west, south=south, east=east, north=north, z=layer.zoom)
        }
    )
    features: list[dict[str, Any]] = []
    crs: dict[str, Any] | None = None
    empty = 0
    for tile in wanted:
        try:
            response = getattr(client, layer.method)(*tile)
        except exceptions.NoResultsError:
            empty += 1
            continue
        found = response.get("features") or []
        if not found:
            empty += 1
            continue
        crs = crs or response.get("crs")
        features.extend(found)
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": ksj.union_by_id(features)}
    if crs:
        collection["crs"] = crs
    return Fetch(collection=collection, tiles=len(wanted), empty_tiles=empty, pieces=len(features))
