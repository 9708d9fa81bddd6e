"""Query vocabulary for support programs and their versions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.support.choices import ProgramLevel

if TYPE_CHECKING:
    from nikyoten.regions.models import Municipality
    from nikyoten.support.models import ProgramVersion, SupportProgram  # noqa: F401


class ProgramQuerySet(models.QuerySet["SupportProgram"]):
    def visible_to(self, actor: Any) -> ProgramQuerySet:
        """Programs are public information."""
        return self.all()

    def editable_by(self, actor: Any) -> ProgramQuerySet:
        """National programs by platform admins; others by editors of the managing organization."""
        if is_platform_admin(actor):
            return self.all()
        return self.filter(organization_id__in=organizations_with_role(actor, MembershipRole.EDITOR))

    def applying_to(self, municipality: Municipality) -> ProgramQuerySet:
        """The state's, the prefecture's and the municipality's own programs (a ward also gets its city's)."""
        codes = [municipality.code] + ([municipality.parent_id] if municipality.parent_id else [])
        return self.filter(
            Q(level=ProgramLevel.NATIONAL)
            | Q(level=ProgramLevel.PREFECTURE, prefecture_id=municipality.prefecture_id)
            | Q(municipality_id__in=codes)
        )


class ProgramVersionQuerySet(models.QuerySet["ProgramVersion"]):
    def effective_on(self, day: date) -> ProgramVersionQuerySet:
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day)
