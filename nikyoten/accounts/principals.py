"""Who is acting: a signed-in user or an API client holding an organization's token, and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nikyoten.accounts.choices import MembershipRole

if TYPE_CHECKING:
    from nikyoten.accounts.models import ApiToken

_RANK = {MembershipRole.VIEWER: 1, MembershipRole.EDITOR: 2, MembershipRole.ADMIN: 3}


@dataclass
class ApiClient:
    """The principal of a request authenticated by an organization's API token.

    It has no memberships of its own: it holds exactly the token's role in the token's organization.
    """

    token: ApiToken
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    pk: None = None
    id: None = None

    def __str__(self) -> str:
        return f"API: {self.token.name} ({self.token.organization})"


def is_platform_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_staff)


def roles_of(actor: Any) -> dict[int, str]:
    """Organization id → role for the actor (cached on the actor for the request)."""
    if not getattr(actor, "is_authenticated", False):
        return {}
    if isinstance(actor, ApiClient):
        return {actor.token.organization_id: actor.token.role}
    cached: dict[int, str] | None = getattr(actor, "_nikyoten_roles", None)
    if cached is None:
        cached = dict(
            actor.memberships.filter(organization__is_active=True).values_list("organization_id", "role")
        )
        actor._nikyoten_roles = cached
    return cached


def organizations_with_role(actor: Any, minimum: str) -> set[int]:
    """Ids of the organizations in which the actor holds `minimum` or a higher role."""
    return {
        org
        for org, role in roles_of(actor).items()
        if _RANK[MembershipRole(role)] >= _RANK[MembershipRole(minimum)]
    }


def roles_at_least(minimum: str) -> list[str]:
    """The roles that rank at `minimum` or higher."""
    return [role for role, rank in _RANK.items() if rank >= _RANK[MembershipRole(minimum)]]


def has_role(actor: Any, organization_id: int, minimum: str) -> bool:
    return organization_id in organizations_with_role(actor, minimum)
