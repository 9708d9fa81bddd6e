"""Logging in with the keyboard; the account page; a wrong password."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EMAIL = "municipality-admin@demo.nikyoten.example"


def _log_in_with_keyboard(page, password):
    page.goto("/accounts/login/")
    expect(page.get_by_label("メールアドレス")).to_be_focused()  # autofocus
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("パスワード")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_login_and_account_page(page, demo_password, assert_accessible):
    page.goto("/accounts/login/")
    assert_accessible(page)
    _log_in_with_keyboard(page, demo_password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="マイページ").click()
    page.wait_for_url("**/accounts/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    membership = page.get_by_role("region", name="四万十町 にぎわい創出課（サンプル）")
    expect(membership).to_have_count(1)
    expect(membership.locator(".badge--sample")).to_have_text("サンプル")
    expect(membership.get_by_role("link", name="問い合わせの受信箱")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_refused(page, assert_accessible):
    _log_in_with_keyboard(page, "not-the-password")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("メールアドレスまたはパスワードが正しくありません。")
    expect(page.get_by_role("button", name="ログアウト")).to_have_count(0)
    assert_accessible(page)
