from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    """市・町・村・特別区・政令市・区 (a ward is a child of its 政令市)."""

    CITY = "city", _("市")
    DESIGNATED_CITY = "designated_city", _("政令市")
    TOWN = "town", _("町")
    VILLAGE = "village", _("村")
    SPECIAL_WARD = "special_ward", _("特別区")
    WARD = "ward", _("区")


class MunicipalityAliasKind(models.TextChoices):
    FORMER = "former", _("旧名称")
    VARIANT = "variant", _("異体字")
    PREFIXED = "prefixed", _("郡・島を付けた表記")


class RegionBlock(models.TextChoices):
    """The 8 regional blocks (地方区分) that group prefectures."""

    HOKKAIDO = "hokkaido", _("北海道")
    TOHOKU = "tohoku", _("東北")
    KANTO = "kanto", _("関東")
    CHUBU = "chubu", _("中部")
    KINKI = "kinki", _("近畿")
    CHUGOKU = "chugoku", _("中国")
    SHIKOKU = "shikoku", _("四国")
    KYUSHU_OKINAWA = "kyushu_okinawa", _("九州・沖縄")
