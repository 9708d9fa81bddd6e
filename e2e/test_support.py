"""The family of four leaving 東京23区 for 小山市: the programs they get, with reasons, and the cost chart."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SEEKER = "seeker@demo.nikyoten.example"
ANSWERS = {
    "applicant_birth_date": "1990-05-01",
    "spouse_birth_date": "1991-03-01",
    "children_birth_dates_1": "2018-06-01",
    "children_birth_dates_2": "2021-09-01",
    "residence_history_1_start": "2014-04-01",
    "residence_history_1_end": "2026-03-31",
    "move_in_date": "2026-04-01",
    "commuter_pass_monthly": "90000",
    "commute_allowance_monthly": "80000",
    "pass_start_date": "2026-04-01",
    "stay_intention_years": "10",
    "prior_outside_residence_years": "12",
}
CHOICES = {
    "has_spouse": "yes",
    "residence_history_1_area": "tokyo23",
    "employment_route": "telework",
    "housing_acquisition": "used",
    "commute_mode": "shinkansen",
    "commute_destination_area": "tokyo23",
    "tax_arrears": "no",
}


def _log_in(page, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(SEEKER)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def _program(page, name):
    return page.locator("article.program").filter(has=page.get_by_role("link", name=name))


def test_family_sees_programs_and_the_commuter_support_in_the_cost_chart(
    page, demo_password, assert_accessible
):
    _log_in(page, demo_password)
    page.goto("/support/check/")
    page.get_by_label("市区町村（1）").fill("栃木県小山市")
    page.get_by_role("button", name="制度を表示").click()
    expect(page.get_by_role("heading", name="栃木県小山市")).to_be_visible()
    expect(_program(page, "小山市住宅取得支援補助金").locator(".badge--need_to_know")).to_be_visible()
    assert_accessible(page)

    for name, value in ANSWERS.items():
        page.locator(f"[name={name}]").fill(value)
    for name, value in CHOICES.items():
        page.locator(f"[name={name}]").select_option(value)
    page.locator("[name=received_programs_none]").check()
    page.get_by_role("button", name="回答して判定する").click()
    expect(page.get_by_role("status")).to_contain_text("回答を保存しました")

    housing = _program(page, "小山市住宅取得支援補助金")
    expect(housing.locator(".badge--eligible")).to_have_text("対象")
    expect(housing).to_contain_text("20万円")
    commuter = _program(page, "小山市新幹線通勤定期券購入補助金")
    expect(commuter.locator(".badge--eligible")).to_have_text("対象")
    expect(commuter).to_contain_text("月1万円×36か月")
    grant = _program(page, "移住支援金（地方創生移住支援事業）")
    expect(grant.locator(".badge--eligible")).to_have_text("対象")
    expect(grant).to_contain_text("300万円")
    expect(grant).to_contain_text("返還")
    assert_accessible(page)

    page.goto("/support/cost/")
    page.get_by_label("拠点A（今の住まい）").fill("東京都千代田区")
    page.get_by_label("拠点B（候補1）").fill("栃木県小山市")
    page.get_by_label("往復の回数（1か月あたり）").fill("20")
    page.get_by_label(re.compile("対象になる支援制度を差し引く")).check()
    page.get_by_role("button", name="試算する").click()
    expect(page.locator("figure.chart svg[role=img]")).to_be_visible()
    card = page.locator("#candidate-1")
    card.get_by_text("月ごとの内訳").click()
    rows = card.locator("details tbody tr")
    expect(rows).to_have_count(60)
    subsidy_of = lambda month: rows.nth(month - 1).locator("td").nth(7)  # noqa: E731
    # 新幹線通勤定期券補助: 10,000 a month for 36 months; 住宅取得 (200,000) in month 1; 移住支援金 (3,000,000)
    # when its window opens, 3 months after moving in.
    expect(subsidy_of(1)).to_have_text("-210,000")
    expect(subsidy_of(2)).to_have_text("-10,000")
    expect(subsidy_of(4)).to_have_text("-3,010,000")
    expect(subsidy_of(36)).to_have_text("-10,000")
    expect(subsidy_of(37)).to_have_text("0")
    assert_accessible(page)
