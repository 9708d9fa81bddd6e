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


class Dataset(models.TextChoices):
    """The official datasets the importers read (国土数値情報 ids, e-Stat, 国土地理院)."""

    N03 = "N03", _("国土数値情報 行政区域")
    P04 = "P04", _("国土数値情報 医療機関")
    P29 = "P29", _("国土数値情報 学校")
    P14 = "P14", _("国土数値情報 福祉施設")
    N02 = "N02", _("国土数値情報 鉄道（駅）")
    S12 = "S12", _("国土数値情報 駅別乗降客数")
    P20 = "P20", _("国土数値情報 避難施設")
    XGT001 = "XGT001", _("国土地理院 指定緊急避難場所")
    A31A = "A31a", _("国土数値情報 洪水浸水想定区域")
    A33 = "A33", _("国土数値情報 土砂災害警戒区域")
    A40 = "A40", _("国土数値情報 津波浸水想定")
    CENSUS = "census", _("国勢調査（e-Stat）")


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("病院")
    CLINIC = "clinic", _("診療所")
    DENTAL_CLINIC = "dental_clinic", _("歯科診療所")
    ELEMENTARY_SCHOOL = "elementary_school", _("小学校")
    JUNIOR_HIGH_SCHOOL = "junior_high_school", _("中学校")
    HIGH_SCHOOL = "high_school", _("高等学校")
    KINDERGARTEN = "kindergarten", _("幼稚園")
    OTHER_SCHOOL = "other_school", _("その他の学校")
    NURSERY = "nursery", _("保育所")
    WELFARE = "welfare", _("その他の福祉施設")
    STATION = "station", _("駅")
    SHELTER = "shelter", _("避難場所・避難所")


class HazardKind(models.TextChoices):
    FLOOD = "flood", _("洪水浸水想定区域（想定最大規模）")
    LANDSLIDE = "landslide", _("土砂災害警戒区域")
    TSUNAMI = "tsunami", _("津波浸水想定")


class RegionFactKey(models.TextChoices):
    """Facts per municipality: imported (census) or derived from imported features."""

    POPULATION = "population", _("人口")
    CHILDREN_0_5 = "children_0_5", _("0〜5歳の人口")
    POPULATION_0_14 = "population_0_14", _("0〜14歳の人口")
    POPULATION_15_64 = "population_15_64", _("15〜64歳の人口")
    POPULATION_65_OVER = "population_65_over", _("65歳以上の人口")
    HOUSEHOLDS = "households", _("世帯数")
    HOSPITALS = "hospitals", _("病院")
    CLINICS = "clinics", _("診療所")
    MEDICAL_PER_10K = "medical_per_10k", _("人口1万人あたりの病院・診療所")
    ELEMENTARY_SCHOOLS = "elementary_schools", _("小学校")
    JUNIOR_HIGH_SCHOOLS = "junior_high_schools", _("中学校")
    NURSERIES = "nurseries", _("保育所")
    NURSERIES_PER_1K_CHILDREN = "nurseries_per_1k_children", _("0〜5歳1,000人あたりの保育所")
    STATIONS = "stations", _("駅")
    STATION_DAILY_RIDERSHIP = "station_daily_ridership", _("駅の1日平均乗降客数（合計）")
    SHELTERS = "shelters", _("避難場所・避難所")
    FLOOD_AREA_SHARE = "flood_area_share", _("洪水浸水想定区域の面積割合")
    LANDSLIDE_AREA_SHARE = "landslide_area_share", _("土砂災害警戒区域の面積割合")
    TSUNAMI_AREA_SHARE = "tsunami_area_share", _("津波浸水想定区域の面積割合")
