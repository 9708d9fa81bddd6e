"""Reads for staff managing listings: their organizations' listings, the to-confirm list, and place lookups."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.text import digits_only
from nikyoten.housing.listing_rules import Place, PlaceNotFound, Scope
from nikyoten.housing.models import Listing
from nikyoten.housing.querysets import stale_before
from nikyoten.regions import postal, reference_data, selectors
from nikyoten.regions.models import Municipality


def place_of(municipality: Municipality) -> Place:
    """The rules' view of a municipality; a ward stands for its 政令市 (listings name the city)."""
    city = municipality.parent if municipality.parent_id else municipality
    assert city is not None
    return Place(code=city.code, name=city.name, prefecture_code=city.prefecture_id)


def scope_of(organization: Organization) -> Scope:
    return Scope(
        organization_name=organization.name,
        prefecture_code=organization.prefecture_id,
        municipality_code=organization.municipality_id,
    )


class DatabasePlaces:
    """Place lookups for one listing, through the regions selectors."""

    def resolve(self, text: str) -> Place:
        try:
            return place_of(selectors.municipality_resolve(text=text))
        except ApplicationError as exc:  # NotFound is one
            raise PlaceNotFound(exc.message) from exc

    def locate(self, lat: float, lng: float) -> Place | None:
        try:
            return place_of(selectors.municipality_locate(lat=lat, lng=lng).municipality)
        except ApplicationError:
            return None

    def postal_municipalities(self, postal_code: str) -> frozenset[str]:
        try:
            addresses = selectors.postal_code_get(code=postal_code)
        except ApplicationError:
            return frozenset()
        return frozenset(place_of(a.municipality).code for a in addresses)


class MasterPlaces(DatabasePlaces):
    """Place lookups for a whole import: the municipality master read once, answers remembered.

    `locate` picks among the boundary candidates as `regions.selectors.municipality_locate` does (the smallest
    area contains the point; a ward stands for its city) without a query per row.
    """

    def __init__(self) -> None:
        municipalities = list(Municipality.objects.current().select_related("parent", "prefecture"))
        self._by_code = {m.code: m for m in municipalities}
        self._by_lg_code = {m.lg_code: m for m in municipalities}
        # Answers and refusals both remembered: a file repeating an unknown name asks the database once.
        self._resolved: dict[str, Place | str] = {}
        self._postal: dict[str, frozenset[str]] = {}

    def municipality(self, code: str) -> Municipality:
        return self._by_code[code]

    def resolve(self, text: str) -> Place:
        if text not in self._resolved:
            code = digits_only(text)
            found = {5: self._by_code, 6: self._by_lg_code}.get(len(code), {}).get(code)
            try:
                self._resolved[text] = place_of(found) if found is not None else super().resolve(text)
            except PlaceNotFound as exc:
                self._resolved[text] = exc.message
        answer = self._resolved[text]
        if isinstance(answer, str):
            raise PlaceNotFound(answer)
        return answer

    def locate(self, lat: float, lng: float) -> Place | None:
        candidates = [
            self._by_code[code]
            for code in reference_data.locate_candidates(lat, lng)
            if code in self._by_code
        ]
        if not candidates:
            return None
        return place_of(min(candidates, key=lambda m: m.area_km2 or float("inf")))

    def postal_municipalities(self, postal_code: str) -> frozenset[str]:
        if postal_code not in self._postal:
            self._postal[postal_code] = frozenset(
                place_of(self._by_code[entry.code]).code
                for entry in postal.lookup(postal_code)
                if entry.code in self._by_code
            )
        return self._postal[postal_code]


def listing_organizations(*, actor: Any, minimum: str = MembershipRole.VIEWER) -> QuerySet[Organization]:
    """The organizations whose listings the actor manages (viewers read, editors write)."""
    return Organization.objects.filter(
        pk__in=organizations_with_role(actor, minimum), is_active=True
    ).order_by("name")


def listing_organization_get(*, actor: Any, organization_id: int | str, minimum: str) -> Organization:
    """One of those organizations (a platform admin may open any); NotFound otherwise."""
    organizations = (
        Organization.objects.all()
        if is_platform_admin(actor)
        else listing_organizations(actor=actor, minimum=minimum)
    )
    try:
        return organizations.select_related("prefecture", "municipality").get(pk=int(organization_id))
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("組織が見つかりません。")) from exc


def _managed(actor: Any) -> QuerySet[Listing]:
    listings = Listing.objects.all()
    if not is_platform_admin(actor):
        listings = listings.filter(organization_id__in=organizations_with_role(actor, MembershipRole.VIEWER))
    return listings.select_related("municipality", "prefecture", "organization")


def listing_manage_list(*, actor: Any, organization: Organization) -> QuerySet[Listing]:
    """Every listing of the organization, withdrawn ones too, newest change first, with photo counts."""
    return (
        _managed(actor)
        .filter(organization=organization)
        .annotate(photo_count=Count("photos"))
        .order_by("-updated_at", "-id")
    )


def listing_to_confirm_list(*, actor: Any, organization: Organization) -> QuerySet[Listing]:
    """Listings not confirmed for `HOUSING_STALE_AFTER_DAYS`, the longest unconfirmed first."""
    return (
        _managed(actor)
        .filter(organization=organization, last_confirmed_at__lt=stale_before())
        .order_by("last_confirmed_at", "id")
    )


def listing_manage_get(*, actor: Any, listing_id: int | str) -> Listing:
    """A listing for the members of its organization (same 404 for missing and forbidden), photos in order."""
    try:
        return (
            _managed(actor)
            .select_related("municipality__prefecture")
            .prefetch_related("photos")
            .get(pk=int(listing_id))
        )
    except (Listing.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("物件が見つかりません。")) from exc


def listing_existing_keys(*, organization: Organization) -> set[tuple[str, str, str]]:
    """(municipality, title, address) of the organization's listings: the import refuses repeating them."""
    return set(organization.listings.values_list("municipality_id", "title", "address"))
