"""Prefectures and municipalities (JIS X 0402), built from registry packages by `load_reference_data`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nikyoten.core.models import TimeStampedModel
from nikyoten.regions.choices import MunicipalityAliasKind, MunicipalityKind, RegionBlock
from nikyoten.regions.querysets import MunicipalityQuerySet


class Prefecture(TimeStampedModel):
    """都道府県: one of the 47, keyed by its 2-digit code."""

    code = models.CharField(_("都道府県コード"), max_length=2, primary_key=True)
    lg_code = models.CharField(_("団体コード"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=10, unique=True)
    short_name = models.CharField(_("略称"), max_length=10)
    kana = models.CharField(_("よみがな"), max_length=20)
    name_en = models.CharField(_("英語名"), max_length=40)
    iso_code = models.CharField(_("ISO 3166-2"), max_length=5, unique=True)
    region_block = models.CharField(_("地方"), max_length=20, choices=RegionBlock.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")

    def __str__(self) -> str:
        return self.name


class Municipality(TimeStampedModel):
    """市区町村 (or a 政令市's ward), keyed by its 5-digit JIS X 0402 code.

    The office point is the city hall (which for four municipalities lies outside their territory); the inside
    point always lies inside the territory and is what maps and point lookups should use.
    """

    code = models.CharField(_("市区町村コード"), max_length=5, primary_key=True)
    lg_code = models.CharField(_("全国地方公共団体コード"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    kana = models.CharField(_("よみがな"), max_length=60)
    romaji = models.CharField(_("ローマ字"), max_length=80)
    name_en = models.CharField(_("英語名"), max_length=80)
    kind = models.CharField(_("種別"), max_length=20, choices=MunicipalityKind.choices)
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("都道府県")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("所属する政令市"),
    )
    gun = models.CharField(_("郡"), max_length=20, blank=True)
    office_lat = models.FloatField(_("役所の緯度"), null=True, blank=True)
    office_lng = models.FloatField(_("役所の経度"), null=True, blank=True)
    office_outside_territory = models.BooleanField(_("役所が区域外にある"), default=False)
    inside_lat = models.FloatField(_("域内の点の緯度"), null=True, blank=True)
    inside_lng = models.FloatField(_("域内の点の経度"), null=True, blank=True)
    area_km2 = models.FloatField(_("面積（km²）"), null=True, blank=True)
    valid_from = models.DateField(_("有効期間の開始"), null=True, blank=True)
    valid_to = models.DateField(_("有効期間の終了"), null=True, blank=True)
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")
        indexes = [models.Index(fields=["prefecture", "kind"]), models.Index(fields=["kana"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MunicipalityKind.WARD, parent__isnull=False)
                | (~Q(kind=MunicipalityKind.WARD) & Q(parent__isnull=True)),
                name="municipality_ward_has_parent",
                violation_error_message=_("区には所属する政令市が必要で、区以外には不要です。"),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lt=models.F("valid_to")),
                name="municipality_validity_order",
                violation_error_message=_("有効期間の開始は終了より前にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def full_name(self) -> str:
        """Prefecture and name, as on an address: 東京都千代田区."""
        return f"{self.prefecture.name}{self.gun}{self.name}"


class MunicipalityAlias(models.Model):
    """Another name a municipality is or was known by: a former name, a kanji variant, a 郡-prefixed form."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=40)
    kind = models.CharField(_("種別"), max_length=20, choices=MunicipalityAliasKind.choices)
    valid_to = models.DateField(_("この名称が使われた最終日の翌日"), null=True, blank=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("市区町村の別名")
        verbose_name_plural = _("市区町村の別名")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="municipality_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.municipality_id}"


class ReferenceDataLoad(models.Model):
    """One run of `load_reference_data`: which package versions built the master, and what changed."""

    loaded_at = models.DateTimeField(_("読み込み日時"), auto_now_add=True)
    sources = models.JSONField(_("元データのパッケージと版"))
    created = models.PositiveIntegerField(_("追加"))
    updated = models.PositiveIntegerField(_("更新"))
    unchanged = models.PositiveIntegerField(_("変更なし"))

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("参照データの読み込み")
        verbose_name_plural = _("参照データの読み込み")

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M}"
