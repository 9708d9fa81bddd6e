"""Query vocabulary for organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role

if TYPE_CHECKING:
    from nikyoten.accounts.models import Organization  # noqa: F401


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active(self) -> OrganizationQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, actor: Any) -> OrganizationQuerySet:
        """Active organizations are public; inactive ones only to platform admins."""
        return self.all() if is_platform_admin(actor) else self.active()

    def editable_by(self, actor: Any) -> OrganizationQuerySet:
        """Organizations whose members, invitations and tokens the actor manages (admins)."""
        if is_platform_admin(actor):
            return self.all()
        return self.filter(pk__in=organizations_with_role(actor, MembershipRole.ADMIN))
