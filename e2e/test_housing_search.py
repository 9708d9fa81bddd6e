"""A visitor searches the sample listings, looks at the map and a stale listing, signs in and saves the search."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SEEKER = "seeker@demo.nikyoten.example"
WIDTH, HEIGHT = 375, 740


def _search(page):
    page.get_by_label("キーワード").fill("古民家")
    page.get_by_label("都道府県").select_option(label="高知県")
    page.get_by_label("空き家（賃貸）").check()
    page.get_by_role("button", name="この条件で検索").click()
    page.wait_for_url(re.compile(r".*prefecture=39.*"))
    heading = page.get_by_role("heading", name=re.compile(r"^[\d,]+ 件の住まい$"))
    expect(heading).to_be_visible()
    return heading


def test_visitor_searches_maps_opens_a_stale_listing_and_saves_the_search(
    page, demo_password, assert_accessible
):
    page.goto("/housing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("住まいをさがす")
    assert_accessible(page)

    _search(page)
    cards = page.locator(".listing-card")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        expect(card).to_contain_text("四万十町")
        expect(card).to_contain_text("空き家（賃貸）")
        expect(card).to_contain_text(re.compile(r"万円/月"))
    assert_accessible(page)

    page.get_by_role("link", name="地図で見る").click()
    map_container = page.locator("#listing-map")
    expect(map_container).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_container.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.get_by_text("地図を読み込めませんでした。下の一覧をご利用ください。")).to_be_visible()
    expect(cards.first).to_be_visible()  # the list stays as the fallback
    assert_accessible(page)

    page.goto("/housing/?prefecture=39")
    stale = page.locator(".listing-card").filter(has=page.locator(".badge--stale")).first
    stale.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("【サンプル】")
    expect(page.locator(".badge--stale")).to_have_text("情報が古い可能性")
    expect(page.get_by_role("link", name="高知県四万十町")).to_have_attribute(
        "href", "/regions/municipalities/39412/"
    )
    assert_accessible(page)

    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(SEEKER)
    page.get_by_label("パスワード").fill(demo_password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
    page.goto("/housing/")
    _search(page)
    page.get_by_text("この条件を保存する").click()
    page.get_by_label("検索の名前").fill("四万十町の古民家")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("保存した検索")
    expect(page.get_by_role("link", name="四万十町の古民家")).to_be_visible()
    assert_accessible(page)


def test_filters_are_usable_on_a_phone(new_page, assert_accessible):
    page = new_page(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
    page.goto("/housing/")
    filters = page.locator("details.listing-filters")
    expect(filters).not_to_have_attribute("open", "")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH + 1
    page.get_by_text("条件で絞り込む").tap()
    expect(page.get_by_label("都道府県")).to_be_visible()
    page.get_by_label("都道府県").select_option(label="鹿児島県")
    page.get_by_role("button", name="この条件で検索").tap()
    page.wait_for_url(re.compile(r".*prefecture=46.*"))
    expect(page.locator(".listing-card").first).to_contain_text("鹿児島県")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH + 1
    assert_accessible(page)


def test_malformed_map_range_gets_a_message(page):
    page.goto("/housing/?bbox=35,abc")
    expect(page.get_by_text("地図の範囲は「南,西,北,東」の4つの数値で指定してください。")).to_be_visible()
