from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.core.exceptions import ApplicationError
from nikyoten.regions.choices import MunicipalityKind
from nikyoten.regions.models import Municipality
from nikyoten.regions.selectors import municipality_resolve


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


class MunicipalityField(forms.CharField):
    """A municipality typed as a code or a name (東京都千代田区, 四万十町, 39412); cleans to a Municipality."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("市区町村名（都道府県名から入れると確実です）またはコード"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Municipality | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return municipality_resolve(text=text)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
