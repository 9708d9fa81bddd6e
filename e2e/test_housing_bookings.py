"""A seeker requests 四万十町's trial stay, the town's editor approves it, and an overlapping request cannot be."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from nikyoten.core.dates import add_months

pytestmark = pytest.mark.e2e

SEEKER = "seeker@demo.nikyoten.example"
SECOND_SEEKER = "npo-viewer@demo.nikyoten.example"
EDITOR = "municipality-editor@demo.nikyoten.example"
TITLE = "四万十町 お試し滞在住宅"
PHONE_WIDTH = 375


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def _open_trial_stay(page):
    page.goto("/housing/trial-stays/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def _request(page, start, end):
    page.get_by_label("利用開始日").fill(start.isoformat())
    page.get_by_label("退去日").fill(end.isoformat())
    page.get_by_label("人数").fill("2")


def test_request_approve_and_an_overlapping_request_cannot_be_approved(
    new_page, demo_password, assert_accessible
):
    seeker = new_page()
    _log_in(seeker, SEEKER, demo_password)
    _open_trial_stay(seeker)
    calendar = seeker.get_by_role("table")
    expect(calendar.locator("caption")).to_have_text(re.compile(r"\d{4}年\d{1,2}月"))
    expect(calendar.get_by_role("columnheader")).to_have_count(7)
    assert_accessible(seeker)

    start = date.fromisoformat(seeker.get_by_label("利用開始日").input_value())
    end = add_months(start, 2)
    _request(seeker, start, end)
    seeker.get_by_role("button", name="料金を確認する").click()
    expect(seeker.get_by_role("status").filter(has_text="合計")).to_contain_text("合計 60,000円")
    assert_accessible(seeker)
    seeker.get_by_role("button", name="申し込む").click()
    expect(seeker.get_by_role("heading", level=1)).to_have_text("わたしの予約")
    row = seeker.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("申込中")
    assert_accessible(seeker)

    second = new_page()
    _log_in(second, SECOND_SEEKER, demo_password)
    _open_trial_stay(second)
    _request(second, add_months(start, 1), add_months(start, 3))
    second.get_by_role("button", name="申し込む").click()
    expect(second.get_by_role("row").filter(has_text=TITLE)).to_contain_text("申込中")

    staff = new_page()
    _log_in(staff, EDITOR, demo_password)
    staff.goto("/housing/staff/bookings/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("予約の受付")
    assert_accessible(staff)
    first_card = staff.locator("article").filter(has_text="移住希望者（サンプル）")
    first_card.get_by_label("申込者への連絡").fill("鍵は町の移住相談窓口でお渡しします。")
    first_card.get_by_role("button", name="承認する").click()
    expect(staff.get_by_role("status")).to_contain_text("承認しました")
    second_card = staff.locator("article").filter(has_text=SECOND_SEEKER)
    expect(second_card).to_contain_text("確定した予約")
    expect(second_card).to_contain_text("承認できません")
    expect(second_card.get_by_role("button", name="承認する")).to_have_count(0)
    assert_accessible(staff)

    seeker.goto("/housing/bookings/")
    row = seeker.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("確定")
    expect(row).to_contain_text("鍵は町の移住相談窓口でお渡しします。")

    _open_trial_stay(seeker)
    seeker.get_by_role("link", name=re.compile("次の月")).click()
    expect(seeker.get_by_role("table")).to_contain_text("予約済")
    assert_accessible(seeker)


def test_the_calendar_fits_a_phone(new_page, assert_accessible):
    page = new_page(viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True, has_touch=True)
    _open_trial_stay(page)
    table = page.get_by_role("table")
    expect(table).to_be_visible()
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH + 1
    expect(page.get_by_role("link", name="ログインして申し込む")).to_be_visible()
    assert_accessible(page)
