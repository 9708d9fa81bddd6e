from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    """The kinds of home the seed names (住まいの多様な形態)."""

    AKIYA_SALE = "akiya_sale", _("空き家（売買）")
    AKIYA_RENT = "akiya_rent", _("空き家（賃貸）")
    RENTAL = "rental", _("賃貸")
    SHARE_HOUSE = "share_house", _("シェアハウス")
    PUBLIC_RENTAL = "public_rental", _("公的賃貸・地域優良賃貸")
    TRIAL_STAY = "trial_stay", _("お試し住宅")
    RELOCATION_SUPPORT = "relocation_support", _("移住支援住宅")
    SUBLEASE = "sublease", _("中間管理住宅")


#: Kinds sold rather than rented: they carry a sale price, the others a rent.
SALE_KINDS = frozenset({ListingKind.AKIYA_SALE})
#: Kinds whose homes the municipality or an NPO sublets from the owner under a master lease.
SUBLEASE_KINDS = frozenset({ListingKind.SUBLEASE, ListingKind.RELOCATION_SUPPORT})
#: Kinds that can be booked as trial stays.
BOOKABLE_KINDS = frozenset({ListingKind.TRIAL_STAY, ListingKind.RELOCATION_SUPPORT})


class ListingStatus(models.TextChoices):
    OPEN = "open", _("募集中")
    NEGOTIATING = "negotiating", _("商談中")
    CONTRACTED = "contracted", _("成約済")
    WITHDRAWN = "withdrawn", _("取下げ")


#: Statuses shown to the public (a withdrawn listing is visible to its organization only).
PUBLIC_STATUSES = (ListingStatus.OPEN, ListingStatus.NEGOTIATING, ListingStatus.CONTRACTED)


class BuildingStructure(models.TextChoices):
    WOOD = "wood", _("木造")
    LIGHT_STEEL = "light_steel", _("軽量鉄骨造")
    STEEL = "steel", _("鉄骨造")
    RC = "rc", _("鉄筋コンクリート造")
    SRC = "src", _("鉄骨鉄筋コンクリート造")
    OTHER = "other", _("その他")


class BuildingCondition(models.TextChoices):
    READY = "ready", _("すぐに住める")
    MINOR_REPAIR = "minor_repair", _("一部修繕が必要")
    RENOVATION = "renovation", _("改修が必要")
    UNKNOWN = "unknown", _("未確認")


class PetPolicy(models.TextChoices):
    ALLOWED = "allowed", _("可")
    NEGOTIABLE = "negotiable", _("相談可")
    NOT_ALLOWED = "not_allowed", _("不可")
    UNKNOWN = "unknown", _("不明")


class InternetAccess(models.TextChoices):
    FIBRE = "fibre", _("光回線あり")
    OTHER = "other", _("あり（光回線以外）")
    NONE = "none", _("なし")
    UNKNOWN = "unknown", _("不明")


class AkiyaStage(models.TextChoices):
    """The seed's three stages (掘り起こし → 改修 → 管理) in the steps an office follows, and the two ends."""

    DISCOVERED = "discovered", _("掘り起こし")
    OWNER_IDENTIFIED = "owner_identified", _("所有者特定")
    INTENT_CONFIRMED = "intent_confirmed", _("意向確認")
    RENOVATION = "renovation", _("改修")
    PUBLISHED = "published", _("管理・公開")
    CONTRACTED = "contracted", _("成約")
    ABANDONED = "abandoned", _("断念")


#: Stages a case has finished with.
CLOSED_STAGES = frozenset({AkiyaStage.CONTRACTED, AkiyaStage.ABANDONED})


class AkiyaSource(models.TextChoices):
    """How the office learned of the vacant house."""

    SURVEY = "survey", _("実態調査")
    RESIDENT = "resident", _("住民・自治会からの情報")
    OWNER = "owner", _("所有者からの相談")
    WATER = "water", _("水道閉栓情報")
    TAX = "tax", _("固定資産税情報")
    OTHER = "other", _("その他")


class AkiyaEventKind(models.TextChoices):
    STAGE = "stage", _("段階の変更")
    NOTE = "note", _("メモ")
    CONTACT = "contact", _("所有者との連絡")


class OwnerKind(models.TextChoices):
    PERSON = "person", _("個人")
    COMPANY = "company", _("法人")


class CampaignResponse(models.TextChoices):
    """What came back from an owner letter."""

    PENDING = "pending", _("回答なし")
    INTERESTED = "interested", _("活用に前向き")
    UNDECIDED = "undecided", _("検討中")
    DECLINED = "declined", _("活用しない")
    UNDELIVERABLE = "undeliverable", _("宛先不明で返送")


class StayUnit(models.TextChoices):
    NIGHT = "night", _("泊")
    MONTH = "month", _("か月")


class BookingStatus(models.TextChoices):
    """request → approve (confirmed) or decline; a request or a confirmed booking can be cancelled."""

    REQUESTED = "requested", _("申込中")
    CONFIRMED = "confirmed", _("確定")
    DECLINED = "declined", _("お断り")
    CANCELLED = "cancelled", _("キャンセル")


#: Statuses that hold a place in a person's quota of bookings.
HELD_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class InquiryStatus(models.TextChoices):
    NEW = "new", _("未対応")
    ANSWERED = "answered", _("回答済")
    CLOSED = "closed", _("完了")


class ListingSort(models.TextChoices):
    """Orders of the listing search (the default is the most recently updated first)."""

    UPDATED = "updated", _("更新が新しい順")
    NEW = "new", _("掲載が新しい順")
    PRICE_ASC = "price_asc", _("価格が安い順")
    PRICE_DESC = "price_desc", _("価格が高い順")
    RENT_ASC = "rent_asc", _("賃料が安い順")
    RENT_DESC = "rent_desc", _("賃料が高い順")
    AREA = "area", _("建物面積が広い順")


#: The public statuses as choices (the search's status filter).
PUBLIC_STATUS_CHOICES = [(status.value, status.label) for status in PUBLIC_STATUSES]
