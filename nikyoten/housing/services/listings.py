"""Writers for listings: create, edit, confirm, status, photos and the CSV import (the only writers of listings)."""

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction, MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.text import digits_only
from nikyoten.housing import listing_csv, listing_photos, listing_rules
from nikyoten.housing.access import Action, access_listing
from nikyoten.housing.choices import (
    BuildingCondition,
    InternetAccess,
    ListingStatus,
    PetPolicy,
)
from nikyoten.housing.models import Listing, ListingPhoto
from nikyoten.housing.search import listing_search_text
from nikyoten.housing.selectors import listings as selectors
from nikyoten.regions.models import Municipality

IMPORT_BATCH_SIZE = 1000


class ListingRefused(ApplicationError):
    """The listing breaks a rule; `fields` holds every problem by field."""


@dataclass(frozen=True)
class ListingInput:
    """Every fact of a listing staff enter (the organization, status and freshness are set by the services)."""

    municipality: Municipality
    kind: str
    title: str
    address: str
    description: str = ""
    sale_price_yen: int | None = None
    rent_yen: int | None = None
    floor_plan: str = ""
    building_area_m2: Decimal | None = None
    land_area_m2: Decimal | None = None
    year_built: int | None = None
    structure: str = ""
    condition: str = BuildingCondition.UNKNOWN
    renovation_notes: str = ""
    parking_spaces: int | None = None
    has_farmland: bool = False
    has_shop: bool = False
    pets: str = PetPolicy.UNKNOWN
    internet: str = InternetAccess.UNKNOWN
    heating_notes: str = ""
    snow_notes: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    max_term_months: int | None = None
    master_lease_start: date | None = None
    master_lease_end: date | None = None
    master_lease_terms: str = ""


def _checked_fields(data: ListingInput, organization: Organization) -> dict[str, Any]:
    """The model fields for `data`, or ListingRefused with every broken rule."""
    fields = asdict(data)
    fields["municipality"] = data.municipality
    fields["postal_code"] = digits_only(data.postal_code)
    facts = listing_rules.Facts(
        kind=data.kind,
        municipality=selectors.place_of(data.municipality),
        **{
            key: fields[key]
            for key in (
                "sale_price_yen",
                "rent_yen",
                "year_built",
                "max_term_months",
                "master_lease_start",
                "master_lease_end",
                "master_lease_terms",
                "postal_code",
                "latitude",
                "longitude",
            )
        },
    )
    problems = listing_rules.problems(
        facts,
        scope=selectors.scope_of(organization),
        places=selectors.DatabasePlaces(),
        today=timezone.localdate(),
    )
    if problems:
        by_field: dict[str, list[str]] = {}
        for field, message in problems:
            by_field.setdefault(field, []).append(message)
        raise ListingRefused(problems[0][1], fields=by_field)
    fields["prefecture"] = data.municipality.prefecture
    return fields


def _save(listing: Listing) -> None:
    listing.search_text = listing_search_text(listing)
    listing.full_clean()
    listing.save()


@transaction.atomic
def listing_create(
    *,
    actor: Any,
    organization_id: int,
    data: ListingInput,
    status: str = ListingStatus.OPEN,
    is_sample: bool = False,
) -> Listing:
    """Publish a listing for an organization the actor edits for; its facts count as confirmed now."""
    organization = selectors.listing_organization_get(
        actor=actor, organization_id=organization_id, minimum=MembershipRole.EDITOR
    )
    listing = Listing(
        organization=organization,
        status=status,
        is_sample=is_sample,
        last_confirmed_at=timezone.now(),
        **_checked_fields(data, organization),
    )
    _save(listing)
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="listing",
        entity_id=listing.pk,
        changes={"title": listing.title, "status": listing.status},
    )
    return listing


@transaction.atomic
def listing_update(*, actor: Any, listing_id: int, data: ListingInput) -> Listing:
    """Change a listing's facts; a staff edit also confirms them (last_confirmed_at = now)."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    fields = _checked_fields(data, listing.organization)
    changed = sorted(name for name, value in fields.items() if getattr(listing, name) != value)
    for name, value in fields.items():
        setattr(listing, name, value)
    listing.last_confirmed_at = timezone.now()
    _save(listing)
    audit_record(
        actor=actor,
        organization=listing.organization,
        action=AuditAction.UPDATE,
        entity="listing",
        entity_id=listing.pk,
        changes={"fields": changed},
    )
    return listing


@transaction.atomic
def listing_confirm(*, actor: Any, listing_id: int) -> Listing:
    """Staff confirm the facts are still right: fresh again, without counting as a change of the listing."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    listing.last_confirmed_at = timezone.now()
    listing.full_clean()
    listing.save(update_fields=["last_confirmed_at"])
    audit_record(
        actor=actor,
        organization=listing.organization,
        action=AuditAction.UPDATE,
        entity="listing",
        entity_id=listing.pk,
        changes={"confirmed": True},
    )
    return listing


