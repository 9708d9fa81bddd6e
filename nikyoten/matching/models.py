"""What regions say about themselves (profiles, practitioner stories) and seekers' saved matching profiles."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nikyoten.core.models import SampleFlagModel, TimeStampedModel
from nikyoten.matching.choices import (
    CarNeed,
    FiberCoverage,
    LifeStage,
    LivingStyle,
    Snow,
    TravelLimit,
    WorkStyle,
)
from nikyoten.matching.querysets import MatchingProfileQuerySet, RegionProfileQuerySet, StoryQuerySet
from nikyoten.matching.ranking import FACTORS, MAX_WEIGHT

# Vouched facts: (fact field, date field); a fact is shown only with the date the region vouched for it.
VOUCHED_FACTS = (
    ("snow", "snow_vouched_on"),
    ("car_needed", "car_needed_vouched_on"),
    ("fiber", "fiber_vouched_on"),
    ("coworking", "coworking_vouched_on"),
    ("coordinator", "coordinator_vouched_on"),
)


def _check_codes(value: object, choices: type[models.TextChoices], field: str) -> dict[str, Any]:
    if not isinstance(value, list) or any(item not in choices.values for item in value):
        return {field: _("選択肢にない値が含まれています。")}
    return {}


class RegionProfile(TimeStampedModel, SampleFlagModel):
    """地域の発信: a municipality's vision, whom it wants, the living styles it welcomes, and facts it vouches for.

    Published by an organization of that municipality (its own office, a council secretariat or a designated
    support corporation there). Not personal data.
    """

    municipality = models.OneToOneField(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="region_profile",
        verbose_name=_("市区町村"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="region_profiles",
        verbose_name=_("発信する組織"),
    )
    vision = models.TextField(_("地域のビジョン"), blank=True)
    life_stages = models.JSONField(_("求める人（ライフステージ）"), default=list, blank=True)
    work_styles = models.JSONField(_("求める人（働き方）"), default=list, blank=True)
    skills_wanted = models.JSONField(_("求めるスキル"), default=list, blank=True)
    living_styles = models.JSONField(_("歓迎する暮らし方"), default=list, blank=True)
    snow = models.CharField(_("雪"), max_length=10, choices=Snow.choices, blank=True)
    snow_vouched_on = models.DateField(_("雪の確認日"), null=True, blank=True)
    car_needed = models.CharField(_("車の必要性"), max_length=10, choices=CarNeed.choices, blank=True)
    car_needed_vouched_on = models.DateField(_("車の必要性の確認日"), null=True, blank=True)
    fiber = models.CharField(_("光回線"), max_length=10, choices=FiberCoverage.choices, blank=True)
    fiber_vouched_on = models.DateField(_("光回線の確認日"), null=True, blank=True)
    coworking = models.BooleanField(_("コワーキングスペースがある"), null=True, blank=True)
    coworking_vouched_on = models.DateField(_("コワーキングスペースの確認日"), null=True, blank=True)
    coordinator = models.BooleanField(_("移住コーディネーターがいる"), null=True, blank=True)
    coordinator_vouched_on = models.DateField(_("移住コーディネーターの確認日"), null=True, blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)

    objects = RegionProfileQuerySet.as_manager()

    class Meta:
        ordering = ["municipality_id"]
        verbose_name = _("地域の発信")
        verbose_name_plural = _("地域の発信")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def life_stage_labels(self) -> list[str]:
        return [str(c.label) for c in LifeStage if c.value in self.life_stages]

    @property
    def work_style_labels(self) -> list[str]:
        return [str(c.label) for c in WorkStyle if c.value in self.work_styles]

    @property
    def living_style_labels(self) -> list[str]:
        return [str(c.label) for c in LivingStyle if c.value in self.living_styles]

    @property
    def vouched_rows(self) -> list[tuple[str, str, date | None]]:
        """(fact, what the region says, the date it vouched for it) for each practical fact."""
        rows = []
        for fact, vouched in VOUCHED_FACTS:
            value = getattr(self, fact)
            if isinstance(value, bool):
                text = str(_("ある") if value else _("ない"))
            else:
                text = str(getattr(self, f"get_{fact}_display")()) if value else ""
            label = getattr(self._meta.get_field(fact), "verbose_name", fact)
            rows.append((str(label), text, getattr(self, vouched)))
        return rows

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        errors |= _check_codes(self.life_stages, LifeStage, "life_stages")
        errors |= _check_codes(self.work_styles, WorkStyle, "work_styles")
        errors |= _check_codes(self.living_styles, LivingStyle, "living_styles")
        if not isinstance(self.skills_wanted, list) or any(
            not isinstance(tag, str) or not tag.strip() or len(tag) > 40 for tag in self.skills_wanted
        ):
            errors["skills_wanted"] = _("スキルは40文字以内の言葉で入力してください。")
        today = timezone.localdate()
        for fact, vouched in VOUCHED_FACTS:
            value, day = getattr(self, fact), getattr(self, vouched)
            given = value not in ("", None)
            if given and day is None:
                errors[vouched] = _("確認日を入力してください。")
            elif day is not None and not given:
                errors[vouched] = _("確認した内容がないのに確認日があります。")
            elif day is not None and day > today:
                errors[vouched] = _("確認日に未来の日付は入力できません。")
        if errors:
            raise ValidationError(errors)


class PractitionerStory(TimeStampedModel, SampleFlagModel):
    """実践者の声: a story a region publishes about someone living there; only what the author chose to publish."""

    profile = models.ForeignKey(
        RegionProfile, on_delete=models.CASCADE, related_name="stories", verbose_name=_("地域の発信")
    )
    title = models.CharField(_("タイトル"), max_length=120)
    body = models.TextField(_("本文"))
    living_style = models.CharField(_("暮らし方"), max_length=20, choices=LivingStyle.choices, blank=True)
    is_published = models.BooleanField(_("公開する"), default=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "-created_at"]
        verbose_name = _("実践者の声")
        verbose_name_plural = _("実践者の声")

    def __str__(self) -> str:
        return self.title


class MatchingProfile(TimeStampedModel, SampleFlagModel):
    """A seeker's named wishes for ranking regions (personal data: only the seeker sees it).

    `weights` maps a ranking factor (`ranking.Factor`) to 0–5; `max_distance_km` or `max_travel_minutes`,
    not both, limits the distance from the base.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_profiles"
    )
    name = models.CharField(_("名前"), max_length=60)
    adults = models.PositiveSmallIntegerField(
        _("大人の人数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    has_senior = models.BooleanField(_("65歳以上の人がいる"), default=False)
    children_ages = models.JSONField(_("子どもの年齢"), default=list, blank=True)
    work_style = models.CharField(_("働き方"), max_length=20, choices=WorkStyle.choices)
    living_style = models.CharField(_("暮らし方"), max_length=20, choices=LivingStyle.choices)
    base = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("拠点（今の住まい・勤め先）"),
    )
    trips_per_month = models.PositiveSmallIntegerField(
        _("拠点へ行く回数（月）"), default=0, validators=[MaxValueValidator(31)]
    )
    max_distance_km = models.PositiveIntegerField(
        _("拠点からの距離の上限（km）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3000)],
    )
    max_travel_minutes = models.PositiveIntegerField(
        _("拠点までの移動時間の上限（分）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    budget_monthly_yen = models.PositiveIntegerField(_("住まいの予算（円／月）"), null=True, blank=True)
    weights = models.JSONField(_("重視すること"), default=dict, blank=True)

    objects = MatchingProfileQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("マッチング条件")
        verbose_name_plural = _("マッチング条件")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="matching_profile_unique_name",
                violation_error_message=_("同じ名前の条件がすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(max_distance_km__isnull=True) | Q(max_travel_minutes__isnull=True),
                name="matching_profile_one_limit",
                violation_error_message=_("距離か移動時間のどちらか一方だけを上限にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def travel_limit(self) -> str:
        if self.max_distance_km is not None:
            return TravelLimit.DISTANCE
        if self.max_travel_minutes is not None:
            return TravelLimit.MINUTES
        return TravelLimit.NONE

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        ages = self.children_ages
        if not isinstance(ages, list) or any(
            not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 17 for age in ages
        ):
            errors["children_ages"] = _("子どもの年齢は0〜17の整数で入力してください。")
        elif len(ages) > 10:
            errors["children_ages"] = _("子どもは10人まで入力できます。")
        weights = self.weights
        if not isinstance(weights, dict) or any(
            key not in FACTORS
            or not isinstance(value, int)
            or isinstance(value, bool)
            or not 0 <= value <= MAX_WEIGHT
            for key, value in weights.items()
        ):
            errors["weights"] = _("重視することは項目ごとに0〜5の整数で指定してください。")
        if errors:
            raise ValidationError(errors)
