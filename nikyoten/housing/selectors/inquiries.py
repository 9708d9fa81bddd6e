"""Reads for inquiries: a seeker's own threads, an organization's inbox, and one thread with its messages."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from nikyoten.accounts.access import OrganizationAction, access_organization
from nikyoten.accounts.models import Organization
from nikyoten.housing.access import Action, access_inquiry
from nikyoten.housing.models import Inquiry, InquiryMessage


def inquiry_list(*, actor: Any, as_seeker: bool = False) -> QuerySet[Inquiry]:
    """The threads the actor started and those addressed to the actor's organizations (or only the former)."""
    inquiries = Inquiry.objects.visible_to(actor)
    if as_seeker:
        inquiries = inquiries.filter(seeker_id=actor.pk) if actor.pk else inquiries.none()
    return (
        inquiries.select_related("listing__municipality__prefecture", "organization")
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at", "-id")
    )


def inquiry_inbox(
    *, actor: Any, organization_id: int, status: str = ""
) -> tuple[Organization, QuerySet[Inquiry]]:
    """An organization the actor is a member of (NotFound otherwise) and the threads addressed to it, newest first."""
    organization = access_organization(actor, organization_id, action=OrganizationAction.VIEW_MEMBERS)
    inquiries = (
        Inquiry.objects.visible_to(actor)
        .filter(organization=organization)
        .select_related("listing", "seeker")
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at", "-id")
    )
    return organization, inquiries.filter(status=status) if status else inquiries


def inquiry_get(*, actor: Any, inquiry_id: int | str) -> Inquiry:
    """One thread with its messages in order (NotFound unless the actor is its seeker or the organization's)."""
    inquiry = access_inquiry(actor, inquiry_id, action=Action.VIEW)
    messages = InquiryMessage.objects.select_related("author").order_by("created_at", "id")
    return (
        Inquiry.objects.select_related("listing__municipality__prefecture", "organization", "seeker")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get(pk=inquiry.pk)
    )
