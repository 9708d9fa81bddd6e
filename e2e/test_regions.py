"""Finding municipalities: by kanji, kana, romaji and katakana; the prefecture page with live filtering."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _result_row(page, name):
    return page.locator("#municipality-results tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_search_from_home_by_hiragana(page, assert_accessible):
    page.goto("/")
    assert_accessible(page)
    field = page.get_by_label("市区町村名（漢字・かな・ローマ字）")
    field.focus()
    page.keyboard.type("しまんと")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/regions/municipalities/\?q="))
    row = _result_row(page, "四万十町")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("高知県")
    assert_accessible(page)


@pytest.mark.parametrize("query", ["shimanto", "シマント"], ids=["romaji", "katakana"])
def test_search_by_romaji_and_katakana(page, assert_accessible, query):
    page.goto("/regions/municipalities/")
    field = page.get_by_label("市区町村名", exact=False).first
    field.focus()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    row = _result_row(page, "四万十町")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("高知県")
    assert_accessible(page)


def test_prefecture_page_filters_without_reload(page, assert_accessible):
    page.goto("/regions/13/")
    results = page.locator("#municipality-results")
    expect(results).to_contain_text("62 件")
    assert_accessible(page)
    page.evaluate("window.__e2eNoReload = true")
    page.locator("#id_q").press_sequentially("ちよだ")
    expect(results).to_contain_text("1 件")
    row = _result_row(page, "千代田区")
    expect(row).to_have_count(1)
    expect(results.locator("tbody tr")).to_have_count(1)
    assert page.evaluate("window.__e2eNoReload === true"), "htmx must update the results in place"
    expect(page).to_have_url(re.compile(r"[?&]q="))
    assert_accessible(page)
