"""Writes of the public search side: a seeker's saved searches, and the alerts emailed for them."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction
from nikyoten.accounts.models import User
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.filters import canonical_query
from nikyoten.housing.models import Listing, SavedSearch, SavedSearchAlert
from nikyoten.housing.selectors.search import ListingSearchInvalid, listing_search

#: Saved searches one person may keep.
MAX_SAVED_SEARCHES = 20
#: Listings named in one alert email; the rest follow in the next run.
MAX_ALERT_LISTINGS = 50


class SavedSearchLimitReached(ApplicationError):
    code = "saved_search_limit"


def saved_search_query(*, params: Any) -> str:
    """The canonical query string of a search (see `filters.canonical_query`), once it is known to read.

    Raises ListingSearchInvalid when a parameter cannot be read (a saved search must keep working).
    """
    listing_search(actor=None, params=params)
    return canonical_query(params)


def _audit(*, actor: Any, action: str, saved_search: SavedSearch, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        organization=None,
        action=action,
        entity="saved_search",
        entity_id=saved_search.pk,
        changes=changes,
    )


@transaction.atomic
def saved_search_create(*, user: User, name: str, params: Any, alerts_enabled: bool = True) -> SavedSearch:
    """Save the search `params` (GET parameters) under a name; at most MAX_SAVED_SEARCHES a person."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per person
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise SavedSearchLimitReached(
            _("保存できる検索は %(max)d 件までです。使わないものを削除してください。")
            % {"max": MAX_SAVED_SEARCHES}
        )
    query = saved_search_query(params=params)
    if not query:
        raise ApplicationError(
            _("検索条件を1つ以上指定してから保存してください。"),
            fields={"query": [_("検索条件がありません。")]},
        )
    saved_search = SavedSearch(
        user=user,
        name=name.strip(),
        query=query,
        alerts_enabled=alerts_enabled,
    )
    saved_search.full_clean()
    saved_search.save()
    _audit(
        actor=user,
        action=AuditAction.CREATE,
        saved_search=saved_search,
        changes={"name": saved_search.name, "query": saved_search.query, "alerts_enabled": alerts_enabled},
    )
    return saved_search


@transaction.atomic
def saved_search_update(
    *, actor: Any, saved_search: SavedSearch, name: str, alerts_enabled: bool
) -> SavedSearch:
    """Rename a saved search or turn its alerts on or off (the gate `access_saved_search` found it)."""
    saved_search.name, saved_search.alerts_enabled = name.strip(), alerts_enabled
    saved_search.full_clean()
    saved_search.save(update_fields=["name", "alerts_enabled", "updated_at"])
    _audit(
        actor=actor,
        action=AuditAction.UPDATE,
        saved_search=saved_search,
        changes={"name": saved_search.name, "alerts_enabled": alerts_enabled},
    )
    return saved_search


@transaction.atomic
def saved_search_delete(*, actor: Any, saved_search: SavedSearch) -> None:
    _audit(actor=actor, action=AuditAction.DELETE, saved_search=saved_search, changes={})
    saved_search.delete()


def saved_search_due(*, saved_search: SavedSearch) -> list[Listing]:
    """Public listings matching the search, new or changed since it was saved, not yet sent in this version."""
    try:
        listings = listing_search(actor=saved_search.user, params=QueryDict(saved_search.query)).public()
    except ListingSearchInvalid:
        return []
    sent = SavedSearchAlert.objects.filter(
        saved_search=saved_search, listing=OuterRef("pk"), listing_updated_at__gte=OuterRef("updated_at")
    )
    due = listings.filter(updated_at__gt=saved_search.created_at).exclude(Exists(sent))
    return list(due.order_by("-updated_at", "-id")[:MAX_ALERT_LISTINGS])


def _alert_email(saved_search: SavedSearch, listings: list[Listing]) -> tuple[str, str]:
    site = settings.SITE_URL.rstrip("/")
    with translation.override("ja"):
        subject = _("【nikyoten】「%(name)s」に新しい物件・更新された物件が %(count)d 件あります") % {
            "name": saved_search.name,
            "count": len(listings),
        }
        body = render_to_string(
            "housing/saved_search_alert_email.txt",
            {
                "saved_search": saved_search,
                "listings": [
                    (listing, site + reverse("housing:listing_detail", kwargs={"pk": listing.pk}))
                    for listing in listings
                ],
                "search_url": f"{site}{reverse('housing:listing_list')}?{saved_search.query}",
                "manage_url": site + reverse("housing:saved_search_list"),
            },
        )
    return subject, body


@transaction.atomic
def saved_search_alerts_send(*, saved_search: SavedSearch) -> list[Listing]:
    """Email the due listings once (recording each version sent) and return them; nothing due, no email."""
    listings = saved_search_due(saved_search=saved_search)
    if not listings:
        return []
    alerts = [
        SavedSearchAlert(saved_search=saved_search, listing=listing, listing_updated_at=listing.updated_at)
        for listing in listings
    ]
    for alert in alerts:
        alert.full_clean(validate_constraints=False)  # the constraint is the upsert's conflict target
    SavedSearchAlert.objects.bulk_create(
        alerts,
        update_conflicts=True,
        unique_fields=["saved_search", "listing"],
        update_fields=["listing_updated_at", "sent_at"],
    )
    subject, body = _alert_email(saved_search, listings)
    email = saved_search.user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return listings
