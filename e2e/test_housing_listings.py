"""四万十町's editor keeps the town's listings: confirms a stale one, registers a home with the postal-code
autofill and a point on the map (a point in 中土佐町 is refused by name), and adds a photo with alt text."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EDITOR = "municipality-editor@demo.nikyoten.example"
NAKATOSA_POINT = ("33.32885", "133.155018")  # the inside point of 中土佐町, next to 四万十町
SHIMANTO_POINT = ("33.2368", "133.027439")  # the inside point of 四万十町


def _log_in(page, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(EDITOR)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 140, 90)).save(out, "JPEG")
    return out.getvalue()


def test_editor_confirms_registers_and_adds_a_photo(page, demo_password, assert_accessible):
    _log_in(page, demo_password)
    page.goto("/housing/staff/listings/")
    to_confirm = page.locator("section", has=page.get_by_role("heading", name="内容の確認が必要な物件"))
    expect(to_confirm).to_contain_text("（サンプル）山あいの古民家")
    assert_accessible(page)
    to_confirm.get_by_role("button", name="「（サンプル）山あいの古民家」の内容を確認しました").click()
    expect(page.get_by_role("status")).to_contain_text("内容を確認済みにしました")
    expect(to_confirm).not_to_contain_text("（サンプル）山あいの古民家")

    page.get_by_role("link", name="物件を登録する").click()
    page.get_by_label("種別").select_option(label="空き家（賃貸）")
    page.get_by_label("タイトル").fill("香月が丘の二階建て")
    page.get_by_label("賃料（円／月）").fill("28000")
    page.get_by_label("間取り").fill("4DK")
    page.get_by_label("建築年").fill("1978")
    page.get_by_label("郵便番号").fill("786-0011")
    expect(page.locator("#postal-autofill-status")).to_have_text(
        "市区町村と所在地を入力しました。番地を続けて入力してください。"
    )
    expect(page.get_by_label("所在地:", exact=True)).to_have_value("高知県四万十町香月が丘")
    page.get_by_label("所在地:", exact=True).fill("高知県四万十町香月が丘1-2")
    page.get_by_label("緯度:", exact=True).fill(NAKATOSA_POINT[0])
    page.get_by_label("経度:", exact=True).fill(NAKATOSA_POINT[1])
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("alert")).to_contain_text("地図の位置が四万十町ではなく中土佐町にあります。")
    expect(page.get_by_label("緯度:", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Move the map to the town's own point, then pick the point on the map with a click.
    page.get_by_label("緯度:", exact=True).fill(SHIMANTO_POINT[0])
    page.get_by_label("経度:", exact=True).fill(SHIMANTO_POINT[1])
    page.get_by_label("経度:", exact=True).press("Tab")
    page.get_by_label("緯度:", exact=True).fill("")
    page.get_by_label("経度:", exact=True).fill("")
    page.get_by_role("region", name="物件の位置を選ぶ地図（クリックで緯度・経度を入力）").click()
    expect(page.get_by_label("緯度:", exact=True)).to_have_value(re.compile(r"^33\.2\d+$"))
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("香月が丘の二階建て")
    expect(page.get_by_role("status")).to_contain_text("物件「香月が丘の二階建て」を登録しました。")
    expect(page.locator("dl.facts")).to_contain_text("1978年（昭和53年）")
    expect(page.locator("dl.facts")).to_contain_text("月 28,000円")

    page.get_by_label("写真:", exact=True).set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    page.get_by_label("写真の説明（代替テキスト）").fill("南向きの縁側と庭")
    page.get_by_role("button", name="写真を追加する").click()
    expect(page.get_by_role("status")).to_contain_text("写真を追加しました。")
    expect(page.get_by_role("img", name="南向きの縁側と庭")).to_be_visible()
    assert_accessible(page)
