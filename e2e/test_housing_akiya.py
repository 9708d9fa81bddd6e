"""四万十町's editor runs an owner campaign and takes a vacant house through to 管理・公開 (demo content)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EDITOR = "municipality-editor@demo.nikyoten.example"
SUPPORT_VIEWER = "support-corporation-viewer@demo.nikyoten.example"
CASE = "SAMPLE-002"  # 所有者特定, one owner with a postal address
FREE_LISTING = "（サンプル）大正地区の二階建て 5DK"


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def test_editor_runs_a_campaign_and_moves_a_case_to_published(page, demo_password, assert_accessible):
    _log_in(page, EDITOR, demo_password)
    page.goto("/housing/akiya/")
    expect(page.get_by_role("heading", name="段階ごとの件数")).to_be_visible()
    expect(page.get_by_role("link", name=CASE)).to_be_visible()
    assert_accessible(page)

    # A campaign from the cases at 所有者特定.
    page.goto("/housing/akiya/campaigns/new/")
    page.get_by_label("段階").select_option("owner_identified")
    page.get_by_role("button", name="絞り込む").click()
    assert_accessible(page)
    page.get_by_label("名称").fill("空き家活用のご案内（E2E）")
    page.get_by_label("文書の件名").fill("{reference} の活用について")
    page.get_by_label("文書の本文").fill(
        "{owner_name} 様\n{address} の建物について、ご意向をお聞かせください。"
    )
    page.get_by_label(CASE, exact=False).check()
    page.get_by_role("button", name="働きかけを作成する").click()
    expect(page.get_by_role("heading", name="空き家活用のご案内（E2E）")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("文書 1 通")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="文書を PDF でダウンロード").click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("button", name="発送日を記録する").click()
    expect(page.get_by_role("status")).to_contain_text("発送日を記録しました")
    page.get_by_role("link", name="架空 太郎（サンプル） の回答を記録").click()
    assert_accessible(page)
    page.locator("select[name=response]").select_option("interested")
    page.get_by_label("案件を「意向確認」に進める").check()
    page.get_by_role("button", name="回答を記録する").click()
    expect(page.get_by_role("status")).to_contain_text("回答を記録しました")
    expect(page.get_by_role("heading", name="回答率")).to_be_visible()
    assert_accessible(page)

    # The case is now at 意向確認; 改修 is not needed, so on to 管理・公開 with one of the office's listings.
    page.get_by_role("link", name=CASE).click()
    expect(page.get_by_text("意向確認（")).to_be_visible()
    page.get_by_role("link", name="段階を変更する").click()
    assert_accessible(page)
    page.get_by_label("変更後の段階").select_option("published")
    page.get_by_role("button", name="段階を変更する").click()
    expect(page.locator(".errorlist")).to_contain_text("物件を1件選んで")
    assert_accessible(page)
    page.get_by_label("紐づける物件").select_option(label=FREE_LISTING)
    page.get_by_role("button", name="段階を変更する").click()
    expect(page.get_by_role("status")).to_contain_text("段階を変更しました")
    expect(page.get_by_text("管理・公開（")).to_be_visible()
    expect(page.get_by_text(FREE_LISTING)).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("意向確認 → 管理・公開")
    assert_accessible(page)


def test_support_corporation_sees_only_the_shared_case(page, demo_password, assert_accessible):
    _log_in(page, SUPPORT_VIEWER, demo_password)
    page.goto("/housing/akiya/shared/")
    expect(page.get_by_role("link", name="SAMPLE-003")).to_be_visible()
    expect(page.get_by_role("link", name="SAMPLE-002")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="SAMPLE-003").click()
    expect(page.get_by_role("heading", name="見本 花子（サンプル）（ミホン ハナコ）")).to_be_visible()
    expect(page.get_by_text("見本 一郎（サンプル）")).to_have_count(0)
    assert_accessible(page)
