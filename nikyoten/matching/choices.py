"""Choices of the matching app; the persona vocabularies are the ranking engine's (`ranking.py`), one source."""

from typing import Any

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from nikyoten.core.i18n import pick
from nikyoten.matching.ranking import LIFE_STAGES, LIVING_STYLES, WORK_STYLES

_pick = lazy(pick, str)


def _choices(vocabulary: tuple[tuple[str, str, str], ...]) -> list[tuple[str, tuple[str, Any]]]:
    """Enum members from one of the engine's vocabularies: its Japanese and English labels, picked per request."""
    return [(code.upper(), (code, _pick(ja, en))) for code, ja, en in vocabulary]


# Whom a region wants, by stage of life (a seeker's stages follow from the household).
LifeStage = models.TextChoices("LifeStage", _choices(LIFE_STAGES))  # type: ignore[call-overload]
WorkStyle = models.TextChoices("WorkStyle", _choices(WORK_STYLES))  # type: ignore[call-overload]
# The five kinds of two-region living (長野県「ニブンノナガノ」).
LivingStyle = models.TextChoices("LivingStyle", _choices(LIVING_STYLES))  # type: ignore[call-overload]


class Snow(models.TextChoices):
    NONE = "none", _("ほとんど積もらない")
    SOME = "some", _("積もることがある")
    HEAVY = "heavy", _("豪雪地帯")


class CarNeed(models.TextChoices):
    YES = "yes", _("車が必要")
    PARTLY = "partly", _("地区によって必要")
    NO = "no", _("車がなくても暮らせる")


class FiberCoverage(models.TextChoices):
    FULL = "full", _("ほぼ全域で光回線が使える")
    PARTIAL = "partial", _("一部の地区で光回線が使える")
    NONE = "none", _("光回線はない")


class TravelLimit(models.TextChoices):
    NONE = "none", _("制限しない")
    DISTANCE = "distance", _("距離（km）")
    MINUTES = "minutes", _("移動時間（分）")
