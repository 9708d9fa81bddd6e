from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("市区町村")
    PREFECTURE = "prefecture", _("都道府県")
    SUPPORT_CORPORATION = "support_corporation", _("特定居住支援法人")
    NPO = "npo", _("NPO")
    REALTOR = "realtor", _("不動産事業者")
    COMPANY = "company", _("企業")
    TRANSPORT_OPERATOR = "transport_operator", _("地域交通事業者")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("商工会")
    AGRICULTURAL_COOPERATIVE = "agricultural_cooperative", _("農協")
    COWORKING_OPERATOR = "coworking_operator", _("コワーキング運営者")
    COUNCIL_SECRETARIAT = "council_secretariat", _("協議会事務局")


class MembershipRole(models.TextChoices):
    """Roles in an organization, from most to least rights."""

    ADMIN = "admin", _("管理者")
    EDITOR = "editor", _("編集者")
    VIEWER = "viewer", _("閲覧者")


class AuditAction(models.TextChoices):
    CREATE = "create", _("作成")
    UPDATE = "update", _("変更")
    DELETE = "delete", _("削除")


class PrincipalKind(models.TextChoices):
    """Who is calling the API."""

    USER = "user", _("ユーザー")
    API_CLIENT = "api_client", _("API クライアント")
    ANONYMOUS = "anonymous", _("未ログイン")
