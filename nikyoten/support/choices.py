from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramLevel(models.TextChoices):
    NATIONAL = "national", _("国")
    PREFECTURE = "prefecture", _("都道府県")
    MUNICIPALITY = "municipality", _("市区町村")
    PRIVATE = "private", _("民間")


class ProgramCategory(models.TextChoices):
    RELOCATION_GRANT = "relocation_grant", _("移住支援金")
    HOUSING_PURCHASE = "housing_purchase", _("住宅取得")
    RENOVATION = "renovation", _("改修")
    RENT = "rent", _("家賃")
    COMMUTE = "commute", _("通勤・交通費")
    CHILDCARE = "childcare", _("子育て")
    STARTUP = "startup", _("起業")
    FARMING = "farming", _("就農")
    TRIAL_STAY = "trial_stay", _("お試し居住")
    MOVING = "moving", _("引越し")


class BudgetStatus(models.TextChoices):
    OPEN = "open", _("受付中")
    LOW = "low", _("予算残少")
    CLOSED = "closed", _("受付終了")
