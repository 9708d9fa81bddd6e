"""Listing keyword search: the normalised text each listing is searched by (substring, no dictionary)."""

from typing import TYPE_CHECKING

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
