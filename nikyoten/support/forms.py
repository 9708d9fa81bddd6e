import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.core.exceptions import ApplicationError
from nikyoten.core.i18n import pick
from nikyoten.regions.forms import MunicipalityField
from nikyoten.regions.models import Prefecture
from nikyoten.support import eligibility, facts
from nikyoten.support.choices import BudgetStatus, ProgramCategory, ProgramLevel
from nikyoten.support.cost import MAX_CANDIDATES, MAX_MONTHS, MAX_TRIPS_PER_MONTH, MIN_MONTHS
from nikyoten.support.models import ProgramVersion, SupportProgram
from nikyoten.support.travel_model import Mode


def _yen_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=10_000_000, initial=0, required=False, **kwargs
    )


class CostSimulationForm(forms.Form):
    """Two bases (up to four candidates for base B), travel, the second home's costs (GET: results can be shared)."""

    base_a = MunicipalityField(label=_("拠点A（今の住まい）"), initial="東京都千代田区")
    base_b_1 = MunicipalityField(label=_("拠点B（候補1）"))
    base_b_2 = MunicipalityField(label=_("拠点B（候補2）"), required=False)
    base_b_3 = MunicipalityField(label=_("拠点B（候補3）"), required=False)
    base_b_4 = MunicipalityField(label=_("拠点B（候補4）"), required=False)
    mode = forms.ChoiceField(label=_("交通手段"), initial=Mode.SHINKANSEN)
    trips_per_month = forms.DecimalField(
        label=_("往復の回数（1か月あたり）"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_TRIPS_PER_MONTH),
        decimal_places=1,
        initial=4,
    )
    second_home_rent_monthly = _yen_field(_("二拠点目の家賃（円／月）"))
    utilities_monthly = _yen_field(_("光熱費（円／月）"))
    internet_monthly = _yen_field(_("通信費（円／月）"))
    car_monthly = _yen_field(_("自動車費（円／月）"))
    one_time_costs = _yen_field(_("引越しなど一時費用（円）"))
    months = forms.IntegerField(
        label=_("期間（か月）"), min_value=MIN_MONTHS, max_value=MAX_MONTHS, initial=60
    )
    apply_programs = forms.BooleanField(
        label=_("対象になる支援制度を差し引く（「受けられる支援」の回答を使います）"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m.value, pick(m.label_ja, m.label_en)) for m in Mode]  # type: ignore[attr-defined]

    def candidates(self) -> list[Any]:
        fields = [f"base_b_{i}" for i in range(1, MAX_CANDIDATES + 1)]
        return [self.cleaned_data[f] for f in fields if self.cleaned_data.get(f) is not None]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = [m.code for m in self.candidates()] if not self.errors else []
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("同じ候補が2回入っています。"))
        for name in (
            "second_home_rent_monthly",
            "utilities_monthly",
            "internet_monthly",
            "car_monthly",
            "one_time_costs",
        ):
            data[name] = data.get(name) or 0
        return data


# --- "What can I get?": municipalities to compare and the answers the programs need -----------------------


class CheckMunicipalitiesForm(forms.Form):
    """Up to four municipalities to see side by side."""

    m1 = MunicipalityField(label=_("市区町村（1）"))
    m2 = MunicipalityField(label=_("市区町村（2）"), required=False)
    m3 = MunicipalityField(label=_("市区町村（3）"), required=False)
    m4 = MunicipalityField(label=_("市区町村（4）"), required=False)

    def municipalities(self) -> list[Any]:
        chosen = [self.cleaned_data.get(f"m{i}") for i in range(1, 5)]
        unique: dict[str, Any] = {}
        for municipality in chosen:
            if municipality is not None:
                unique.setdefault(municipality.code, municipality)
        return list(unique.values())


