"""Reads for accounts, each through the access layer."""

from typing import Any

from django.db.models import QuerySet

from nikyoten.accounts.access import OrganizationAction, access_organization
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import ApiToken, Invitation, Membership, Organization, User
from nikyoten.accounts.principals import roles_at_least


def organization_list(
    *, actor: Any, prefecture: str | None = None, municipality: str | None = None, kind: str | None = None
) -> QuerySet[Organization]:
    organizations = Organization.objects.visible_to(actor).select_related("prefecture", "municipality")
    if prefecture:
        organizations = organizations.filter(prefecture_id=prefecture)
    if municipality:
        organizations = organizations.filter(municipality_id=municipality)
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations.order_by("prefecture_id", "name")


def membership_list(*, actor: Any, organization_id: int) -> QuerySet[Membership]:
    """Members of an organization, for its own members (and platform admins) only."""
    organization = access_organization(actor, organization_id, action=OrganizationAction.VIEW_MEMBERS)
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def invitation_list(*, actor: Any, organization_id: int) -> QuerySet[Invitation]:
    """Open invitations of an organization, for its admins."""
    organization = access_organization(actor, organization_id, action=OrganizationAction.MANAGE_MEMBERS)
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def api_token_list(*, actor: Any, organization_id: int) -> QuerySet[ApiToken]:
    organization = access_organization(actor, organization_id, action=OrganizationAction.MANAGE_TOKENS)
    return ApiToken.objects.filter(organization=organization).select_related("created_by")


def user_memberships(*, user: User) -> QuerySet[Membership]:
    """The signed-in user's own memberships (for their account page)."""
    return Membership.objects.filter(user=user, organization__is_active=True).select_related(
        "organization__prefecture", "organization__municipality"
    )


def organization_staff_emails(
    *, organization_id: int, minimum_role: str = MembershipRole.EDITOR
) -> list[str]:
    """Email addresses of the active people holding `minimum_role` or higher in the organization (for notices)."""
    return list(
        Membership.objects.filter(
            organization_id=organization_id,
            organization__is_active=True,
            role__in=roles_at_least(minimum_role),
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
