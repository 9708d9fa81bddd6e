"""A seeker finds 四万十町's 中間管理住宅, asks about it; the town's editor answers from the inbox; the seeker reads it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SEEKER = "seeker@demo.nikyoten.example"
EDITOR = "municipality-editor@demo.nikyoten.example"
TITLE = "中間管理住宅（四万十町）"
QUESTION = "来年の春から家族4人で住みたいと考えています。内見はできますか。"
ANSWER = "4月の土曜日でしたらご案内できます。希望日をお知らせください。"


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def test_a_seeker_asks_and_the_town_answers(new_page, demo_password, assert_accessible):
    seeker = new_page()
    _log_in(seeker, SEEKER, demo_password)
    seeker.goto("/housing/?q=中間管理住宅&municipality=39412")
    seeker.get_by_role("link", name=TITLE).first.click()
    expect(seeker.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(seeker)
    seeker.get_by_role("link", name="この物件について問い合わせる").click()
    expect(seeker.get_by_label("件名")).to_have_value(f"「{TITLE}」について")
    seeker.get_by_label("本文").fill(QUESTION)
    assert_accessible(seeker)
    seeker.get_by_role("button", name="送信する").click()
    expect(seeker.get_by_role("status")).to_contain_text("問い合わせを送信しました")
    expect(seeker.locator(".thread")).to_contain_text(QUESTION)
    thread_url = seeker.url

    editor = new_page()
    _log_in(editor, EDITOR, demo_password)
    editor.goto("/accounts/me/")
    editor.get_by_role("link", name="問い合わせの受信箱").first.click()
    row = editor.get_by_role("row").filter(has_text=f"「{TITLE}」について")
    expect(row).to_contain_text("未対応")
    assert_accessible(editor)
    row.get_by_role("link").first.click()
    editor.get_by_label("本文").fill(ANSWER)
    editor.get_by_role("button", name="送信する").click()
    expect(editor.get_by_role("status")).to_contain_text("返信を送信しました")
    expect(editor.locator("dl.facts")).to_contain_text("回答済")

    seeker.goto(thread_url)
    expect(seeker.locator(".thread__message--organization")).to_contain_text(ANSWER)
    assert_accessible(seeker)
    seeker.goto("/housing/inquiries/")
    expect(seeker.get_by_role("row").filter(has_text=f"「{TITLE}」について")).to_contain_text("回答済")
