from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.core.i18n import pick
from nikyoten.regions.forms import MunicipalityField
from nikyoten.support.choices import ProgramCategory, ProgramLevel
from nikyoten.support.cost import MAX_CANDIDATES, MAX_MONTHS, MAX_TRIPS_PER_MONTH, MIN_MONTHS
from nikyoten.support.travel_model import Mode


def _yen_field(label: str, **kwargs: Any) -> forms.IntegerField:
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

    def __init__(self, *args: Any, questions: list[Any], program_choices: list[tuple[str, str]], **kwargs: Any) -> None:
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
                self.fields[key] = forms.DecimalField(label=label, required=False, min_value=Decimal(0), decimal_places=1)
            elif kind == "choice":
                choices = [("", _("未回答"))] + [(value, pick(ja, en)) for value, ja, en in question.choices]
                self.fields[key] = forms.ChoiceField(label=label, required=False, choices=choices)
            elif kind == "dates":
                for i in range(1, CHILD_ROWS + 1):
                    self.fields[f"{key}_{i}"] = forms.DateField(
                        label=_("子ども（%(n)s人目）の生年月日") % {"n": i}, required=False, widget=_DATE_WIDGET
                    )
                self.fields[f"{key}_none"] = forms.BooleanField(label=_("一緒に移住する子どもはいない"), required=False)
            elif kind in ("residence_history", "commute_history", "study_history"):
                for i in range(1, HISTORY_ROWS[key] + 1):
                    self.fields[f"{key}_{i}_start"] = forms.DateField(label=_("期間%(n)s 開始") % {"n": i}, required=False, widget=_DATE_WIDGET)
                    self.fields[f"{key}_{i}_end"] = forms.DateField(label=_("期間%(n)s 終了（続いていれば空欄）") % {"n": i}, required=False, widget=_DATE_WIDGET)
                    if kind == "residence_history":
                        areas = [("", _("地域を選ぶ"))] + [(value, pick(ja, en)) for value, ja, en in question.choices]
                        self.fields[f"{key}_{i}_area"] = forms.ChoiceField(label=_("期間%(n)s 地域") % {"n": i}, required=False, choices=areas)
                    if kind == "commute_history":
                        self.fields[f"{key}_{i}_insured"] = forms.ChoiceField(
                            label=_("期間%(n)s 雇用保険に加入") % {"n": i}, required=False, choices=_BOOL_CHOICES
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
        return [(q, [self[name] for name in self.fields if name == q.key or name.startswith(f"{q.key}_")]) for q in self.questions]

    def answers(self) -> dict[str, Any]:
        """Answered questions only, as `facts.profile_from_dict` reads them (ISO dates, lists of periods)."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.questions:
            key, kind = question.key, question.kind
            if kind in ("date", "int", "choice", "number"):
                value = data.get(key)
                if value not in (None, ""):
                    answers[key] = value.isoformat() if hasattr(value, "isoformat") else (float(value) if isinstance(value, Decimal) else value)
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
                    row: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat() if end else None}
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
    level = forms.ChoiceField(label=_("実施主体"), required=False, choices=[("", _("すべて")), *ProgramLevel.choices])
    category = forms.ChoiceField(label=_("分類"), required=False, choices=[("", _("すべて")), *ProgramCategory.choices])
    open_now = forms.BooleanField(label=_("受付中のものだけ"), required=False)
