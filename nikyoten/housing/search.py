"""Listing keyword search: the normalised text each listing is searched by (substring, no dictionary)."""

from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex

from nikyoten.core.text import search_key

if TYPE_CHECKING:
    from nikyoten.housing.models import Listing


def listing_search_text(listing: "Listing") -> str:
    """Title, description, address and place names, normalised with `search_key` (as queries are)."""
    municipality = listing.municipality
    parts = [
        listing.title,
        listing.description,
        listing.address,
        municipality.prefecture.name,
        municipality.name,
        municipality.kana,
    ]
    return search_key(" ".join(part for part in parts if part))


#: Trigrams need three characters: shorter keys are matched with a plain LIKE (a scan, but a short one
#: once the other filters have narrowed the rows).
TRIGRAM_MIN_LENGTH = 3


def fts_phrase(key: str) -> str:
    """An FTS5 phrase matching `key` literally (double quotes doubled), so no query syntax gets through."""
    return '"' + key.replace('"', '""') + '"'


def keyword_filter(
    queryset: "QuerySet[Listing]", query: str, *, narrowed: bool = False
) -> "QuerySet[Listing]":
    """Listings whose `search_text` contains the normalised query (see migration 0003 for the indexes).

    When `narrowed` (a place filter already leaves a few thousand rows at most), the text of those rows is
    searched directly (`INSTR`/`STRPOS`, which no index serves): cheaper than collecting every match of a
    common word from the keyword index. Otherwise SQLite uses the FTS5 trigram table for keys of three
    characters or more, PostgreSQL `LIKE`, which the pg_trgm GIN index serves; shorter keys use `LIKE`.
    """
    key = search_key(query)
    if not key:
        return queryset
    if narrowed:
        return queryset.alias(keyword_at=StrIndex("search_text", Value(key))).filter(keyword_at__gt=0)
    if len(key) < TRIGRAM_MIN_LENGTH or connections[queryset.db].vendor != "sqlite":
        return queryset.filter(search_text__contains=key)
    matches = RawSQL(
        "SELECT rowid FROM housing_listing_fts WHERE housing_listing_fts MATCH %s", (fts_phrase(key),)
    )
    return queryset.filter(pk__in=matches)
