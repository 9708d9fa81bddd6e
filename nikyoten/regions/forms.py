from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.regions.choices import MunicipalityKind


class MunicipalitySearchForm(forms.Form):
    q = forms.CharField(label=_("市区町村名（漢字・かな・ローマ字）"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("種別"),
        required=False,
        choices=[("", _("すべて"))] + [c for c in MunicipalityKind.choices if c[0] != "ward"],
    )


class PostalCodeForm(forms.Form):
    code = forms.CharField(
        label=_("郵便番号"),
        max_length=12,
        help_text=_("7桁の数字（ハイフンあり・なし、全角も可）。例: 100-0001"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