HISTORY_ROWS = {"residence_history": 3, "commute_to_tokyo23_history": 2, "study_in_tokyo23_history": 2}
CHILD_ROWS = 4
_BOOL_CHOICES = [("", _("未回答")), ("yes", _("はい")), ("no", _("いいえ"))]
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class AnswersForm(forms.Form):
    """The questions the chosen programs ask (facts.Question), as ordinary fields; `answers()` gives the JSON.

    Every field may stay empty: an empty answer means "not answered", never "no".
    """

    def __init__(
        self, *args: Any, questions: list[Any], program_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            label = pick(question.label_ja, question.label_en)
            unit = pick(question.unit_ja, question.unit_en)
            if unit:
                label = f"{label}（{unit}）"
            key, kind = question.key, question.kind
            if kind == "date":
                self.fields[key] = forms.DateField(label=label, required=False, widget=_DATE_WIDGET)
            elif kind == "bool":
                self.fields[key] = forms.ChoiceField(label=label, required=False, choices=_BOOL_CHOICES)
            elif kind == "int":
                self.fields[key] = forms.IntegerField(label=label, required=False, min_value=0)
            elif kind == "number":
                self.fields[key] = forms.DecimalField(
                    label=label, required=False, min_value=Decimal(0), decimal_places=1
                )
            elif kind == "choice":
                choices = [("", _("未回答"))] + [(value, pick(ja, en)) for value, ja, en in question.choices]
                self.fields[key] = forms.ChoiceField(label=label, required=False, choices=choices)
            elif kind == "dates":
                for i in range(1, CHILD_ROWS + 1):
                    self.fields[f"{key}_{i}"] = forms.DateField(
                        label=_("子ども（%(n)s人目）の生年月日") % {"n": i},
                        required=False,
                        widget=_DATE_WIDGET,
                    )
                self.fields[f"{key}_none"] = forms.BooleanField(
                    label=_("一緒に移住する子どもはいない"), required=False
                )
            elif kind in ("residence_history", "commute_history", "study_history"):
                for i in range(1, HISTORY_ROWS[key] + 1):
                    self.fields[f"{key}_{i}_start"] = forms.DateField(
                        label=_("期間%(n)s 開始") % {"n": i}, required=False, widget=_DATE_WIDGET
                    )
                    self.fields[f"{key}_{i}_end"] = forms.DateField(
                        label=_("期間%(n)s 終了（続いていれば空欄）") % {"n": i},
                        required=False,
                        widget=_DATE_WIDGET,
                    )
                    if kind == "residence_history":
                        areas = [("", _("地域を選ぶ"))] + [
                            (value, pick(ja, en)) for value, ja, en in question.choices
                        ]
                        self.fields[f"{key}_{i}_area"] = forms.ChoiceField(
                            label=_("期間%(n)s 地域") % {"n": i}, required=False, choices=areas
                        )
                    if kind == "commute_history":
                        self.fields[f"{key}_{i}_insured"] = forms.ChoiceField(
                            label=_("期間%(n)s 雇用保険に加入") % {"n": i},
                            required=False,
                            choices=_BOOL_CHOICES,
                        )
                if kind != "residence_history":
                    self.fields[f"{key}_none"] = forms.BooleanField(label=_("該当なし"), required=False)
            elif kind == "list":
                self.fields[key] = forms.MultipleChoiceField(
                    label=label, required=False, choices=program_choices, widget=forms.CheckboxSelectMultiple
                )
                self.fields[f"{key}_none"] = forms.BooleanField(label=_("どれも受けていない"), required=False)

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """(question, its bound fields) in question order, for the template's fieldsets."""
        return [
            (q, [self[name] for name in self.fields if name == q.key or name.startswith(f"{q.key}_")])
            for q in self.questions
        ]

    def answers(self) -> dict[str, Any]:
        """Answered questions only, as `facts.profile_from_dict` reads them (ISO dates, lists of periods)."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.questions:
            key, kind = question.key, question.kind
            if kind in ("date", "int", "choice", "number"):
                value = data.get(key)
                if value not in (None, ""):
                    answers[key] = (
                        value.isoformat()
                        if hasattr(value, "isoformat")
                        else (float(value) if isinstance(value, Decimal) else value)
                    )
            elif kind == "bool" and data.get(key):
                answers[key] = data[key] == "yes"
            elif kind == "dates":
                dates = [data.get(f"{key}_{i}") for i in range(1, CHILD_ROWS + 1)]
                if any(dates) or data.get(f"{key}_none"):
                    answers[key] = [d.isoformat() for d in dates if d]
            elif kind in ("residence_history", "commute_history", "study_history"):
                rows = []
                for i in range(1, HISTORY_ROWS[key] + 1):
                    start, end = data.get(f"{key}_{i}_start"), data.get(f"{key}_{i}_end")
                    if not start:
                        continue
                    row: dict[str, Any] = {
                        "start": start.isoformat(),
                        "end": end.isoformat() if end else None,
                    }
                    if kind == "residence_history":
                        row["area"] = data.get(f"{key}_{i}_area") or None
                    if kind == "commute_history":
                        insured = data.get(f"{key}_{i}_insured")
                        row["employment_insurance"] = None if not insured else insured == "yes"
                    rows.append(row)
                if rows or data.get(f"{key}_none"):
                    answers[key] = rows
            elif kind == "list" and (data.get(key) or data.get(f"{key}_none")):
                answers[key] = list(data.get(key) or [])
        return answers

    @staticmethod
    def initial_from(answers: dict[str, Any], questions: list[Any]) -> dict[str, Any]:
        """Form initial values from saved answers (the inverse of `answers`)."""
        initial: dict[str, Any] = {}
        for question in questions:
            key, kind, value = question.key, question.kind, answers.get(question.key)
            if value is None:
                continue
            if kind == "bool":
                initial[key] = "yes" if value else "no"
            elif kind == "dates":
                initial.update({f"{key}_{i}": d for i, d in enumerate(value[:CHILD_ROWS], start=1)})
                initial[f"{key}_none"] = not value
            elif kind in ("residence_history", "commute_history", "study_history"):
                for i, row in enumerate(value[: HISTORY_ROWS[key]], start=1):
                    initial[f"{key}_{i}_start"], initial[f"{key}_{i}_end"] = row.get("start"), row.get("end")
                    if "area" in row:
                        initial[f"{key}_{i}_area"] = row["area"]
                    if row.get("employment_insurance") is not None:
                        initial[f"{key}_{i}_insured"] = "yes" if row["employment_insurance"] else "no"
                initial[f"{key}_none"] = not value
            elif kind == "list":
                initial[key], initial[f"{key}_none"] = value, not value
            else:
                initial[key] = value
        return initial


class ProgramFilterForm(forms.Form):
    municipality = MunicipalityField(label=_("市区町村"), required=False)
    level = forms.ChoiceField(
        label=_("実施主体"), required=False, choices=[("", _("すべて")), *ProgramLevel.choices]
    )
    category = forms.ChoiceField(
        label=_("分類"), required=False, choices=[("", _("すべて")), *ProgramCategory.choices]
    )
    open_now = forms.BooleanField(label=_("受付中のものだけ"), required=False)


# --- Staff authoring: programs, their versions as structured rules (no JSON to type), route fares ----------

_LIST_SEPARATORS = re.compile(r"[、,，]")
_PROGRAM_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")  # as eligibility.ProgramRule accepts it
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_STAFF_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPERATOR_LABELS = {
    "eq": _("等しい"),
    "ne": _("等しくない"),
    "in": _("いずれか"),
    "not_in": _("いずれでもない"),
    "gte": _("以上"),
    "lte": _("以下"),
    "gt": _("より大きい（超える）"),
    "lt": _("未満"),
    "contains": _("含む"),
    "excludes": _("含まない"),
}
FACT_KIND_LABELS = {
    "int": _("整数"),
    "number": _("数（小数も可）"),
    "bool": _("はい・いいえ"),
    "choice": _("選択肢"),
    "date": _("日付"),
    "list": _("受けた制度の識別子"),
}
BENEFIT_KIND_LABELS = {
    "fixed": _("定額"),
    "household": _("世帯・単身別の額（子ども加算あり）"),
    "by_fact": _("回答の選択肢ごとの額"),
    "rate_cap": _("費用の割合（上限あり）"),
    "monthly": _("月額（期間あり）"),
    "unspecified": _("金額の定めなし・非公表"),
}
# The benefit fields each kind needs (the others are ignored for that kind).
BENEFIT_REQUIRED = {
    "fixed": ("benefit_amount",),
    "household": ("benefit_single", "benefit_household"),
    "by_fact": ("benefit_fact",),
    "rate_cap": ("benefit_rate", "benefit_cap", "benefit_cost_fact"),
    "monthly": ("benefit_monthly_cap", "benefit_months"),
    "unspecified": (),
}
FUNDING_LEVELS = ("national", "prefecture", "municipality")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _fact_label(fact: facts.Fact) -> str:
    label = pick(fact.label_ja, fact.label_en)
    unit = pick(fact.unit_ja, fact.unit_en)
    return f"{label}（{unit}）" if unit else label


def fact_choices(
    *, kinds: tuple[str, ...] = facts.FACT_KINDS, unit: str | None = None
) -> list[tuple[str, Any]]:
    """Facts as select options, labelled in the current language; the blank option first."""
    return [("", _("選んでください"))] + [
        (key, _fact_label(fact))
        for key, fact in facts.FACTS.items()
        if fact.kind in kinds and (unit is None or fact.unit == unit)
    ]


def _scalar_from_text(fact: facts.Fact, text: str) -> Any:
    """One value typed for a fact, as the rule stores it; ValidationError says what to type instead."""
    name = pick(fact.label_ja, fact.label_en)
    if fact.kind in ("int", "number"):
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or (fact.kind == "int" and number != number.to_integral_value())
        ):
            message = (
                _("「%(fact)s」は整数で入力してください（入力: %(value)s）。")
                if fact.kind == "int"
                else _("「%(fact)s」は数で入力してください（入力: %(value)s）。")
            )
            raise forms.ValidationError(message % {"fact": name, "value": text})
        return int(number) if number == number.to_integral_value() else float(number)
    if fact.kind == "bool":
        lowered = text.lower()
        if lowered in ("はい", "yes", "true"):
            return True
        if lowered in ("いいえ", "no", "false"):
            return False
        raise forms.ValidationError(
            _("「%(fact)s」は「はい」か「いいえ」で入力してください（入力: %(value)s）。")
            % {"fact": name, "value": text}
        )
    if fact.kind == "choice":
        for key, (label_ja, label_en) in fact.choices.items():
            if text.lower() in (key.lower(), label_en.lower()) or text == _nfkc(label_ja):
                return key
        options = "、".join(pick(ja, en) for ja, en in fact.choices.values())
        raise forms.ValidationError(
            _("「%(value)s」は「%(fact)s」の選択肢にありません（選択肢: %(choices)s）。")
            % {"value": text, "fact": name, "choices": options}
        )
    if fact.kind == "date":
        found = _DATE_TEXT.fullmatch(text)
        try:
            if found is None:
                raise ValueError(text)
            return date(*(int(part) for part in found.groups())).isoformat()
        except ValueError:
            raise forms.ValidationError(
                _("「%(fact)s」は 2025-04-01 の形の日付で入力してください（入力: %(value)s）。")
                % {"fact": name, "value": text}
            ) from None
    return text  # a list fact compares with one program key


def fact_value_from_text(fact: facts.Fact, op: str, text: str) -> Any:
    """What a staff member typed in a condition row, parsed by the fact's kind (several for いずれか / いずれでもない)."""
    text = _nfkc(text)
    if not text:
        raise forms.ValidationError(_("値を入力してください。"))
    if op in ("in", "not_in"):
        return [
            _scalar_from_text(fact, part.strip()) for part in _LIST_SEPARATORS.split(text) if part.strip()
        ]
    return _scalar_from_text(fact, text)


def fact_value_text(fact: facts.Fact, value: Any) -> str:
    """The inverse of `fact_value_from_text`: a stored value as the row's text (choices by their label)."""
    if isinstance(value, list):
        parts = [fact_value_text(fact, item) for item in value]
        if any(_LIST_SEPARATORS.search(part) for part in parts):
            parts = [str(item) for item in value]
        return "、".join(parts)
    if isinstance(value, bool):
        return pick("はい", "yes") if value else pick("いいえ", "no")
    if fact.kind == "choice" and value in fact.choices:
        return pick(*fact.choices[value])
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rate_from_text(text: str) -> float | str:
    """A rate typed as a fraction (1/2, stored as text) or a percent (50%, stored as 0.5)."""
    text = _nfkc(text).replace(" ", "")
    try:
        if "/" in text:
            value = Fraction(text)
            stored: float | str = f"{value.numerator}/{value.denominator}"
        elif text.endswith("%"):
            value = Fraction(Decimal(text[:-1])) / 100
            stored = float(value)
        else:
            raise ValueError(text)
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise forms.ValidationError(
            _("「1/2」のような分数か「50%%」のような百分率で入力してください（入力: %(value)s）。")
            % {"value": text}
        ) from None
    if not 0 < value <= 1:
        raise forms.ValidationError(
            _("0より大きく100%%以下にしてください（入力: %(value)s）。") % {"value": text}
        )
    return stored


def rate_text(rate: float | str | None) -> str:
    if rate is None:
        return ""
    return rate if isinstance(rate, str) else f"{rate * 100:g}%"


class ProgramCreateForm(forms.Form):
    """A new support program; who may create which (level, place, organization) is the service's rule."""

    key = forms.SlugField(
        label=_("識別子"),
        max_length=80,
        help_text=_("英小文字・数字・「-」「_」。例: shimanto-trial-stay（あとから変えられません）"),
    )
    name = forms.CharField(label=_("名称"), max_length=200)
    name_en = forms.CharField(label=_("英語名"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("実施主体"), choices=ProgramLevel.choices)
    category = forms.ChoiceField(label=_("分類"), choices=ProgramCategory.choices)
    municipality = MunicipalityField(label=_("市区町村（市区町村の制度）"), required=False)
    prefecture = forms.ModelChoiceField(
        label=_("都道府県（都道府県の制度）"),
        queryset=Prefecture.objects.order_by("code"),
        required=False,
        empty_label=_("選んでください"),
    )
    organization = forms.ModelChoiceField(
        label=_("管理する組織"), queryset=Organization.objects.none(), empty_label=_("選んでください")
    )
    summary = forms.CharField(label=_("概要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    funding_national = forms.CharField(label=_("国"), max_length=20, required=False)
    funding_prefecture = forms.CharField(label=_("都道府県"), max_length=20, required=False)
    funding_municipality = forms.CharField(label=_("市区町村"), max_length=20, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.active().order_by("prefecture_id", "name")
        field = self.fields["organization"]
        if is_platform_admin(actor):
            field.required = False
            field.empty_label = _("なし（運営が管理）")  # type: ignore[attr-defined]
            field.help_text = _("国の制度は組織なしで登録します。")
        else:
            organizations = organizations.filter(pk__in=organizations_with_role(actor, MembershipRole.EDITOR))
            field.help_text = _("編集者以上の役割を持つ組織から選びます。")
        field.queryset = organizations  # type: ignore[attr-defined]
        for level in FUNDING_LEVELS:
            self.fields[f"funding_{level}"].help_text = _("例: 1/2（空欄なら負担なし・不明）")

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if not _PROGRAM_KEY.fullmatch(key):
            raise forms.ValidationError(
                _("英小文字・数字・「-」「_」で入力してください（先頭は英小文字か数字）。")
            )
        if SupportProgram.objects.filter(key=key).exists():
            raise forms.ValidationError(_("この識別子はすでに使われています。"))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level = data.get("level")
        if (
            level == ProgramLevel.MUNICIPALITY
            and not data.get("municipality")
            and "municipality" not in self.errors
        ):
            self.add_error("municipality", _("市区町村の制度には市区町村を入力してください。"))
        if level == ProgramLevel.PREFECTURE and not data.get("prefecture") and not data.get("municipality"):
            self.add_error("prefecture", _("都道府県の制度には都道府県を選んでください。"))
        if level == ProgramLevel.NATIONAL and (data.get("municipality") or data.get("prefecture")):
            self.add_error(None, _("国の制度には都道府県・市区町村を指定しません。"))
        shares = {}
        for level_key in FUNDING_LEVELS:
            text = _nfkc(data.get(f"funding_{level_key}") or "").replace(" ", "")
            if not text:
                continue
            try:
                share = Fraction(text)
            except (ValueError, ZeroDivisionError):
                share = None
            if share is None or not 0 < share <= 1:
                self.add_error(f"funding_{level_key}", _("「1/2」のような分数で入力してください。"))
            else:
                shares[level_key] = text
        data["funding_shares"] = shares
        return data


class BudgetStatusForm(forms.Form):
    """The budget status and deadline of one version (changed during the year without a new version)."""

    budget_status = forms.ChoiceField(label=_("予算の状況"), choices=BudgetStatus.choices)
    deadline = forms.DateField(label=_("締切"), required=False, widget=_STAFF_DATE_WIDGET)


class ConditionRowForm(forms.Form):
    """One condition: a fact, a comparison and a value; rows of one group number ≥ 1 are alternatives."""

    fact = forms.ChoiceField(label=_("事実"), required=False)
    op = forms.ChoiceField(label=_("比較"), required=False)
    value = forms.CharField(label=_("値"), required=False, max_length=500)
    group = forms.IntegerField(label=_("グループ"), required=False, min_value=0, max_value=99, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = fact_choices()  # type: ignore[attr-defined]
        self.fields["op"].choices = [("", _("選んでください")), *OPERATOR_LABELS.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, op = data.get("fact"), data.get("op")
        if not key:
            if data.get("value") or op:
                self.add_error("fact", _("事実を選んでください。"))
            return data
        if not op:
            self.add_error("op", _("比較を選んでください。"))
            return data
        try:
            data["parsed_value"] = fact_value_from_text(facts.FACTS[key], op, data.get("value") or "")
        except forms.ValidationError as exc:
            self.add_error("value", exc)
        return data


class ByFactAmountForm(forms.Form):
    """One choice of the benefit's fact and the amount paid for it."""

    value = forms.CharField(label=_("選択肢"), required=False, max_length=200)
    amount = forms.IntegerField(label=_("金額（円）"), required=False, min_value=0, max_value=10**10)


class RepaymentRowForm(forms.Form):
    """One repayment step: what happens, when (months after applying) and the share to repay."""

    trigger = forms.ChoiceField(label=_("きっかけ"), required=False)
    from_months = forms.IntegerField(
        label=_("申請から（か月以上）"), required=False, min_value=0, max_value=1200
    )
    to_months = forms.IntegerField(
        label=_("申請から（か月未満）"), required=False, min_value=1, max_value=1200
    )
    share = forms.DecimalField(
        label=_("返還する割合（%）"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = [("", _("なし"))] + [  # type: ignore[attr-defined]
            (key, pick(ja, en)) for key, (ja, en) in eligibility.TRIGGERS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("trigger"):
            for name in ("to_months", "share"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("入力してください。"))
        return data


ConditionRowFormSet = forms.formset_factory(ConditionRowForm, extra=3, max_num=60, validate_max=True)
ByFactAmountFormSet = forms.formset_factory(ByFactAmountForm, extra=3, max_num=40, validate_max=True)
RepaymentRowFormSet = forms.formset_factory(RepaymentRowForm, extra=2, max_num=20, validate_max=True)
BLANK_ROWS = {"conditions": 3, "amounts": 3, "repayment": 2}


def condition_rows(conditions: Any) -> list[dict[str, Any]] | None:
    """Rows for a stored condition tree of the form all(leaves…, any(leaves…)…); None for any other shape."""

    def is_leaf(node: Any) -> bool:
        return isinstance(node, dict) and set(node) == {"fact", "op", "value"} and node["fact"] in facts.FACTS

    def row(node: dict[str, Any], group: int) -> dict[str, Any]:
        fact = facts.FACTS[node["fact"]]
        return {
            "fact": node["fact"],
            "op": node["op"],
            "value": fact_value_text(fact, node["value"]),
            "group": group,
        }

    if not isinstance(conditions, dict) or not conditions:
        return [] if conditions in ({}, None) else None
    children = conditions["all"] if set(conditions) == {"all"} else [conditions]
    if not isinstance(children, list):
        return None
    rows: list[dict[str, Any]] = []
    group = 0
    for child in children:
        if is_leaf(child):
            rows.append(row(child, 0))
        elif (
            isinstance(child, dict)
            and set(child) == {"any"}
            and isinstance(child["any"], list)
            and child["any"]
            and all(is_leaf(node) for node in child["any"])
        ):
            group += 1
            rows.extend(row(node, group) for node in child["any"])
        else:
            return None
    return rows


def _with_blank_rows(data: Any, prefix: str, blank: int, most: int) -> Any:
    """POST data with enough empty rows after the typed ones, so a re-shown form always has room to add."""
    total_key = f"{prefix}-TOTAL_FORMS"
    if data is None or total_key not in data:
        return data
    try:
        total = int(data[total_key])
    except ValueError:
        return data
    used = 0
    for index in range(total):
        if any(data.get(f"{prefix}-{index}-{name}") for name in ("fact", "value", "trigger", "amount")):
            used = index + 1
    data = data.copy()
    data[total_key] = str(min(max(total, used + blank), most))
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


class ProgramVersionForm(forms.Form):
    """A program version as a structured form: period, sources, conditions as rows, benefit, window, repayment.

    Condition rows of group 0 are each required; rows sharing a group number n ≥ 1 are alternatives (one of them
    suffices). The tree is {"all": [group-0 leaves…, {"any": [group n leaves…]}…]}; the engine
    (services.rule_check) validates the whole, and its messages are put back on the row or field concerned.
    """

    effective_from = forms.DateField(label=_("適用開始日"), widget=_STAFF_DATE_WIDGET)
    effective_to = forms.DateField(
        label=_("適用終了日"),
        required=False,
        widget=_STAFF_DATE_WIDGET,
        help_text=_("空欄なら終了日未定。前の版に終了日がなければ、この版の開始日の前日で終わります。"),
    )
    budget_status = forms.ChoiceField(
        label=_("予算の状況"), choices=BudgetStatus.choices, initial=BudgetStatus.OPEN
    )
    deadline = forms.DateField(label=_("締切"), required=False, widget=_STAFF_DATE_WIDGET)
    source_url = forms.URLField(label=_("出典（URL）"), max_length=500, assume_scheme="https")
    last_verified = forms.DateField(label=_("最終確認日"), widget=_STAFF_DATE_WIDGET)
    notes = forms.CharField(
        label=_("備考"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("判定していない要件や、出典に記載のない点を書きます。"),
    )
    benefit_kind = forms.ChoiceField(label=_("支給額の決め方"), choices=list(BENEFIT_KIND_LABELS.items()))
    benefit_amount = forms.IntegerField(label=_("金額（円）"), required=False, min_value=0, max_value=10**10)
    benefit_single = forms.IntegerField(
        label=_("単身の額（円）"), required=False, min_value=0, max_value=10**10
    )
    benefit_household = forms.IntegerField(
        label=_("世帯（2人以上）の額（円）"), required=False, min_value=0, max_value=10**10
    )
    benefit_per_child = forms.IntegerField(
        label=_("子ども1人あたりの加算（円）"), required=False, min_value=0, max_value=10**10
    )
    benefit_child_max_age = forms.IntegerField(
        label=_("加算の対象になる子どもの年齢（この年齢以下）"),
        required=False,
        min_value=0,
        max_value=30,
        initial=17,
    )
    benefit_fact = forms.ChoiceField(label=_("額を決める回答"), required=False)
    benefit_rate = forms.CharField(
        label=_("補助率"),
        required=False,
        max_length=20,
        help_text=_(
            "費用の割合（必須）と月額（任意）で使います。「1/2」のような分数か「50%」のような百分率。"
        ),
    )
    benefit_cap = forms.IntegerField(
        label=_("上限額（円）"),
        required=False,
        min_value=0,
        max_value=10**10,
        help_text=_("費用の割合で使います。"),
    )
    benefit_monthly_cap = forms.IntegerField(
        label=_("月額の上限（円）"),
        required=False,
        min_value=0,
        max_value=10**10,
        help_text=_("月額で使います。"),
    )
    benefit_months = forms.IntegerField(
        label=_("期間（か月）"),
        required=False,
        min_value=1,
        max_value=1200,
        help_text=_("月額（必須）と金額の定めなし（任意）で使います。"),
    )
    benefit_cost_fact = forms.ChoiceField(
        label=_("対象になる費用"),
        required=False,
        help_text=_("費用の割合（必須）と月額（任意。なければ毎月上限額）で使います。"),
    )
    benefit_minus_fact = forms.ChoiceField(
        label=_("費用から差し引く額"), required=False, help_text=_("月額で使います（任意）。")
    )
    benefit_note_ja = forms.CharField(label=_("金額についての説明（日本語）"), required=False, max_length=300)
    benefit_note_en = forms.CharField(label=_("金額についての説明（英語）"), required=False, max_length=300)
    window_anchor = forms.ChoiceField(label=_("申請期間の起点"), required=False)
    window_from_months = forms.IntegerField(
        label=_("起点から（か月後から）"), required=False, min_value=-1200, max_value=1200, initial=0
    )
    window_to_months = forms.IntegerField(
        label=_("起点から（か月後まで）"), required=False, min_value=-1200, max_value=1200
    )
    exclusive_with = forms.MultipleChoiceField(
        label=_("併用できない制度"), required=False, widget=forms.CheckboxSelectMultiple
    )
    once_per = forms.ChoiceField(label=_("受けられる回数"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        program: SupportProgram,
        other_programs: list[tuple[str, str]],
        source: ProgramVersion | None = None,
        today: date,
    ) -> None:
        self.program = program
        self.tree_unsupported = False
        initial: dict[str, Any] = {"last_verified": today}
        rows: list[dict[str, Any]] = []
        amounts: list[dict[str, Any]] = []
        repayment: list[dict[str, Any]] = []
        if data is None and source is not None:
            initial, rows, amounts, repayment = self._initial_from(source, today)
        super().__init__(data, initial=initial)
        bound = data is not None
        self.condition_rows = ConditionRowFormSet(
            _with_blank_rows(data, "conditions", BLANK_ROWS["conditions"], ConditionRowFormSet.max_num),
            prefix="conditions",
            initial=None if bound else rows,
        )
        self.amount_rows = ByFactAmountFormSet(
            _with_blank_rows(data, "amounts", BLANK_ROWS["amounts"], ByFactAmountFormSet.max_num),
            prefix="amounts",
            initial=None if bound else amounts,
        )
        self.repayment_rows = RepaymentRowFormSet(
            _with_blank_rows(data, "repayment", BLANK_ROWS["repayment"], RepaymentRowFormSet.max_num),
            prefix="repayment",
            initial=None if bound else repayment,
        )
        self.fields["benefit_fact"].choices = fact_choices(kinds=("choice",))  # type: ignore[attr-defined]
        money_facts = fact_choices(kinds=("int",), unit="yen")
        self.fields["benefit_cost_fact"].choices = money_facts  # type: ignore[attr-defined]
        self.fields["benefit_minus_fact"].choices = [("", _("なし")), *money_facts[1:]]  # type: ignore[attr-defined]
        self.fields["window_anchor"].choices = [("", _("定めなし"))] + [  # type: ignore[attr-defined]
            (key, pick(ja, en)) for key, (_fact, _field, ja, en) in eligibility.ANCHORS.items()
        ]
        self.fields["once_per"].choices = [("", _("制限なし"))] + [  # type: ignore[attr-defined]
            (key, pick(ja, en)) for key, (ja, en) in eligibility.ONCE_PER.items()
        ]
        known = dict(other_programs)
        for key in (source.stacking or {}).get("exclusive_with", []) if source is not None else []:
            known.setdefault(key, key)  # a key stored earlier stays selectable even without its program
        self.fields["exclusive_with"].choices = [  # type: ignore[attr-defined]
            (key, f"{name}（{key}）") for key, name in known.items() if key != program.key
        ]

    def _initial_from(
        self, version: ProgramVersion, today: date
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The form's values from a stored version (the new version starts from the current rules)."""
        benefit = dict(version.benefit or {})
        kind = benefit.get("kind", "fixed")
        initial: dict[str, Any] = {
            "budget_status": version.budget_status,
            "deadline": version.deadline,
            "source_url": version.source_url,
            "last_verified": today,
            "notes": version.notes,
            "benefit_kind": kind,
        }
        simple = (
            "amount",
            "single",
            "household",
            "per_child",
            "child_max_age",
            "cap",
            "monthly_cap",
            "months",
        )
        for name in (*simple, "cost_fact", "minus_fact", "note_ja", "note_en"):
            if benefit.get(name) is not None:
                initial[f"benefit_{name}"] = benefit[name]
        if kind == "by_fact":
            initial["benefit_fact"] = benefit.get("fact")
        initial["benefit_rate"] = rate_text(benefit.get("rate"))
        window = version.window or {}
        if window:
            initial.update(
                window_anchor=window.get("anchor"),
                window_from_months=window.get("from_months"),
                window_to_months=window.get("to_months"),
            )
        stacking = version.stacking or {}
        initial["exclusive_with"] = list(stacking.get("exclusive_with") or [])
        initial["once_per"] = stacking.get("once_per") or ""
        rows = condition_rows(version.conditions)
        if rows is None:
            self.tree_unsupported = True
            rows = []
        amounts = []
        if kind == "by_fact" and benefit.get("fact") in facts.FACTS:
            fact = facts.FACTS[benefit["fact"]]
            amounts = [
                {"value": fact_value_text(fact, value), "amount": amount}
                for value, amount in (benefit.get("amounts") or {}).items()
            ]
        repayment = [
            {
                "trigger": step.get("trigger"),
                "from_months": step.get("from_months"),
                "to_months": step.get("to_months"),
                "share": Decimal(str(step.get("share", 0))) * 100,
            }
            for step in version.repayment or []
        ]
        return initial, rows, amounts, repayment

    def is_valid(self) -> bool:
        valid = super().is_valid()
        rows_valid = [
            rows.is_valid() for rows in (self.condition_rows, self.amount_rows, self.repayment_rows)
        ]
        return valid and all(rows_valid)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("適用終了日は適用開始日以降にしてください。"))
        for name in BENEFIT_REQUIRED.get(data.get("benefit_kind") or "", ()):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("この支給額の決め方では入力が必要です。"))
        if data.get("benefit_rate"):
            try:
                data["benefit_rate"] = rate_from_text(data["benefit_rate"])
            except forms.ValidationError as exc:
                self.add_error("benefit_rate", exc)
        if (
            data.get("window_anchor")
            and data.get("window_to_months") is None
            and "window_to_months" not in self.errors
        ):
            self.add_error("window_to_months", _("申請期間の起点を選んだときは入力してください。"))
        return data

    # The parts of the rule, from the cleaned form (call after is_valid()).

    def conditions(self) -> tuple[dict[str, Any], dict[str, int]]:
        """The condition tree and, for each node's path in it, the row it came from (to place engine errors)."""
        required: list[tuple[dict[str, Any], int]] = []
        groups: dict[int, list[tuple[dict[str, Any], int]]] = {}
        for index, row in enumerate(self.condition_rows.forms):
            data = row.cleaned_data
            if not data.get("fact") or "parsed_value" not in data:
                continue
            leaf = {"fact": data["fact"], "op": data["op"], "value": data["parsed_value"]}
            group = data.get("group") or 0
            (required if group == 0 else groups.setdefault(group, [])).append((leaf, index))
        children: list[dict[str, Any]] = []
        paths: dict[str, int] = {}
        for leaf, index in required:
            paths[f"conditions.all[{len(children)}]"] = index
            children.append(leaf)
        for group in sorted(groups):
            position = len(children)
            for member, (_leaf, index) in enumerate(groups[group]):
                paths[f"conditions.all[{position}].any[{member}]"] = index
            children.append({"any": [leaf for leaf, _index in groups[group]]})
        return {"all": children}, paths

    def benefit(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["benefit_kind"]
        benefit: dict[str, Any] = {"kind": kind}

        def put(*names: str) -> None:
            for name in names:
                if data.get(f"benefit_{name}") not in (None, ""):
                    benefit[name] = data[f"benefit_{name}"]

        if kind == "fixed":
            put("amount")
        elif kind == "household":
            put("single", "household", "per_child", "child_max_age")
        elif kind == "by_fact":
            benefit["fact"] = data["benefit_fact"]
            benefit["amounts"] = self._amounts(data["benefit_fact"])
        elif kind == "rate_cap":
            put("rate", "cap", "cost_fact")
        elif kind == "monthly":
            put("monthly_cap", "months", "cost_fact", "minus_fact", "rate")
        else:
            put("months", "note_ja", "note_en")
        return benefit

    def _amounts(self, fact_key: str) -> dict[str, int]:
        fact = facts.FACTS.get(fact_key)
        amounts: dict[str, int] = {}
        for row in self.amount_rows.forms:
            text, amount = row.cleaned_data.get("value"), row.cleaned_data.get("amount")
            if not text and amount is None:
                continue
            if amount is None:
                row.add_error("amount", _("金額を入力してください。"))
                continue
            try:
                value = fact_value_from_text(fact, "eq", text or "") if fact else text
            except forms.ValidationError as exc:
                row.add_error("value", exc)
                continue
            amounts[str(value)] = amount
        return amounts

    def window(self) -> dict[str, Any]:
        data = self.cleaned_data
        if not data.get("window_anchor"):
            return {}
        return {
            "anchor": data["window_anchor"],
            "from_months": data.get("window_from_months") or 0,
            "to_months": data["window_to_months"],
        }

    def repayment(self) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """The repayment steps and, for each step's position, its row."""
        steps: list[dict[str, Any]] = []
        rows: dict[int, int] = {}
        for index, row in enumerate(self.repayment_rows.forms):
            data = row.cleaned_data
            if not data.get("trigger"):
                continue
            rows[len(steps)] = index
            steps.append(
                {
                    "trigger": data["trigger"],
                    "from_months": data.get("from_months") or 0,
                    "to_months": data["to_months"],
                    "share": float(Fraction(data["share"]) / 100),
                }
            )
        return steps, rows

    def stacking(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "exclusive_with": list(data.get("exclusive_with") or []),
            "once_per": data.get("once_per") or None,
        }

    def parts(self) -> dict[str, Any] | None:
        """The rule's parts for services.rule_check / program_version_create; None if a row could not be read."""
        conditions, self._condition_paths = self.conditions()
        benefit = self.benefit()
        repayment, self._repayment_rows = self.repayment()
        if any(row.errors for row in self.amount_rows.forms):
            return None
        return {
            "conditions": conditions,
            "benefit": benefit,
            "window": self.window(),
            "repayment": repayment,
            "stacking": self.stacking(),
        }

    def add_service_error(self, exc: ApplicationError) -> None:
        """Put a refusal of the engine or the service on the row or field it names (the rest on the form)."""
        if not exc.fields:
            self.add_error(None, exc.message)
            return
        for path, messages_ in exc.fields.items():
            for message in messages_:
                self._place(str(path), message)

    def _place(self, path: str, message: str) -> None:
        if path.startswith("conditions"):
            paths = getattr(self, "_condition_paths", {})
            for prefix in sorted(paths, key=len, reverse=True):
                if path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")):
                    rest = path[len(prefix) :].lstrip(".")
                    field = rest.split("[")[0] if rest.split("[")[0] in ("fact", "op", "value") else None
                    self.condition_rows.forms[paths[prefix]].add_error(field, message)
                    return
            self.add_error(None, _("受給要件: %(message)s") % {"message": message})
            return
        found = re.fullmatch(r"repayment\[(\d+)\](?:\.(\w+))?", path)
        if found and int(found.group(1)) in getattr(self, "_repayment_rows", {}):
            row = self.repayment_rows.forms[self._repayment_rows[int(found.group(1))]]
            field = found.group(2)
            row.add_error(field if field in row.fields else None, message)
            return
        field = {
            "benefit": "benefit_kind",
            "window": "window_anchor",
            "repayment": None,
            "stacking.exclusive_with": "exclusive_with",
            "stacking.once_per": "once_per",
        }.get(path, path.replace(".", "_", 1) if path.startswith(("benefit.", "window.")) else path)
        if field and field.startswith("benefit_amounts"):
            field = "benefit_fact"
        self.add_error(field if field in self.fields else None, message)

    def error_summary(self) -> list[tuple[str, str]]:
        """(element id, message) for every error of the form and its rows, for the summary at the top."""
        summary = [("version-form", str(error)) for error in self.non_field_errors()]
        summary += [
            (self[name].auto_id or "", f"{self.fields[name].label}: {error}")
            for name, errors in self.errors.items()
            if name in self.fields
            for error in errors
        ]
        titles = {"conditions": _("条件 %(n)s"), "amounts": _("金額の行 %(n)s"), "repayment": _("返還 %(n)s")}
        for formset in (self.condition_rows, self.amount_rows, self.repayment_rows):
            summary += [(f"{formset.prefix}-rows", str(error)) for error in formset.non_form_errors()]
            for index, row in enumerate(formset.forms):
                where = titles[str(formset.prefix)] % {"n": index + 1}
                for name, errors in row.errors.items():
                    anchor = row[name].auto_id if name in row.fields else f"{formset.prefix}-row-{index}"
                    label = f"{where} {row.fields[name].label}" if name in row.fields else where
                    summary += [(anchor or "", f"{label}: {error}") for error in errors]
        return summary


class RouteFareForm(forms.Form):
    """A real fare an organization enters for a route (entering the same route and mode again replaces it)."""

    organization = forms.ModelChoiceField(
        label=_("登録する組織"), queryset=Organization.objects.none(), empty_label=_("選んでください")
    )
    origin = MunicipalityField(label=_("出発地"))
    destination = MunicipalityField(label=_("到着地"))
    mode = forms.ChoiceField(label=_("交通手段"))
    one_way_yen = forms.IntegerField(label=_("片道運賃（円）"), required=False, min_value=0, max_value=10**7)
    monthly_pass_yen = forms.IntegerField(
        label=_("1か月定期（円）"), required=False, min_value=0, max_value=10**7
    )
    one_way_minutes = forms.IntegerField(
        label=_("片道の所要時間（分）"), required=False, min_value=0, max_value=24 * 60
    )
    source = forms.CharField(label=_("出典"), max_length=300, help_text=_("運賃表の URL や資料名"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.active().order_by("prefecture_id", "name")
        if not is_platform_admin(actor):
            organizations = organizations.filter(pk__in=organizations_with_role(actor, MembershipRole.EDITOR))
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["mode"].choices = [(m.value, pick(m.label_ja, m.label_en)) for m in Mode]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("one_way_yen") is None and data.get("monthly_pass_yen") is None:
            self.add_error("one_way_yen", _("片道運賃か1か月定期のどちらかを入力してください。"))
        if data.get("origin") and data.get("origin") == data.get("destination"):
            self.add_error("destination", _("出発地と同じ市区町村です。"))
        return data
