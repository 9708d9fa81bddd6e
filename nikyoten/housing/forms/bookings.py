"""Forms of trial-stay booking: a seeker's request, staff decisions, the inbox filter and a unit's settings."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.choices import BookingStatus
from nikyoten.housing.models import TrialStayUnit
from nikyoten.housing.selectors.bookings import UNIT_SETTINGS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_refusal(form: forms.BaseForm, error: ApplicationError | ValidationError) -> None:
    """Put a service's refusal on the fields it names (the form's own fields only), else on the form."""
    if isinstance(error, ValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        message = " ".join(error.messages)
    else:
        fields, message = error.fields, error.message
    placed = False
    for field, messages in fields.items():
        if field in form.fields:
            for text in messages:
                form.add_error(field, text)
            placed = True
    if not placed:
        form.add_error(None, message)


class BookingRequestForm(forms.Form):
    start_date = forms.DateField(label=_("利用開始日"), widget=_DATE)
    end_date = forms.DateField(
        label=_("退去日"),
        widget=_DATE,
        help_text=_("最後に泊まる日の翌日です。月単位の住宅は開始日と同じ日付です。"),
    )
    guests = forms.IntegerField(label=_("人数"), min_value=1, max_value=99, initial=1)
    message = forms.CharField(
        label=_("組織へのメッセージ（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("滞在の目的、到着の予定、質問などを書いてください。"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        start, end = self.cleaned_data.get("start_date"), self.cleaned_data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("退去日は利用開始日より後にしてください。"))
        return self.cleaned_data


class BookingDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("申込者への連絡"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("お断りのときは理由を書いてください（申込者にメールで届きます）。"),
    )


class BookingFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("住宅"), queryset=TrialStayUnit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("状態"), choices=[("", _("すべて")), *BookingStatus.choices], required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("すべて")  # type: ignore[attr-defined]


class TrialStayUnitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrialStayUnit
        fields = list(UNIT_SETTINGS)
        help_texts = {
            "min_stay": _("滞在の単位（泊・か月）で数えます。"),
            "price_yen": _("1泊または1か月あたりの料金（円）。"),
            "lead_time_days": _("利用開始日の何日前まで申し込めるか。"),
            "max_bookings_per_person": _("申込中・確定の予約を1人が同時にいくつ持てるか。"),
        }
