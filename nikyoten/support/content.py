"""Real support programs as data, each version with its source, to seed the catalogue and test the engine.

Every figure comes from the project's research notes (docs/rules.md §2 and §11, marked [V] there: stated at
the cited URL) or from the seed document (国土交通省 移住・二地域居住等促進専門委員会「中間とりまとめ」, 2024-01;
its structured form is cases.yaml). Nothing is invented: where a source is silent the condition is left out
and `notes_ja` says so, which makes the engine more generous than the real 要綱 — the UI must say "the
municipality decides".

`last_verified` is the date each entry was checked against those notes, not a new visit to the source URL.
Versions whose start date is not stated carry the first month the seed shows the program running
(2024-01-01) and say so in `notes_ja`; the catalogue model needs a start date.

Left out on purpose:
- 小山市's own 移住支援金 page: it is the national 移住支援金 run by the city, covered by `national-relocation-grant`.
- 四万十町 (高知県) お試し滞在住宅 (1–6 months), 移住支援住宅 (2 years) and 中間管理住宅 (up to 12 years), rent
  17,000–38,000円/month: these are homes the town sublets at a rent the tenant pays, with no eligibility rule or
  payment in the seed, so they are housing listings (trial stay / sublease in the housing app), not support
  programs.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from nikyoten.support.eligibility import ProgramRule
from nikyoten.support.facts import JsonValue

CHECKED: Final = "2026-11-26"

# The seed document: 国土審議会推進部会 移住・二地域居住等促進専門委員会「中間とりまとめ」(2024-01), published on the
# committee's MLIT page.
SEED_URL: Final = "https://www.mlit.go.jp/policy/shingikai/s104_ijuunichiikikyojuu01.html"
CHISOU_RELOCATION_URL: Final = "https://www.chisou.go.jp/iikamo/ijushienkin"
OYAMA_SHINKANSEN_URL: Final = "https://www.city.oyama.tochigi.jp/site/shinsei-navi/12.html"
HIDA_RENOVATION_URL: Final = "https://subsidy.fromation.co.jp/archives/42677"

SEED_START_NOTE: Final = (
    "開始日は出典に記載がありません。シード（2024年1月公表）の時点で実施されていたことのみ確認できるため、"
    "適用開始日を2024-01-01としています。"
)
TOKYO_AREA_VALUES: Final[list[JsonValue]] = ["tokyo23", "tokyo_area", "tokyo_area_disadvantaged"]


def _relocation_grant_version(
    *, start: str, end: str | None, per_child: int, budget: str
) -> dict[str, JsonValue]:
    """A version of the national 移住支援金 (rules §2); only the child addition changed between FY2022 and FY2023."""
    child_note = (
        "子育て加算は2022年度に創設（18歳未満の子ども1人につき最大30万円）。"
        if per_child == 300_000
        else "2023年度から子育て加算は18歳未満の子ども1人につき最大100万円。"
    )
    return {
        "effective_from": start,
        "effective_to": end,
        "conditions": {
            "all": [
                {"fact": "origin.years_in_tokyo23_last10", "op": "gte", "value": 5},
                {"fact": "origin.continuous_years_before_move", "op": "gte", "value": 1},
                {"fact": "destination.outside_tokyo_area", "op": "eq", "value": True},
                {"fact": "destination.participates_relocation_grant", "op": "eq", "value": True},
                {
                    "fact": "employment.route",
                    "op": "in",
                    "value": ["matching_job", "professional", "telework", "relationship", "startup"],
                },
                {"fact": "stay.intention_years", "op": "gte", "value": 5},
                {"fact": "household.tax_arrears", "op": "eq", "value": False},
            ]
        },
        "benefit": {
            "kind": "household",
            "single": 600_000,
            "household": 1_000_000,
            "per_child": per_child,
            "child_max_age": 17,
        },
        "window": {"anchor": "move_in", "from_months": 3, "to_months": 12},
        "repayment": [
            {"trigger": "move_out", "from_months": 0, "to_months": 36, "share": 1.0},
            {"trigger": "move_out", "from_months": 36, "to_months": 60, "share": 0.5},
            {"trigger": "job_exit", "from_months": 0, "to_months": 12, "share": 1.0},
        ],
        "stacking": {"exclusive_with": [], "once_per": "household"},
        "budget_status": budget,
        "deadline": None,
        "source_url": CHISOU_RELOCATION_URL,
        "last_verified": CHECKED,
        "notes_ja": (
            "金額は国の上限額（世帯100万円・単身60万円）。実際の額は都道府県・市町村が決めます（例: 門川町は単身30万円または60万円）。"
            + child_note
            + "世帯か単身かは申請時点で一緒に移住している人数で決まり、世帯員も転入後3か月〜1年の間にいることが必要です。"
            "23区への通勤は雇用保険の被保険者である期間のみ、23区の大学等への通学は2021年から算入（就職先が23区の場合。"
            "ここでは通学期間をそのまま算入）。"
            "判定していない要件: 就業ルートごとの条件（対象求人への応募時期、週20時間以上の無期雇用、3親等以内の親族の法人でないこと、"
            "就業後3か月以上など）、在留資格、反社会的勢力でないこと、都道府県独自の移住元（長野県の愛知県・大阪府など）、"
            "同じ市町村への二度目の申請（ここでは受給済みの制度として扱う）、高校3年生の18歳を含むとする報道（未確認）。"
            "2019〜2021年度の版（子育て加算なし）は収録していません。"
        ),
    }


PROGRAMS: Final[list[dict[str, JsonValue]]] = [
    {
        "key": "national-relocation-grant",
        "name_ja": "移住支援金（地方創生移住支援事業）",
        "name_en": "Relocation support grant (regional revitalisation relocation support)",
        "level": "national",
        "prefecture": None,
        "municipality": None,
        "categories": ["relocation_grant"],
        "source_url": CHISOU_RELOCATION_URL,
        "other_sources": [
            "https://www.town.sannohe.aomori.jp/soshiki/machidukuri/2386.html",
            "https://www.city.miyakonojo.miyazaki.jp/site/iju/22517.html",
            "http://kuma-turn.jp/indexs/news_info/id:147",
            "http://www.town.kannami.shizuoka.jp/smph/gyosei/ijuu-teijuu/ta11002020.html",
            "https://job.yamagata-iju.jp/qa",
            "https://kurashimanet.jp/wakuwaku/seido.html",
            "https://www.town.kiyama.lg.jp/dynamic/page5954.html",
        ],
        "last_verified": CHECKED,
        "funding_shares": {"national": "1/2", "prefecture": "1/4", "municipality": "1/4"},
        "versions": [
            _relocation_grant_version(
                start="2022-04-01", end="2023-03-31", per_child=300_000, budget="closed"
            ),
            _relocation_grant_version(start="2023-04-01", end=None, per_child=1_000_000, budget="open"),
        ],
    },
    {
        "key": "oyama-housing-acquisition",
        "name_ja": "小山市住宅取得支援補助金",
        "name_en": "Oyama City home purchase subsidy",
        "level": "municipality",
        "prefecture": "栃木県",
        "municipality": "小山市",
        "categories": ["housing_purchase"],
        "source_url": SEED_URL,
        "other_sources": [],
        "last_verified": CHECKED,
        "funding_shares": {},
        "versions": [
            {
                "effective_from": "2024-01-01",
                "effective_to": None,
                "conditions": {
                    "all": [
                        {"fact": "origin.last_area", "op": "in", "value": TOKYO_AREA_VALUES},
                        {"fact": "household.children_under_18", "op": "gte", "value": 1},
                        {"fact": "housing.acquisition", "op": "in", "value": ["new", "used"]},
                    ]
                },
                "benefit": {
                    "kind": "by_fact",
                    "fact": "housing.acquisition",
                    "amounts": {"new": 400_000, "used": 200_000},
                },
                "window": {},
                "repayment": [],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "open",
                "deadline": None,
                "source_url": SEED_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "シードの記載（東京圏から転入して住宅を取得した子育て世代に新築40万円・中古20万円）のみに基づきます。"
                    "「子育て世代」はシードに定義がないため『一緒に移住する18歳未満の子どもがいる世帯』として判定しています。"
                    "「東京圏」には条件不利地域も含めています（除くのは移住支援金の要件だけのため）。"
                    "申請期間・返還・所得・居住年数などの条件と予算の状況はシードに記載がなく、含めていません。"
                    "市の要綱で確認してください。" + SEED_START_NOTE
                ),
            }
        ],
    },
    {
        "key": "oyama-shinkansen-commuter-pass",
        "name_ja": "小山市新幹線通勤定期券購入補助金",
        "name_en": "Oyama City shinkansen commuter pass subsidy",
        "level": "municipality",
        "prefecture": "栃木県",
        "municipality": "小山市",
        "categories": ["commute"],
        "source_url": OYAMA_SHINKANSEN_URL,
        "other_sources": [
            "https://www.shimotsuke.co.jp/articles/-/9392",
            "https://gyutto-on.jp/immigration/article/706/",
            SEED_URL,
        ],
        "last_verified": CHECKED,
        "funding_shares": {},
        "versions": [
            {
                "effective_from": "2022-04-01",
                "effective_to": None,
                "conditions": {
                    "all": [
                        {"fact": "origin.prior_outside_years", "op": "gte", "value": 1},
                        {"fact": "commute.pass_start_months_after_move", "op": "lt", "value": 12},
                        {
                            "any": [
                                {"fact": "applicant.age", "op": "lte", "value": 39},
                                {"fact": "spouse.age", "op": "lte", "value": 39},
                                {"fact": "household.youngest_child_age", "op": "lte", "value": 15},
                            ]
                        },
                        {"fact": "commute.mode", "op": "eq", "value": "shinkansen"},
                        {"fact": "commute.destination_area", "op": "in", "value": TOKYO_AREA_VALUES},
                    ]
                },
                "benefit": {
                    "kind": "monthly",
                    "monthly_cap": 10_000,
                    "months": 36,
                    "cost_fact": "commute.pass_monthly",
                    "minus_fact": "commute.allowance_monthly",
                },
                "window": {"anchor": "pass_start", "from_months": 0, "to_months": 12},
                "repayment": [],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "open",
                "deadline": None,
                "source_url": OYAMA_SHINKANSEN_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "定期券代から勤務先の通勤手当を引いた額を月1万円まで、定期券の使用開始月から最長36か月補助。"
                    "2022年4月からの転入者の要件（市外に1年以上居住、転入から1年以内に定期券の使用開始、申請者39歳以下・"
                    "配偶者39歳以下・15歳以下の子のいずれか）を判定します。年齢は判定日時点で判定しています（年度末時点などの定めは未確認）。"
                    "判定していない要件: 区間（小山〜上野・東京）、新卒者の要件、定期券を使わない期間の扱い（通算12か月まで、出典の記載が途中で切れている）、"
                    "2017年の当初要件（市内3年以上居住・市税の滞納なし）が現在も続くか、返還の定め。"
                    "申請期間は支援制度カタログの例（定期券の使用開始から12か月）に従っています。"
                ),
            }
        ],
    },
    {
        "key": "hida-akiya-rental-renovation",
        "name_ja": "飛騨市空き家等賃貸住宅改修補助",
        "name_en": "Hida City subsidy for renovating vacant houses into rental homes",
        "level": "municipality",
        "prefecture": "岐阜県",
        "municipality": "飛騨市",
        "categories": ["renovation"],
        "source_url": HIDA_RENOVATION_URL,
        "other_sources": [SEED_URL],
        "last_verified": CHECKED,
        "funding_shares": {},
        "versions": [
            {
                "effective_from": "2024-01-01",
                "effective_to": "2025-03-31",
                "conditions": {
                    "all": [{"fact": "housing.akiya_rental_conversion", "op": "eq", "value": True}]
                },
                "benefit": {
                    "kind": "rate_cap",
                    "rate": 0.5,
                    "cap": 3_000_000,
                    "cost_fact": "housing.renovation_cost",
                },
                "window": {},
                "repayment": [],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "closed",
                "deadline": None,
                "source_url": SEED_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "シードの記載（空き家を賃貸住宅にするための改修費の1/2以内、300万円上限）です。"
                    "この上限額は市の出典では確認できていません（2025年度の出典では250万円）。"
                    "賃貸の継続期間・返還などの条件はシードに記載がなく、含めていません。" + SEED_START_NOTE
                ),
            },
            {
                "effective_from": "2025-04-01",
                "effective_to": None,
                "conditions": {
                    "all": [
                        {"fact": "housing.akiya_rental_conversion", "op": "eq", "value": True},
                        {"fact": "housing.renovation_cost", "op": "gte", "value": 100_000},
                    ]
                },
                "benefit": {
                    "kind": "rate_cap",
                    "rate": 0.5,
                    "cap": 2_500_000,
                    "cost_fact": "housing.renovation_cost",
                },
                "window": {},
                "repayment": [
                    {"trigger": "obligation_broken", "from_months": 0, "to_months": 60, "share": 1.0}
                ],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "open",
                "deadline": None,
                "source_url": HIDA_RENOVATION_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "2025年度: 空き家を賃貸住宅にする所有者に改修費の1/2、250万円まで。工事費10万円以上。"
                    "5年以上賃貸すること、5年間は2親等以内の親族への売却・賃貸をしないことが義務で、5年以内に守れなくなった場合は返還（全額として表しています）。"
                    "判定していない要件: 市内の業者による施工、事前相談（工事の前に必要）。"
                    "出典は補助金情報サイトで、市の要綱ではありません。"
                ),
            },
        ],
    },
    {
        "key": "obuse-new-farmer-housing-cost",
        "name_ja": "小布施町 新規就農者の住居費補助",
        "name_en": "Obuse Town housing cost support for new farmers",
        "level": "municipality",
        "prefecture": "長野県",
        "municipality": "小布施町",
        "categories": ["rent", "farming"],
        "source_url": SEED_URL,
        "other_sources": [],
        "last_verified": CHECKED,
        "funding_shares": {},
        "versions": [
            {
                "effective_from": "2024-01-01",
                "effective_to": None,
                "conditions": {
                    "all": [
                        {"fact": "farming.new_farmer", "op": "eq", "value": True},
                        {"fact": "origin.prior_outside_years", "op": "gt", "value": 0},
                    ]
                },
                "benefit": {
                    "kind": "unspecified",
                    "months": 84,
                    "note_ja": "アパート代など住居費の一部を補助。金額は町にお問い合わせください",
                    "note_en": "Part of the rent or other housing costs; ask the town for the amount",
                },
                "window": {},
                "repayment": [],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "open",
                "deadline": None,
                "source_url": SEED_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "シードの記載（町外から移住して新規就農する人にアパート代など住居費の一部を補助、最長7年間）のみに基づきます。"
                    "金額・補助率・申請期間・返還はシードに記載がなく、含めていません。"
                    "「町外から移住」は転入前に町外に住んでいた期間があることとして判定しています。"
                    + SEED_START_NOTE
                ),
            }
        ],
    },
    {
        "key": "obuse-new-farmer-housing-rental",
        "name_ja": "小布施町 新規就農者用住宅の貸出",
        "name_en": "Obuse Town homes lent to new farmers",
        "level": "municipality",
        "prefecture": "長野県",
        "municipality": "小布施町",
        "categories": ["farming"],
        "source_url": SEED_URL,
        "other_sources": [],
        "last_verified": CHECKED,
        "funding_shares": {},
        "versions": [
            {
                "effective_from": "2024-01-01",
                "effective_to": None,
                "conditions": {"all": [{"fact": "farming.new_farmer", "op": "eq", "value": True}]},
                "benefit": {
                    "kind": "unspecified",
                    "months": 24,
                    "note_ja": "新規就農者用の住宅を貸し出します。家賃などの条件は町にお問い合わせください",
                    "note_en": "A home lent to new farmers; ask the town about the rent and terms",
                },
                "window": {},
                "repayment": [],
                "stacking": {"exclusive_with": [], "once_per": None},
                "budget_status": "open",
                "deadline": None,
                "source_url": SEED_URL,
                "last_verified": CHECKED,
                "notes_ja": (
                    "シードの記載（新規就農者用住宅の貸出、最長2年間）のみに基づきます。お金の給付ではなく住宅の貸出です。"
                    "家賃・対象者の細かな条件はシードに記載がなく、含めていません。" + SEED_START_NOTE
                ),
            }
        ],
    },
]


def _day(value: JsonValue) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def version_on(program: dict[str, JsonValue], day: date) -> dict[str, JsonValue] | None:
    """The version of a program in force on `day` (effective_to inclusive), or None."""
    versions = program.get("versions")
    for version in versions if isinstance(versions, list) else []:
        if not isinstance(version, dict):
            continue
        start, end = _day(version.get("effective_from")), _day(version.get("effective_to"))
        if (start is None or start <= day) and (end is None or day <= end):
            return version
    return None


def rule_for(program: dict[str, JsonValue], version: dict[str, JsonValue]) -> ProgramRule:
    """The engine's rule for one version of a program (raises `RuleError` if the data is malformed)."""
    return ProgramRule.from_dict(
        {"key": program["key"], "name_ja": program["name_ja"], "name_en": program["name_en"], **version}
    )


def rules_on(day: date) -> list[ProgramRule]:
    """The rules of every program in force on `day`, in catalogue order."""
    rules = []
    for program in PROGRAMS:
        version = version_on(program, day)
        if version is not None:
            rules.append(rule_for(program, version))
    return rules
