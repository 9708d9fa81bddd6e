from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.housing.models import Inquiry, InquiryMessage


class HoneypotMixin(forms.Form):
    """A field people never see or fill; a form that arrives with it filled was sent by a bot."""

    website = forms.CharField(
        required=False,
        label=_("この欄は空のままにしてください"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("送信できませんでした。"))
        return ""


class InquiryForm(HoneypotMixin, forms.Form):
    subject = forms.CharField(label=_("件名"), max_length=Inquiry._meta.get_field("subject").max_length)
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("内見の希望日、入居の時期、家族構成など、答えてほしいことを書いてください。"),
    )


class InquiryReplyForm(HoneypotMixin, forms.Form):
    body = forms.CharField(
        label=InquiryMessage._meta.get_field("body").verbose_name, widget=forms.Textarea(attrs={"rows": 6})
    )
