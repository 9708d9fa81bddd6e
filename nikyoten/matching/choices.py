"""Choices of the matching app; the codes are those of the ranking engine's vocabularies (`ranking.py`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeStage(models.TextChoices):
    """Whom a region wants, by stage of life (a seeker's stages follow from the household)."""

    SINGLE = "single", _("単身")
    COUPLE = "couple", _("夫婦・カップル")
    CHILD_RAISING = "child_raising", _("子育て世帯")
    SENIOR = "senior", _("シニア")


class WorkStyle(models.TextChoices):
    TELEWORK = "telework", _("テレワーク（都市の勤め先）")
    LOCAL_JOB = "local_job", _("地元就職")
    SIDE_JOB = "side_job", _("副業・兼業")
    FARMING = "farming", _("就農")
    STARTUP = "startup", _("起業")


class LivingStyle(models.TextChoices):
    """The five kinds of two-region living (長野県「ニブンノナガノ」)."""

    PARALLEL = "parallel", _("パラレル型")
    TELEWORK = "telework", _("テレワーク型")
    VILLA = "villa", _("別荘型")
    LOCAL_ISSUE = "local_issue", _("地域課題関与型")
    SOLO_POSTING = "solo_posting", _("単身赴任型")


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