@transaction.atomic
def listing_set_status(*, actor: Any, listing_id: int, status: str) -> Listing:
    """募集中 / 商談中 / 成約済 / 取下げ (a withdrawn listing is seen by its organization only)."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    if status not in ListingStatus.values:
        raise ApplicationError(
            _("募集状況を選んでください。"), fields={"status": [_("選択肢から選んでください。")]}
        )
    previous = listing.status
    listing.status = status
    listing.full_clean()
    listing.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        organization=listing.organization,
        action=AuditAction.UPDATE,
        entity="listing",
        entity_id=listing.pk,
        changes={"status": [previous, status]},
    )
    return listing


# --- photos ------------------------------------------------------------------------------------------------


@transaction.atomic
def listing_photo_add(*, actor: Any, listing_id: int, data: bytes, alt_text: str) -> ListingPhoto:
    """Add a photo at the end: upright, at most 1600 px, JPEG without metadata (GPS!); alt text required."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    alt_text = alt_text.strip()
    if not alt_text:
        message = _("写真の説明（代替テキスト）を入力してください。画面を読み上げて使う人に伝わります。")
        raise ApplicationError(message, fields={"alt_text": [message]})
    try:
        jpeg = listing_photos.prepare(data)
    except listing_photos.PhotoInvalid as exc:
        raise ApplicationError(exc.message, fields={"image": [exc.message]}) from exc
    last = listing.photos.aggregate(last=Max("position"))["last"]
    photo = ListingPhoto(listing=listing, alt_text=alt_text, position=0 if last is None else last + 1)
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg), save=False)
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    listing.save(update_fields=["updated_at"])
    return photo


def _photo_for_edit(actor: Any, photo_id: int) -> ListingPhoto:
    photo = (
        ListingPhoto.objects.filter(listing__in=Listing.objects.editable_by(actor))
        .select_related("listing")
        .filter(pk=photo_id)
        .first()
    )
    if photo is None:
        raise NotFound(_("写真が見つかりません。"))
    return photo


@transaction.atomic
def listing_photo_remove(*, actor: Any, photo_id: int) -> None:
    """Remove a photo; its file goes once the removal is committed."""
    photo = _photo_for_edit(actor, photo_id)
    storage, name = photo.image.storage, photo.image.name
    listing = photo.listing
    photo.delete()
    listing.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def listing_photo_reorder(*, actor: Any, listing_id: int, photo_ids: list[int]) -> list[ListingPhoto]:
    """Put the listing's photos in the given order (every photo of the listing, each once)."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    photos = {photo.pk: photo for photo in listing.photos.select_for_update()}
    if sorted(photo_ids) != sorted(photos):
        raise ApplicationError(_("写真の並びが最新ではありません。ページを読み込み直してください。"))
    ordered = [photos[pk] for pk in photo_ids]
    for position, photo in enumerate(ordered):
        photo.position = position
    ListingPhoto.objects.bulk_update(ordered, ["position"])
    return ordered


# --- CSV import --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    rows: int  # rows read without problems
    errors: list[listing_csv.RowError]
    created: int


def listing_import(
    *,
    actor: Any,
    organization_id: int,
    data: bytes,
    apply: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check a CSV file (dry run), or check and create every listing in it — all or nothing.

    Rows are checked in memory against the municipality master (no query per row) and written with
    bulk_create in batches; every row always creates a new listing (there is no external id to update by).
    """
    organization = selectors.listing_organization_get(
        actor=actor, organization_id=organization_id, minimum=MembershipRole.EDITOR
    )
    try:
        text = listing_csv.decode(data)
        places = selectors.MasterPlaces()
        parsed = listing_csv.parse(
            text,
            places=places,
            scope=selectors.scope_of(organization),
            existing=selectors.listing_existing_keys(organization=organization),
            today=timezone.localdate(),
            progress=progress,
        )
    except listing_csv.CsvError as exc:
        raise ApplicationError(exc.message, fields={"file": [exc.message]}) from exc
    if parsed.errors or not apply:
        return ImportReport(rows=len(parsed.rows), errors=parsed.errors, created=0)
    created = _import_rows(
        actor=actor, organization=organization, rows=parsed.rows, places=places, progress=progress
    )
    return ImportReport(rows=len(parsed.rows), errors=[], created=created)


@transaction.atomic
def _import_rows(
    *,
    actor: Any,
    organization: Organization,
    rows: list[listing_csv.Row],
    places: selectors.MasterPlaces,
    progress: Callable[[int], None] | None,
) -> int:
    now = timezone.now()
    for start in range(0, len(rows), IMPORT_BATCH_SIZE):
        batch = []
        for row in rows[start : start + IMPORT_BATCH_SIZE]:
            municipality = places.municipality(row.municipality.code)
            listing = Listing(
                organization=organization,
                municipality=municipality,
                prefecture=municipality.prefecture,
                last_confirmed_at=now,
                **row.values,
            )
            listing.search_text = listing_search_text(listing)
            batch.append(listing)
        Listing.objects.bulk_create(batch)
        if progress is not None:
            progress(len(batch))
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="listing_import",
        entity_id=organization.pk,
        changes={"created": len(rows)},
    )
    return len(rows)
