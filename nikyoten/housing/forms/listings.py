"""Staff forms for listings: the listing's facts in fieldsets, status, photos and the CSV upload."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.models import Organization
from nikyoten.core.text import digits_only, nfkc
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.models import Listing
from nikyoten.regions.models import Municipality

#: The form's fieldsets: (legend, fields), in the order staff fill them in.
FIELDSETS = (
    (_("基本情報"), ("kind", "title", "description")),
    (_("価格・賃料"), ("sale_price_yen", "rent_yen")),
    (
        _("建物"),
        (
            "floor_plan",
            "building_area_m2",
            "land_area_m2",
            "year_built",
            "structure",
            "condition",
            "renovation_notes",
        ),
    ),
    (
        _("設備・暮らし"),
        ("parking_spaces", "has_farmland", "has_shop", "pets", "internet", "heating_notes", "snow_notes"),
    ),
    (_("所在地"), ("postal_code", "municipality", "address", "latitude", "longitude")),
    (_("借上げ条件"), ("max_term_months", "master_lease_start", "master_lease_end", "master_lease_terms")),
)


class ListingForm(forms.ModelForm):  # type: ignore[type-arg]
    """The facts of a listing; the services check the rules across fields (kind and price, point, postal code)."""

    # Wider than the stored 7 digits: people type 786-0001, 〒７８６－０００１.
    postal_code = forms.CharField(
        label=Listing._meta.get_field("postal_code").verbose_name,
        required=False,
        max_length=12,
        help_text=_(
            "7桁で入力すると、市区町村と所在地を入力します（JavaScript が使えない場合も保存時に確認します）。"
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "data-postal-autofill": ""}
        ),
    )

    class Meta:
        model = Listing
        fields = [name for _legend, names in FIELDSETS for name in names]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "renovation_notes": forms.Textarea(attrs={"rows": 3}),
            "master_lease_terms": forms.Textarea(attrs={"rows": 3}),
            "master_lease_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "master_lease_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "sale_price_yen": _("空き家（売買）のときだけ。数字だけで入力します（例: 3000000）。"),
            "rent_yen": _("売買以外の種別では必須です（例: 30000）。"),
            "floor_plan": _("例: 4LDK、2DK、1R、ワンルーム"),
            "year_built": _("西暦で入力します（例: 1978）。和暦は表示のときに添えます。"),
            "latitude": _(
                "地図をクリックするか、数値で入力します（例: 33.2100）。位置は物件の市区町村の中にしてください。"
            ),
            "max_term_months": _("移住支援住宅・中間管理住宅で住める期間に上限があるとき（例: 24）。"),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.municipalities().select_related("prefecture")
        if organization.municipality_id:
            municipalities = municipalities.filter(pk=organization.municipality_id)
        else:
            municipalities = municipalities.filter(prefecture_id=organization.prefecture_id)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities.order_by("code")
        field.label_from_instance = lambda m: m.full_name  # type: ignore[method-assign,assignment]
        self.fields["postal_code"].widget.attrs["data-postal-url"] = reverse(
            "regions-api:postal-code-detail", args=["0000000"]
        )
        if organization.municipality_id and not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("municipality", organization.municipality_id)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in FIELDSETS]

    def error_summary(self) -> list[tuple[str, str]]:
        """(element id, message) for every error, for the summary at the top of the form."""
        summary = [("listing-form", str(error)) for error in self.non_field_errors()]
        summary += [
            (self[name].auto_id or "", f"{self.fields[name].label}: {error}")
            for name, errors in self.errors.items()
            if name in self.fields
            for error in errors
        ]
        return summary

    def clean_postal_code(self) -> str:
        return digits_only(self.cleaned_data["postal_code"] or "")

    def clean_floor_plan(self) -> str:
        return nfkc(self.cleaned_data["floor_plan"] or "").upper().replace(" ", "")


class ListingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("募集状況"), choices=ListingStatus.choices)


class ListingPhotoForm(forms.Form):
    image = forms.FileField(
        label=_("写真"),
        help_text=_(
            "JPEG・PNG・WebP、15MBまで。長い辺1600pxに縮小し、撮影場所などの情報は消して保存します。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("写真の説明（代替テキスト）"),
        max_length=200,
        help_text=_(
            "写真に写っているものを一文で（例: 南向きの縁側と庭）。画面を読み上げて使う人に伝わります。"
        ),
    )


class ListingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8 または Shift_JIS（Excel の「CSV（コンマ区切り）」）。1行目は列名です。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
