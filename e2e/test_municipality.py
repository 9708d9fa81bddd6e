"""A municipality page, with the map tiles blocked: the text position must remain."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_municipality_page_with_map_fallback(page, assert_accessible):
    tile_requests = []
    page.on("requestfailed", lambda r: tile_requests.append(r.url) if "cyberjapandata" in r.url else None)
    page.goto("/regions/municipalities/28221/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("丹波篠山市")
    facts = page.locator("dl.facts").first  # the municipality itself (the living environment follows)
    expect(facts.locator("dt:has-text('市区町村コード') + dd")).to_have_text("28221")
    expect(facts.locator("dt:has-text('全国地方公共団体コード') + dd")).to_have_text("282219")
    expect(facts.locator("dt:has-text('面積') + dd")).to_contain_text(re.compile(r"\d[\d,]*\.\d\d"))

    fallback = page.locator(".map-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text(re.compile(r"北緯 \d+\.\d{4}°、東経 \d+\.\d{4}°"))

    map_container = page.locator("#municipality-map")
    expect(map_container).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_container).to_be_visible()
    expect(page.get_by_text("地図を読み込めませんでした。下の位置情報をご利用ください。")).to_be_visible()
    assert tile_requests, "the tiles were requested and blocked"
    expect(fallback).to_be_visible()
    assert_accessible(page)
