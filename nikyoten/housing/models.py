"""Housing: listings of every kind, akiya cases with their owners and outreach, trial-stay booking, inquiries."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from nikyoten.core.models import SampleFlagModel, TimeStampedModel
from nikyoten.housing.choices import (
    AkiyaEventKind,
    AkiyaSource,
    AkiyaStage,
    BookingStatus,
    BuildingCondition,
    BuildingStructure,
    CampaignResponse,
    InquiryStatus,
    InternetAccess,
    ListingKind,
    ListingStatus,
    OwnerKind,
    PetPolicy,
    StayUnit,
)
from nikyoten.housing.querysets import (
    AkiyaCaseQuerySet,
    BookingQuerySet,
    CampaignQuerySet,
    InquiryQuerySet,
    ListingQuerySet,
    OwnerQuerySet,
    SavedSearchQuerySet,
    TrialStayUnitQuerySet,
)

floor_plan_validator = RegexValidator(
    r"^([1-9][0-9]?(R|K|DK|LDK|SK|SDK|SLDK)|ワンルーム)$",
    _("間取りは「4LDK」「2DK」「1R」のように入力してください。"),
)
postal_code_validator = RegexValidator(r"^\d{7}$", _("郵便番号は7桁の数字で入力してください。"))


class Listing(TimeStampedModel, SampleFlagModel):
    """物件: a home offered for sale, rent, sublease or trial stay, managed by an organization.

    The point (latitude, longitude) must lie inside `municipality` (checked by the services against the
    municipality master). `last_confirmed_at` is when the organization last confirmed the facts; a listing
    not confirmed for `HOUSING_STALE_AFTER_DAYS` is shown as possibly out of date.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("掲載する組織"),
    )
    prefecture = models.ForeignKey(
        "regions.Prefecture", on_delete=models.PROTECT, related_name="listings", verbose_name=_("都道府県")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("市区町村"),
    )
    kind = models.CharField(_("種別"), max_length=30, choices=ListingKind.choices)
    status = models.CharField(
        _("募集状況"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.OPEN
    )
    title = models.CharField(_("タイトル"), max_length=120)
    description = models.TextField(_("説明"), blank=True)
    sale_price_yen = models.PositiveBigIntegerField(_("価格（円）"), null=True, blank=True)
    rent_yen = models.PositiveIntegerField(_("賃料（円／月）"), null=True, blank=True)
    floor_plan = models.CharField(_("間取り"), max_length=12, blank=True, validators=[floor_plan_validator])
    building_area_m2 = models.DecimalField(
        _("建物面積（m²）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    land_area_m2 = models.DecimalField(
        _("土地面積（m²）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    year_built = models.PositiveSmallIntegerField(
        _("建築年"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1868), MaxValueValidator(2100)],
    )
    structure = models.CharField(_("構造"), max_length=20, choices=BuildingStructure.choices, blank=True)
    condition = models.CharField(
        _("建物の状態"), max_length=20, choices=BuildingCondition.choices, default=BuildingCondition.UNKNOWN
    )
    renovation_notes = models.TextField(_("必要な改修"), blank=True)
    parking_spaces = models.PositiveSmallIntegerField(_("駐車場（台）"), null=True, blank=True)
    has_farmland = models.BooleanField(_("農地付き"), default=False)
    has_shop = models.BooleanField(_("店舗付き"), default=False)
    pets = models.CharField(_("ペット"), max_length=20, choices=PetPolicy.choices, default=PetPolicy.UNKNOWN)
    internet = models.CharField(
        _("インターネット"), max_length=20, choices=InternetAccess.choices, default=InternetAccess.UNKNOWN
    )
    heating_notes = models.CharField(_("暖房"), max_length=200, blank=True)
    snow_notes = models.CharField(_("雪"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("郵便番号"), max_length=7, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("所在地"), max_length=200)
    latitude = models.FloatField(
        _("緯度"), null=True, blank=True, validators=[MinValueValidator(20), MaxValueValidator(46)]
    )
    longitude = models.FloatField(
        _("経度"), null=True, blank=True, validators=[MinValueValidator(122), MaxValueValidator(154)]
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("入居期間の上限（月）"),
        null=True,
        blank=True,
        help_text=_("移住支援住宅・中間管理住宅など、住める期間に上限がある場合。"),
    )
    master_lease_start = models.DateField(_("所有者からの借上げ開始日"), null=True, blank=True)
    master_lease_end = models.DateField(_("所有者からの借上げ終了日"), null=True, blank=True)
    master_lease_terms = models.TextField(_("借上げの条件"), blank=True)
    last_confirmed_at = models.DateTimeField(_("情報の最終確認日時"))
    search_text = models.TextField(editable=False, default="")

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("物件")
        verbose_name_plural = _("物件")
        indexes = [
            models.Index(
                fields=["prefecture", "kind", "status", "sale_price_yen"], name="listing_pref_kind_price"
            ),
            models.Index(fields=["prefecture", "kind", "status", "rent_yen"], name="listing_pref_kind_rent"),
            models.Index(fields=["municipality", "status"], name="listing_municipality_status"),
            models.Index(fields=["status", "-updated_at"], name="listing_status_updated"),
            models.Index(fields=["latitude", "longitude"], name="listing_point"),
            models.Index(fields=["organization", "last_confirmed_at"], name="listing_org_confirmed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="listing_point_complete",
                violation_error_message=_("緯度と経度は両方入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(master_lease_end__isnull=True)
                | Q(master_lease_start__isnull=True)
                | Q(master_lease_end__gt=F("master_lease_start")),
                name="listing_master_lease_ends_after_start",
                violation_error_message=_("借上げ終了日は開始日より後にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ListingPhoto(TimeStampedModel):
    """A photo of a listing, resized on upload; the alt text describes it for screen readers."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("写真"), upload_to="housing/listings/%Y/%m/")
    alt_text = models.CharField(_("写真の説明（代替テキスト）"), max_length=200)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["listing_id", "position", "id"]
        verbose_name = _("物件の写真")
        verbose_name_plural = _("物件の写真")

    def __str__(self) -> str:
        return self.alt_text


class AkiyaCase(TimeStampedModel, SampleFlagModel):
    """空き家の案件: one vacant house followed by an organization from discovery to contract or abandonment.

    Its owners are personal data (see `Owner`). When published, it is linked to the listing that offers it.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="akiya_cases",
        verbose_name=_("担当組織"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="akiya_cases",
        verbose_name=_("市区町村"),
    )
    reference = models.CharField(_("管理番号"), max_length=40)
    address = models.CharField(_("所在地"), max_length=200)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    stage = models.CharField(
        _("段階"), max_length=20, choices=AkiyaStage.choices, default=AkiyaStage.DISCOVERED
    )
    source = models.CharField(_("把握のきっかけ"), max_length=20, choices=AkiyaSource.choices)
    discovered_on = models.DateField(_("把握日"))
    stage_changed_on = models.DateField(_("段階の変更日"))
    notes = models.TextField(_("メモ"), blank=True)
    listing = models.OneToOneField(
        Listing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="akiya_case",
        verbose_name=_("公開中の物件"),
    )

    objects = AkiyaCaseQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "reference"]
        verbose_name = _("空き家の案件")
        verbose_name_plural = _("空き家の案件")
        indexes = [models.Index(fields=["organization", "stage"], name="akiyacase_org_stage")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"],
                name="akiyacase_reference_unique_per_organization",
                violation_error_message=_("この管理番号はすでに使われています。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.address}"


class AkiyaCaseEvent(models.Model):
    """A dated step in a case: a stage change, a note or a contact with the owner, and who recorded it."""

    case = models.ForeignKey(AkiyaCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("種類"), max_length=20, choices=AkiyaEventKind.choices)
    occurred_on = models.DateField(_("日付"))
    from_stage = models.CharField(_("変更前の段階"), max_length=20, choices=AkiyaStage.choices, blank=True)
    to_stage = models.CharField(_("変更後の段階"), max_length=20, choices=AkiyaStage.choices, blank=True)
    note = models.TextField(_("内容"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "occurred_on", "id"]
        verbose_name = _("案件の経過")
        verbose_name_plural = _("案件の経過")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class Owner(TimeStampedModel, SampleFlagModel):
    """所有者 (or an heir) of an akiya case: personal data.

    Visible only to the case's organization, and to an organization holding the owner's recorded, unrevoked
    consent (2024 law: owner-identifying information goes to a 特定居住支援法人 only with the owner's consent).
    """

    case = models.ForeignKey(AkiyaCase, on_delete=models.CASCADE, related_name="owners")
    kind = models.CharField(
        _("個人・法人"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.PERSON
    )
    name = models.CharField(_("氏名・名称"), max_length=120)
    name_kana = models.CharField(_("フリガナ"), max_length=120, blank=True)
    is_heir = models.BooleanField(_("相続人"), default=False)
    relation = models.CharField(_("続柄・立場"), max_length=60, blank=True)
    postal_code = models.CharField(
        _("郵便番号"), max_length=7, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("住所"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)

    objects = OwnerQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "is_heir", "id"]
        verbose_name = _("所有者")
        verbose_name_plural = _("所有者")

    def __str__(self) -> str:
        return self.name


class OwnerConsent(TimeStampedModel):
    """The owner's consent to share their identifying information with one organization, until revoked."""

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="consents")
    recipient = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="owner_consents_received",
        verbose_name=_("提供先"),
    )
    purpose = models.CharField(_("利用目的"), max_length=200)
    consented_on = models.DateField(_("同意日"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("記録者"),
    )
    revoked_on = models.DateField(_("撤回日"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤回の記録者"),
    )

    class Meta:
        ordering = ["owner_id", "-consented_on", "-id"]
        verbose_name = _("所有者の同意")
        verbose_name_plural = _("所有者の同意")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "recipient"],
                condition=Q(revoked_on__isnull=True),
                name="ownerconsent_one_active_per_recipient",
                violation_error_message=_("この提供先への同意はすでに記録されています。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} → {self.recipient}"


class Campaign(TimeStampedModel, SampleFlagModel):
    """An owner outreach campaign: letters to the owners of chosen cases, and their responses."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("実施組織"),
    )
    title = models.CharField(_("名称"), max_length=120)
    letter_subject = models.CharField(_("文書の件名"), max_length=120)
    letter_body = models.TextField(_("文書の本文"))
    sent_on = models.DateField(_("発送日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("作成者"),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "-created_at"]
        verbose_name = _("所有者への働きかけ")
        verbose_name_plural = _("所有者への働きかけ")

    def __str__(self) -> str:
        return self.title


class CampaignLetter(TimeStampedModel):
    """One letter of a campaign: to one owner about one case, with the response when it comes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="letters")
    case = models.ForeignKey(AkiyaCase, on_delete=models.CASCADE, related_name="letters")
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="letters")
    response = models.CharField(
        _("回答"), max_length=20, choices=CampaignResponse.choices, default=CampaignResponse.PENDING
    )
    responded_on = models.DateField(_("回答日"), null=True, blank=True)
    response_note = models.TextField(_("回答の内容"), blank=True)

    class Meta:
        ordering = ["campaign_id", "id"]
        verbose_name = _("送付した文書")
        verbose_name_plural = _("送付した文書")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "owner"],
                name="campaignletter_one_per_owner",
                violation_error_message=_("この所有者にはすでに文書があります。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.owner}"


class TrialStayUnit(TimeStampedModel):
    """A bookable home (お試し住宅, 移住体験住宅) and its stay rules; it is offered through its listing.

    Stays are counted in nights or months (`stay_unit`); `price_yen` is per unit. No two confirmed bookings of
    a unit overlap: the database refuses it (see migration 0002 and docs/decisions).
    """

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="trial_stay")
    stay_unit = models.CharField(_("滞在の単位"), max_length=10, choices=StayUnit.choices)
    min_stay = models.PositiveSmallIntegerField(_("最短滞在"), validators=[MinValueValidator(1)])
    max_stay = models.PositiveSmallIntegerField(_("最長滞在"), validators=[MinValueValidator(1)])
    price_yen = models.PositiveIntegerField(_("料金（円／単位）"))
    capacity = models.PositiveSmallIntegerField(_("定員（人）"), validators=[MinValueValidator(1)])
    max_bookings_per_person = models.PositiveSmallIntegerField(
        _("1人が同時に持てる予約数"), default=1, validators=[MinValueValidator(1)]
    )
    lead_time_days = models.PositiveSmallIntegerField(_("申込の締切（利用開始の何日前まで）"), default=7)
    house_rules = models.TextField(_("利用のきまり"), blank=True)
    is_bookable = models.BooleanField(_("予約受付中"), default=True)

    objects = TrialStayUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("お試し住宅の予約設定")
        verbose_name_plural = _("お試し住宅の予約設定")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_stay__gte=F("min_stay")),
                name="trialstayunit_max_stay_at_least_min",
                violation_error_message=_("最長滞在は最短滞在以上にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.listing)


class Booking(TimeStampedModel):
    """A seeker's booking of a trial-stay unit from `start_date` (arrival) to `end_date` (departure, exclusive)."""

    unit = models.ForeignKey(TrialStayUnit, on_delete=models.PROTECT, related_name="bookings")
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    start_date = models.DateField(_("利用開始日"))
    end_date = models.DateField(_("退去日"))
    guests = models.PositiveSmallIntegerField(_("人数"), validators=[MinValueValidator(1)])
    message = models.TextField(_("申込メッセージ"), blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("承認・お断りの日時"), null=True, blank=True)
    decision_note = models.TextField(_("組織からの連絡"), blank=True)
    cancelled_at = models.DateTimeField(_("キャンセル日時"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "start_date", "id"]
        verbose_name = _("予約")
        verbose_name_plural = _("予約")
        indexes = [models.Index(fields=["unit", "status", "start_date"], name="booking_unit_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="booking_ends_after_start",
                violation_error_message=_("退去日は利用開始日より後にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_date}–{self.end_date}"


class Inquiry(TimeStampedModel):
    """A seeker's question about a listing to the organization behind it; a thread of messages."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="inquiries")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("宛先")
    )
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inquiries")
    subject = models.CharField(_("件名"), max_length=120)
    status = models.CharField(
        _("状態"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("問い合わせ")
        verbose_name_plural = _("問い合わせ")
        indexes = [models.Index(fields=["organization", "status", "-updated_at"], name="inquiry_org_status")]

    def __str__(self) -> str:
        return self.subject


class InquiryMessage(models.Model):
    """One message of an inquiry thread, from the seeker or from the organization's staff."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_organization = models.BooleanField(_("組織からの返信"), default=False)
    body = models.TextField(_("本文"))
    created_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        ordering = ["inquiry_id", "created_at", "id"]
        verbose_name = _("問い合わせのメッセージ")
        verbose_name_plural = _("問い合わせのメッセージ")

    def __str__(self) -> str:
        return f"{self.inquiry} #{self.pk}"


class SavedSearch(TimeStampedModel):
    """A seeker's saved listing search (the filter's query string) and whether to email new and changed matches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("名前"), max_length=80)
    query = models.CharField(_("検索条件"), max_length=1000)
    alerts_enabled = models.BooleanField(_("新着をメールで受け取る"), default=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "-created_at"]
        verbose_name = _("保存した検索")
        verbose_name_plural = _("保存した検索")

    def __str__(self) -> str:
        return self.name


class SavedSearchAlert(models.Model):
    """A listing already emailed for a saved search, in the version (`listing_updated_at`) that was sent.

    A listing is alerted once when new and once more each time it changes.
    """

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    listing_updated_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "listing"], name="savedsearchalert_once_per_listing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} / {self.listing_id}"
