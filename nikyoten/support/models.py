"""Support programs with versioned rules (rules as data), seekers' answers, and route fares for the cost model."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nikyoten.core.models import SampleFlagModel, TimeStampedModel
from nikyoten.support.choices import BudgetStatus, ProgramCategory, ProgramLevel
from nikyoten.support.querysets import ProgramQuerySet, ProgramVersionQuerySet


class SupportProgram(TimeStampedModel, SampleFlagModel):
    """支援制度: a program of the state, a prefecture, a municipality or a private body; its rules are in versions."""

    key = models.SlugField(_("識別子"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英語名"), max_length=200, blank=True)
    level = models.CharField(_("実施主体"), max_length=20, choices=ProgramLevel.choices)
    category = models.CharField(_("分類"), max_length=30, choices=ProgramCategory.choices)
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, null=True, blank=True, related_name="support_programs"
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_programs",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_programs",
        verbose_name=_("管理する組織"),
    )
    summary = models.TextField(_("概要"), blank=True)
    funding_shares = models.JSONField(_("負担割合"), default=dict, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["level", "prefecture_id", "municipality_id", "name"]
        verbose_name = _("支援制度")
        verbose_name_plural = _("支援制度")
        constraints = [
            models.CheckConstraint(
                condition=~Q(level=ProgramLevel.MUNICIPALITY) | Q(municipality__isnull=False),
                name="program_municipal_level_has_municipality",
                violation_error_message=_("市区町村の制度には市区町村を指定してください。"),
            ),
            models.CheckConstraint(
                condition=~Q(level=ProgramLevel.PREFECTURE) | Q(prefecture__isnull=False),
                name="program_prefectural_level_has_prefecture",
                violation_error_message=_("都道府県の制度には都道府県を指定してください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramVersion(TimeStampedModel):
    """The rules of a program for an effective period; a change is a new version, so history keeps answering.

    `conditions`, `benefit`, `window`, `repayment` and `stacking` follow the rule schema of
    `nikyoten.support.eligibility` (validated by `ProgramRule.from_dict` before every save).
    """

    program = models.ForeignKey(SupportProgram, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("適用開始日"))
    effective_to = models.DateField(_("適用終了日"), null=True, blank=True)
    conditions = models.JSONField(_("受給要件"), default=dict)
    benefit = models.JSONField(_("支給額の算定"), default=dict)
    window = models.JSONField(_("申請期間"), default=dict, blank=True)
    repayment = models.JSONField(_("返還"), default=list, blank=True)
    stacking = models.JSONField(_("併用"), default=dict, blank=True)
    budget_status = models.CharField(
        _("予算の状況"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.OPEN
    )
    deadline = models.DateField(_("締切"), null=True, blank=True)
    source_url = models.URLField(_("出典"), max_length=500)
    last_verified = models.DateField(_("最終確認日"))
    notes = models.TextField(_("備考"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProgramVersionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-effective_from"]
        verbose_name = _("支援制度の版")
        verbose_name_plural = _("支援制度の版")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="program_version_period_order",
                violation_error_message=_("適用終了日は適用開始日以降にしてください。"),
            ),
            models.UniqueConstraint(
                fields=["program", "effective_from"], name="program_version_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.effective_from}〜{self.effective_to or ''})"


class SeekerProfile(TimeStampedModel):
    """A seeker's answers to the questions programs ask (personal data: only the seeker sees it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_profile"
    )
    answers = models.JSONField(_("回答"), default=dict)

    class Meta:
        verbose_name = _("支援制度の回答")
        verbose_name_plural = _("支援制度の回答")

    def __str__(self) -> str:
        return str(self.user)


class RelocationGrantStatus(TimeStampedModel):
    """Whether a municipality takes part in the national 移住支援金 (and is a 条件不利地域 of 東京圏), with source."""

    municipality = models.OneToOneField(
        "regions.Municipality", on_delete=models.CASCADE, related_name="relocation_grant_status"
    )
    participates = models.BooleanField(_("移住支援金の実施"))
    disadvantaged = models.BooleanField(_("条件不利地域"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=300)
    as_of = models.DateField(_("時点"))

    class Meta:
        verbose_name = _("移住支援金の実施状況")
        verbose_name_plural = _("移住支援金の実施状況")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.participates}"


class RouteFare(TimeStampedModel, SampleFlagModel):
    """A real fare an organization enters for a route (e.g. a 新幹線 commuter pass), overriding the distance model."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="route_fares"
    )
    origin = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("出発地")
    )
    destination = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("到着地")
    )
    mode = models.CharField(_("交通手段"), max_length=30)
    one_way_yen = models.PositiveIntegerField(_("片道運賃（円）"), null=True, blank=True)
    monthly_pass_yen = models.PositiveIntegerField(_("1か月定期（円）"), null=True, blank=True)
    one_way_minutes = models.PositiveIntegerField(_("片道の所要時間（分）"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=300)

    class Meta:
        ordering = ["origin", "destination", "mode"]
        verbose_name = _("区間運賃")
        verbose_name_plural = _("区間運賃")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "origin", "destination", "mode"], name="route_fare_unique"
            ),
            models.CheckConstraint(
                condition=Q(one_way_yen__isnull=False) | Q(monthly_pass_yen__isnull=False),
                name="route_fare_has_a_price",
                violation_error_message=_("片道運賃か1か月定期のどちらかを入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin}→{self.destination} {self.mode}"
