"""The issue's family in the browser: ranked municipalities within 150 km of 新宿, with reasons; compare; saved
profiles; a region's own words; on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SEEKER = "seeker@demo.nikyoten.example"
PHONE = {"width": 375, "height": 740}


def _fill_family(page):
    page.goto("/matching/")
    page.get_by_label("大人の人数").fill("2")
    page.get_by_label("子どもの年齢").fill("3, 6")
    page.get_by_label("拠点（今の住まい・勤め先の市区町村）").fill("東京都新宿区")
    page.get_by_label("拠点へ行く回数（1か月あたり）").fill("8")
    page.get_by_role("group", name="拠点からの上限").get_by_label("距離（km）").check()
    page.get_by_label("距離の上限（km、直線）").fill("150")
    for factor in ("保育所", "災害リスクの低さ", "お試し住宅"):
        page.get_by_role("group", name=factor).get_by_label("5", exact=True).check()
    page.get_by_role("button", name="この条件でさがす").click()
    expect(page.get_by_role("heading", name="結果")).to_be_visible()


def test_the_family_gets_municipalities_within_150_km_with_reasons(page, assert_accessible):
    _fill_family(page)
    results = page.locator("li.result")
    expect(results).to_have_count(30)
    distances = [int(km) for km in re.findall(r"直線 約(\d+) km", page.locator(".result-list").inner_text())]
    assert len(distances) == 30
    assert max(distances) <= 150
    first = results.first
    expect(first.get_by_text("保育所: データなし")).to_be_visible()
    expect(first.get_by_text("災害リスクの低さ: データなし")).to_be_visible()
    expect(first.get_by_text(re.compile(r"データの揃い具合 \d+%"))).to_be_visible()
    expect(first.get_by_text(re.compile(r"新宿区から約\d+分"))).to_be_visible()
    assert_accessible(page)

    # The first result links to its municipality page.
    name = first.get_by_role("heading").get_by_role("link").inner_text()
    results.nth(0).get_by_label(re.compile("を比べる$")).check()
    results.nth(1).get_by_label(re.compile("を比べる$")).check()
    page.get_by_role("button", name=re.compile("選んだ市区町村を比べる")).click()
    expect(page.get_by_role("heading", name="市区町村をくらべる")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name=name)).to_be_visible()
    expect(table.get_by_role("rowheader", name=re.compile("^保育所"))).to_be_visible()
    expect(table.get_by_text("データなし").first).to_be_visible()
    assert_accessible(page)


def test_the_demo_seeker_ranks_with_a_saved_profile(page, demo_password, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(SEEKER)
    page.get_by_label("パスワード").fill(demo_password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
    page.goto("/matching/profiles/")
    card = page.locator(".card").filter(has_text="子育て世帯・新宿へテレワーク（サンプル）")
    assert_accessible(page)
    card.get_by_role("link", name="この条件でさがす").click()
    expect(page.get_by_role("heading", name="結果")).to_be_visible()
    expect(page.get_by_label("子どもの年齢")).to_have_value("3, 6")
    page.get_by_label("この条件の名前").fill("もう一つの条件")
    page.get_by_role("button", name="この条件を保存する").click()
    expect(page.get_by_text("条件を保存しました。")).to_be_visible()
    expect(page.get_by_role("heading", name="もう一つの条件")).to_be_visible()


def test_a_region_says_what_it_wants_with_dates(page, assert_accessible):
    page.goto("/matching/regions/39412/")  # 四万十町 (demo, sample)
    expect(page.get_by_role("heading", name="自治体が発信している情報")).to_be_visible()
    expect(page.get_by_text("サンプル").first).to_be_visible()
    expect(page.get_by_role("cell", name="2026年11月1日").first).to_be_visible()
    expect(
        page.get_by_text("テレワーク型、地域課題関与型", exact=True)
    ).to_be_visible()  # in the choices' order
    assert_accessible(page)


def test_the_form_and_results_fit_a_phone(new_page, assert_accessible):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _fill_family(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"] + 1
    assert_accessible(page)
