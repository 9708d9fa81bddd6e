"""Phone-sized viewport: no sideways scrolling, the navigation stays reachable."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 375, 740


@pytest.fixture
def phone_page(new_page):
    return new_page(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)


def _scroll_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_home_fits_a_phone(phone_page, assert_accessible):
    page = phone_page
    page.goto("/")
    assert _scroll_width(page) <= WIDTH + 1
    nav = page.get_by_role("navigation", name="メインメニュー")
    expect(nav).to_be_visible()
    for link in nav.get_by_role("link").all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= WIDTH + 1, f"{link.inner_text()} is off-screen"
    assert_accessible(page)
    nav.get_by_role("link", name="地域をさがす").tap()
    page.wait_for_url("**/regions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("都道府県の一覧")
    assert _scroll_width(page) <= WIDTH + 1
    assert_accessible(page)
