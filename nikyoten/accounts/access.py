"""Access gates for organizations: missing and forbidden both answer NotFound (404)."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import has_role, is_platform_admin
from nikyoten.core.exceptions import NotFound


class OrganizationAction(StrEnum):
    VIEW = "view"  # the public profile
    VIEW_MEMBERS = "view_members"
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove
    MANAGE_TOKENS = "manage_tokens"


MINIMUM_ROLE: dict[OrganizationAction, MembershipRole | None] = {
    OrganizationAction.VIEW: None,
    OrganizationAction.VIEW_MEMBERS: MembershipRole.VIEWER,
    OrganizationAction.MANAGE_MEMBERS: MembershipRole.ADMIN,
    OrganizationAction.MANAGE_TOKENS: MembershipRole.ADMIN,
}


def can_act_on_organization(actor: Any, organization: Organization, *, action: OrganizationAction) -> bool:
    if is_platform_admin(actor):
        return True
    minimum = MINIMUM_ROLE[action]
    return organization.is_active and (minimum is None or has_role(actor, organization.pk, minimum))


def access_organization(
    actor: Any, organization_id: int | str, *, action: OrganizationAction
) -> Organization:
    """The organization if the actor may do `action` on it; NotFound otherwise, whether it exists or not."""
    try:
        organization = Organization.objects.select_related("prefecture", "municipality").get(
            pk=int(organization_id)
        )
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("組織が見つかりません。")) from exc
    if not can_act_on_organization(actor, organization, action=action):
        raise NotFound(_("組織が見つかりません。"))
    return organization
