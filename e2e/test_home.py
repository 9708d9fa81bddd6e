"""Home page: landmarks, skip link, focus style, accessibility."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_home_has_landmarks(page, assert_accessible):
    page.goto("/")
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("navigation", name="メインメニュー")).to_be_visible()
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("移住・二地域居住をはじめる")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert_accessible(page)


def test_skip_link_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="本文へ移動")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the skip link must come into view when focused"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.get_by_role("main")).to_be_focused()


def test_focused_link_has_visible_focus_style(page):
    page.goto("/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # site logo
    logo = page.locator(".site-logo")
    expect(logo).to_be_focused()
    outline = logo.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none", outline
    assert outline[1] != "0px", outline
