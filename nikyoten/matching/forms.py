"""Forms: a seeker's wishes (GET, so results can be shared), saving them, and what a region says about itself."""

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.core.i18n import pick
from nikyoten.core.text import nfkc
from nikyoten.matching.choices import (
    CarNeed,
    FiberCoverage,
    LifeStage,
    LivingStyle,
    Snow,
    TravelLimit,
    WorkStyle,
)
from nikyoten.matching.models import VOUCHED_FACTS, MatchingProfile, RegionProfile
from nikyoten.matching.ranking import FACTOR_LABELS, FACTORS, MAX_WEIGHT, Factor
from nikyoten.matching.selectors import MAX_COMPARED, Wishes
from nikyoten.regions.forms import MunicipalityField

WEIGHT_CHOICES = [(str(i), str(i)) for i in range(MAX_WEIGHT + 1)]
DEFAULT_WEIGHTS = {Factor.ACCESS: 3, Factor.TRIAL_STAY: 2, Factor.SUPPORT: 2, Factor.REGION_FIT: 2}
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def weight_field(factor: Factor) -> str:
    return f"w_{factor.value}"


def _numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,、，]+", nfkc(text).strip()) if part]


class WishesForm(forms.Form):
    """What the ranking needs; the weights are one radio group (0–5) per factor."""

    adults = forms.IntegerField(label=_("大人の人数"), min_value=1, max_value=10, initial=1)
    children_ages = forms.CharField(
        label=_("子どもの年齢"),
        required=False,
        max_length=60,
        help_text=_("一緒に暮らす子どもの年齢をカンマ区切りで（例: 3, 6）。いなければ空欄。"),
    )
    has_senior = forms.BooleanField(label=_("65歳以上の人がいる"), required=False)
    work_style = forms.ChoiceField(
        label=_("働き方"), choices=WorkStyle.choices, widget=forms.RadioSelect, initial=WorkStyle.TELEWORK
    )
    living_style = forms.ChoiceField(
        label=_("暮らし方"),
        choices=LivingStyle.choices,
        widget=forms.RadioSelect,
        initial=LivingStyle.TELEWORK,
    )
    base = MunicipalityField(label=_("拠点（今の住まい・勤め先の市区町村）"), initial="東京都新宿区")
    trips_per_month = forms.IntegerField(
        label=_("拠点へ行く回数（1か月あたり）"), min_value=0, max_value=31, initial=4
    )
    travel_limit = forms.ChoiceField(
        label=_("拠点からの上限"),
        choices=TravelLimit.choices,
        widget=forms.RadioSelect,
        initial=TravelLimit.DISTANCE,
    )
    max_distance_km = forms.IntegerField(
        label=_("距離の上限（km、直線）"), min_value=1, max_value=3000, required=False, initial=150
    )
    max_travel_minutes = forms.IntegerField(
        label=_("移動時間の上限（分、片道）"), min_value=5, max_value=1440, required=False
    )
    budget_monthly_yen = forms.IntegerField(
        label=_("住まいの予算（円／月）"), min_value=0, max_value=10_000_000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in FACTORS:
            self.fields[weight_field(factor)] = forms.TypedChoiceField(
                label=pick(*FACTOR_LABELS[factor]),
                choices=WEIGHT_CHOICES,
                coerce=int,
                initial=str(DEFAULT_WEIGHTS.get(factor, 0)),
                widget=forms.RadioSelect(attrs={"class": "weight"}),
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[weight_field(f)] for f in FACTORS]

    def clean_children_ages(self) -> list[int]:
        parts = _numbers(self.cleaned_data.get("children_ages") or "")
        if not all(part.isdigit() and int(part) <= 17 for part in parts):
            raise forms.ValidationError(_("子どもの年齢は0〜17の数字をカンマ区切りで入力してください。"))
        if len(parts) > 10:
            raise forms.ValidationError(_("子どもは10人まで入力できます。"))
        return [int(part) for part in parts]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = data.get("travel_limit")
        if limit == TravelLimit.DISTANCE and data.get("max_distance_km") is None:
            self.add_error("max_distance_km", _("距離の上限を入力してください。"))
        if limit == TravelLimit.MINUTES and data.get("max_travel_minutes") is None:
            self.add_error("max_travel_minutes", _("移動時間の上限を入力してください。"))
        if limit != TravelLimit.DISTANCE:
            data["max_distance_km"] = None
        if limit != TravelLimit.MINUTES:
            data["max_travel_minutes"] = None
        return data

    def wishes(self) -> Wishes:
        data = self.cleaned_data
        weights = {f.value: data[weight_field(f)] for f in FACTORS if data[weight_field(f)]}
        return Wishes.from_data(data, weights=weights)

    @staticmethod
    def initial_of(profile: MatchingProfile) -> dict[str, Any]:
        """The form's values for a saved profile (to edit it or rank with it)."""
        return {
            "adults": profile.adults,
            "children_ages": ", ".join(str(age) for age in profile.children_ages),
            "has_senior": profile.has_senior,
            "work_style": profile.work_style,
            "living_style": profile.living_style,
            "base": profile.base.code,
            "trips_per_month": profile.trips_per_month,
            "travel_limit": profile.travel_limit,
            "max_distance_km": profile.max_distance_km,
            "max_travel_minutes": profile.max_travel_minutes,
            "budget_monthly_yen": profile.budget_monthly_yen,
            **{weight_field(f): str(profile.weights.get(f.value, 0)) for f in FACTORS},
        }


class SavedWishesForm(WishesForm):
    name = forms.CharField(label=_("この条件の名前"), max_length=60, initial=_("わが家の条件"))

    field_order = ["name"]


class CompareForm(WishesForm):
    code = forms.MultipleChoiceField(label=_("比べる市区町村"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = self.data.getlist("code") if hasattr(self.data, "getlist") else []
        field = cast(forms.MultipleChoiceField, self.fields["code"])
        field.choices = [(c, c) for c in codes if re.fullmatch(r"\d{5}", c)]

    def clean_code(self) -> list[str]:
        codes: list[str] = list(dict.fromkeys(self.cleaned_data["code"]))
        if len(codes) > MAX_COMPARED:
            raise forms.ValidationError(_("比べられるのは4つまでです。"))
        return codes


def _yes_no(yes: Any, no: Any) -> forms.NullBooleanSelect:
    widget = forms.NullBooleanSelect()
    widget.choices = [("unknown", _("発信しない")), ("true", yes), ("false", no)]
    return widget


def _skills(text: str) -> list[str]:
    return [tag for tag in (part.strip() for part in re.split(r"[,、，\n]+", nfkc(text))) if tag]


class RegionProfileForm(forms.Form):
    vision = forms.CharField(
        label=_("地域のビジョン"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    life_stages = forms.MultipleChoiceField(
        label=_("求める人（ライフステージ）"),
        choices=LifeStage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    work_styles = forms.MultipleChoiceField(
        label=_("求める人（働き方）"),
        choices=WorkStyle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills_wanted = forms.CharField(
        label=_("求めるスキル"),
        required=False,
        max_length=500,
        help_text=_("カンマ区切り（例: 看護, 農業, デザイン）"),
    )
    living_styles = forms.MultipleChoiceField(
        label=_("歓迎する暮らし方"),
        choices=LivingStyle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    snow = forms.ChoiceField(label=_("雪"), choices=[("", _("発信しない")), *Snow.choices], required=False)
    snow_vouched_on = forms.DateField(label=_("雪の確認日"), required=False, widget=_DATE_WIDGET)
    car_needed = forms.ChoiceField(
        label=_("車の必要性"), choices=[("", _("発信しない")), *CarNeed.choices], required=False
    )
    car_needed_vouched_on = forms.DateField(
        label=_("車の必要性の確認日"), required=False, widget=_DATE_WIDGET
    )
    fiber = forms.ChoiceField(
        label=_("光回線"), choices=[("", _("発信しない")), *FiberCoverage.choices], required=False
    )
    fiber_vouched_on = forms.DateField(label=_("光回線の確認日"), required=False, widget=_DATE_WIDGET)
    coworking = forms.NullBooleanField(
        label=_("コワーキングスペース"),
        widget=_yes_no(_("ある"), _("ない")),
        required=False,
    )
    coworking_vouched_on = forms.DateField(
        label=_("コワーキングスペースの確認日"), required=False, widget=_DATE_WIDGET
    )
    coordinator = forms.NullBooleanField(
        label=_("移住コーディネーター"),
        widget=_yes_no(_("いる"), _("いない")),
        required=False,
    )
    coordinator_vouched_on = forms.DateField(
        label=_("移住コーディネーターの確認日"), required=False, widget=_DATE_WIDGET
    )
    is_published = forms.BooleanField(label=_("公開する"), required=False)

    def clean_skills_wanted(self) -> list[str]:
        return _skills(self.cleaned_data.get("skills_wanted") or "")

    @staticmethod
    def initial_of(profile: RegionProfile | None) -> dict[str, Any]:
        if profile is None:
            return {}
        names = ["vision", "life_stages", "work_styles", "living_styles", "is_published"]
        names += [name for pair in VOUCHED_FACTS for name in pair]
        return {name: getattr(profile, name) for name in names} | {
            "skills_wanted": ", ".join(profile.skills_wanted)
        }

    def vouched_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[fact], self[day]) for fact, day in VOUCHED_FACTS]


class StoryForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=120)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 8}))
    living_style = forms.ChoiceField(
        label=_("暮らし方"), choices=[("", _("指定しない")), *LivingStyle.choices], required=False
    )
    is_published = forms.BooleanField(label=_("公開する"), required=False)
