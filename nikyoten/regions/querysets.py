"""Query vocabulary for prefectures and municipalities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from nikyoten.core.text import search_key
from nikyoten.regions.choices import MunicipalityKind

if TYPE_CHECKING:
    from nikyoten.regions.models import Municipality  # noqa: F401


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def current(self) -> MunicipalityQuerySet:
        """Municipalities and wards in force today (the abolished 浜松 wards are not)."""
        return self.filter(valid_to__isnull=True)

    def municipalities(self) -> MunicipalityQuerySet:
        """The 1,741 市区町村 (wards of a 政令市 are children, not municipalities)."""
        return self.current().exclude(kind=MunicipalityKind.WARD)

    def wards(self) -> MunicipalityQuerySet:
        return self.current().filter(kind=MunicipalityKind.WARD)

    def search(self, query: str) -> MunicipalityQuerySet:
        """Substring match on kanji, kana (either script), romaji, English and aliases."""
        key = search_key(query)
        return self.filter(search_text__contains=key) if key else self
