from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.core.i18n import pick
from nikyoten.regions.forms import MunicipalityField
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
