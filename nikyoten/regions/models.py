"""Prefectures and municipalities (JIS X 0402), built from registry packages by `load_reference_data`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nikyoten.core.models import TimeStampedModel
from nikyoten.regions.choices import (
    Dataset,
    FacilityKind,
    HazardKind,
    MunicipalityAliasKind,
    MunicipalityKind,
    RegionBlock,
    RegionFactKey,
)
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


class DatasetImport(models.Model):
    """One imported file or API fetch: the source, edition and date every imported value refers to.

    Re-importing the same dataset, edition and source replaces its rows (the import is idempotent). `coverage`
    lists the municipalities the source covers completely, so a count of zero there is a fact, not a gap.
    """

    dataset = models.CharField(_("データセット"), max_length=10, choices=Dataset.choices)
    edition = models.CharField(_("版（年・基準日）"), max_length=10)
    source_name = models.CharField(_("ファイル名・取得元"), max_length=200)
    imported_at = models.DateTimeField(_("取り込み日時"), default=timezone.now)
    rows_read = models.PositiveIntegerField(_("読んだ行数"))
    rows_imported = models.PositiveIntegerField(_("取り込んだ行数"))
    rows_skipped = models.JSONField(_("対象外の行（理由ごとの件数）"), default=dict, blank=True)
    coverage = models.ManyToManyField(
        Municipality, related_name="dataset_imports", verbose_name=_("対象の市区町村")
    )

    class Meta:
        ordering = ["dataset", "-edition", "source_name"]
        verbose_name = _("データの取り込み")
        verbose_name_plural = _("データの取り込み")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "edition", "source_name"],
                name="dataset_import_unique",
                violation_error_message=_("同じデータセット・版・取得元の取り込みがすでにあります。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.edition} ({self.source_name})"


class Facility(models.Model):
    """A point from an official dataset (hospital, school, nursery, station, shelter) in a municipality."""

    dataset_import = models.ForeignKey(DatasetImport, on_delete=models.CASCADE, related_name="facilities")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("市区町村")
    )
    kind = models.CharField(_("種類"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))
    group_code = models.CharField(_("グループコード（駅）"), max_length=20, blank=True)
    ridership = models.PositiveIntegerField(_("1日平均乗降客数"), null=True, blank=True)
    ridership_year = models.PositiveSmallIntegerField(_("乗降客数の年度"), null=True, blank=True)
    details = models.JSONField(_("元データの属性"), default=dict, blank=True)

    class Meta:
        ordering = ["municipality", "kind", "name"]
        verbose_name = _("施設")
        verbose_name_plural = _("施設")
        indexes = [
            models.Index(fields=["municipality", "kind"]),
            models.Index(fields=["kind", "lat", "lng"]),
        ]

    def __str__(self) -> str:
        return self.name


class HazardArea(models.Model):
    """A hazard polygon (flood, landslide or tsunami zone) with its level, as published."""

    dataset_import = models.ForeignKey(DatasetImport, on_delete=models.CASCADE, related_name="hazard_areas")
    kind = models.CharField(_("種類"), max_length=20, choices=HazardKind.choices)
    level = models.PositiveSmallIntegerField(
        _("区分"), help_text=_("洪水: 浸水深ランク 1〜6、土砂: 区域区分 1〜4、津波: 浸水深の下限（cm）")
    )
    label = models.CharField(_("区分の表記"), max_length=60)
    geometry = models.BinaryField(_("形状（WKB）"))
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lng = models.FloatField()
    max_lng = models.FloatField()

    class Meta:
        ordering = ["kind", "level"]
        verbose_name = _("災害想定区域")
        verbose_name_plural = _("災害想定区域")
        indexes = [models.Index(fields=["kind", "min_lat", "max_lat"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class MunicipalityBoundary(models.Model):
    """The N03 territory of a municipality; once imported it replaces the JMA polygon for lookups and area."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    dataset_import = models.ForeignKey(DatasetImport, on_delete=models.CASCADE, related_name="boundaries")
    geometry = models.BinaryField(_("形状（WKB）"))

    class Meta:
        verbose_name = _("行政区域の境界")
        verbose_name_plural = _("行政区域の境界")

    def __str__(self) -> str:
        return str(self.municipality_id)


class RegionFact(models.Model):
    """One fact about a municipality with the imports it was taken or derived from; no row means no data."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(_("項目"), max_length=40, choices=RegionFactKey.choices)
    value = models.FloatField(_("値"))
    reference_year = models.PositiveSmallIntegerField(_("対象年度"), null=True, blank=True)
    sources = models.ManyToManyField(DatasetImport, related_name="facts", verbose_name=_("出典"))
    computed_at = models.DateTimeField(_("計算日時"), default=timezone.now)

    class Meta:
        ordering = ["municipality", "key"]
        verbose_name = _("地域の指標")
        verbose_name_plural = _("地域の指標")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"],
                name="region_fact_unique",
                violation_error_message=_("この市区町村のこの項目はすでにあります。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.key}={self.value}"
