"""Reads of the public listing search: the filtered listings, one listing, a person's saved searches."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.filters import ListingFilterSet
from nikyoten.housing.models import Listing, SavedSearch
from nikyoten.housing.querysets import ListingQuerySet
from nikyoten.regions.choices import FacilityKind, HazardKind
from nikyoten.regions.selectors import HazardReading, Nearest, facility_nearest, hazard_at

#: Rows shown with each listing (prefetched: a few small queries rather than joins on the big table).
LISTING_RELATED = ("prefecture", "municipality", "organization", "trial_stay")


class ListingSearchInvalid(ApplicationError):
    """A filter value could not be read (e.g. a malformed map range); `fields` holds the messages."""


def search_errors(filterset: ListingFilterSet) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}


def listing_search(*, actor: Any, params: Any) -> ListingQuerySet:
    """The listings the actor may see matching the GET parameters `params`, ready to render (photos too).

    Raises ListingSearchInvalid when a parameter cannot be read, rather than ignoring it.
    """
    filterset = ListingFilterSet(params, queryset=Listing.objects.visible_to(actor))
    if not filterset.is_valid():
        errors = search_errors(filterset)
        first = next(iter(errors.values()))[0]
        raise ListingSearchInvalid(
            _("検索条件を確認してください: %(error)s") % {"error": first}, fields=errors
        )
    # Prefetched rather than joined: the listing query stays on one table, so its plan follows the filters
    # and the sort index (see bench/README.md).
    listings: ListingQuerySet = filterset.qs.prefetch_related(*LISTING_RELATED, "photos")
    return listings


def listings_in_order(*, ids: list[int]) -> list[Listing]:
    """The listings with these ids (already found by `listing_search`), in that order, ready to render."""
    listings = Listing.objects.filter(pk__in=ids).prefetch_related(*LISTING_RELATED, "photos").in_bulk()
    return [listings[pk] for pk in ids]


def listing_public_export(*, params: Any) -> QuerySet[Listing]:
    """Public listings (whoever asks) matching `params`, for the CSV and GeoJSON exports, without photos."""
    listings = listing_search(actor=AnonymousUser(), params=params).public()
    return listings.prefetch_related(None).select_related(*LISTING_RELATED[:3])


def saved_search_list(*, actor: Any) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.owned_by(actor)


@dataclass(frozen=True)
class Surroundings:
    """What the living-environment data says around a listing's point, computed from the data as it is now."""

    nearest: list[tuple[str, Nearest | None]]  # (facility kind label, the nearest one or None: no data)
    hazards: list[tuple[str, HazardReading]]  # (hazard kind label, what the zones say at the point)


#: The facilities a buyer or renter asks about first, in the order shown.
SURROUNDING_KINDS = (
    FacilityKind.STATION,
    FacilityKind.HOSPITAL,
    FacilityKind.ELEMENTARY_SCHOOL,
    FacilityKind.NURSERY,
)


def listing_surroundings(*, listing: Listing) -> Surroundings | None:
    """The nearest station, hospital, elementary school and nursery, and the hazards at the point (None: no point).

    Read live from the imported official data (regions), so it follows every new import; a kind with nothing
    imported nearby is None (データなし), never a guess.
    """
    if listing.latitude is None or listing.longitude is None:
        return None
    lat, lng = listing.latitude, listing.longitude
    return Surroundings(
        nearest=[
            (str(kind.label), facility_nearest(kind=kind, lat=lat, lng=lng)) for kind in SURROUNDING_KINDS
        ],
        hazards=[
            (str(HazardKind(kind).label), reading) for kind, reading in hazard_at(lat=lat, lng=lng).items()
        ],
    )
