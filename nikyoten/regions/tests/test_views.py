"""Public pages: prefecture list, municipality list and search, municipality page, postal-code lookup."""

from django.test import TestCase


class RegionPagesTests(TestCase):
    def test_prefecture_list_groups_47_by_region(self):
        response = self.client.get("/regions/")
        assert response.status_code == 200
        blocks = response.context["blocks"]
        assert sum(len(block) for block in blocks) == 47
        assert [block[0].get_region_block_display() for block in blocks][:2] == ["北海道", "東北"]
        self.assertContains(response, 'href="/regions/13/"')

    def test_prefecture_page_lists_its_municipalities(self):
        with self.assertNumQueries(3):
            response = self.client.get("/regions/13/")
        assert response.context["page"].paginator.count == 62
        self.assertContains(response, "千代田区")
        self.assertContains(response, "チヨダク")
        self.assertContains(response, "特別区")

    def test_search_by_kana_romaji_and_kanji(self):
        for query in ["ちよだ", "chiyoda", "千代田"]:
            response = self.client.get("/regions/13/", {"q": query})
            assert [m.code for m in response.context["page"]] == ["13101"], query

    def test_kind_filter(self):
        response = self.client.get("/regions/13/", {"kind": "village"})
        assert response.context["page"].paginator.count == 8

    def test_htmx_request_gets_only_the_results(self):
        response = self.client.get("/regions/13/", {"q": "ちよだ"}, HTTP_HX_REQUEST="true")
        assert "<html" not in response.content.decode()
        self.assertContains(response, "千代田区")

    def test_nationwide_search(self):
        response = self.client.get("/regions/municipalities/", {"q": "しまんと"})
        assert [m.code for m in response.context["page"]] == ["39210", "39412"]
        self.assertContains(response, "高知県")

    def test_no_result_says_so(self):
        response = self.client.get("/regions/municipalities/", {"q": "存在しない町"})
        self.assertContains(response, "該当する市区町村はありません")

    def test_unknown_prefecture_is_404(self):
        assert self.client.get("/regions/48/").status_code == 404


class MunicipalityPageTests(TestCase):
    def test_names_codes_kind_area_and_map_with_text_fallback(self):
        response = self.client.get("/regions/municipalities/28221/")
        self.assertContains(response, "丹波篠山市")
        self.assertContains(response, "282219")
        self.assertContains(response, "篠山市")  # former name
        self.assertContains(response, 'id="municipality-map"')
        self.assertContains(response, 'class="map-fallback"')
        self.assertContains(response, "地理院地図で開く")
        self.assertContains(response, "leaflet/leaflet.js")

    def test_lg_code_url_works(self):
        assert self.client.get("/regions/municipalities/282219/").context["municipality"].code == "28221"

    def test_office_outside_territory_is_explained(self):
        self.assertContains(self.client.get("/regions/municipalities/47381/"), "役所は区域の外にあります")

    def test_abolished_ward_is_marked(self):
        self.assertContains(self.client.get("/regions/municipalities/22131/"), "廃止されました")

    def test_ward_without_data_says_so(self):
        self.assertContains(self.client.get("/regions/municipalities/22138/"), "データなし")

    def test_missing_is_404(self):
        response = self.client.get("/regions/municipalities/99999/")
        assert response.status_code == 404
        self.assertContains(response, "ページが見つかりません", status_code=404)


class PostalCodeLookupPageTests(TestCase):
    def test_lookup(self):
        response = self.client.get("/regions/postal-code/", {"code": "１００－０００１"})
        self.assertContains(response, "〒100-0001")
        self.assertContains(response, "千代田区")

    def test_malformed_shows_the_reason_on_the_field(self):
        response = self.client.get("/regions/postal-code/", {"code": "12"})
        self.assertContains(response, "郵便番号は7桁の数字で入力してください")
        self.assertContains(response, 'aria-invalid="true"')

    def test_unknown(self):
        self.assertContains(
            self.client.get("/regions/postal-code/", {"code": "9999999"}), "この郵便番号は見つかりません"
        )


class LanguageTests(TestCase):
    def test_japanese_by_default_and_english_on_request(self):
        self.assertContains(self.client.get("/regions/"), '<html lang="ja">')
        response = self.client.get("/regions/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Prefectures")
        self.assertContains(response, "Tokyo")

    def test_switch_language_with_the_form(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/regions/13/"}, follow=True)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Skip to main content")
