"""Switching the interface language with the header form."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_switch_to_english(page, assert_accessible):
    page.goto("/regions/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    select = page.locator("#language-select")
    expect(select).to_have_value("ja")
    select.select_option("en")
    with page.expect_navigation():
        page.locator(".language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_have_value("en")
    assert page.url.endswith("/regions/"), "the switch returns to the same page"
    assert_accessible(page)
