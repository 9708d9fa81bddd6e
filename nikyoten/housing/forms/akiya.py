"""Forms of the akiya pages: they parse input; the rules are the services' (refusals shown on the fields)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.models import Organization
from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.choices import AkiyaEventKind, AkiyaSource, AkiyaStage, CampaignResponse, OwnerKind
from nikyoten.housing.models import AkiyaCase, Listing
from nikyoten.housing.outreach import PLACEHOLDERS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


class ServiceErrorForm(forms.Form):
    def add_service_error(self, exc: ApplicationError) -> None:
        """A service's refusal on the fields it names (the message on the form when it names none of them)."""
        placed = False
        for field, messages_ in exc.fields.items():
            if field in self.fields:
                for message in messages_ or [exc.message]:
                    self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)


class OrganizationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class AkiyaCaseFilterForm(forms.Form):
    """Filters of the case list (GET)."""

    organization = OrganizationChoiceField(
        label=_("組織"), queryset=Organization.objects.none(), required=False, empty_label=_("すべて")
    )
    stage = forms.ChoiceField(
        label=_("段階"), choices=[("", _("すべて")), *AkiyaStage.choices], required=False
    )
    q = forms.CharField(label=_("管理番号・所在地"), required=False, max_length=100)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if len(organizations) < 2:
            del self.fields["organization"]


class AkiyaCaseForm(ServiceErrorForm):
    """Create (with the organization when the user edits for several) or edit a case."""

    organization = OrganizationChoiceField(label=_("担当組織"), queryset=Organization.objects.none())
    reference = forms.CharField(label=_("管理番号"), max_length=40, help_text=_("組織の中で重複しない番号"))
    address = forms.CharField(label=_("所在地"), max_length=200)
    source = forms.ChoiceField(label=_("把握のきっかけ"), choices=AkiyaSource.choices)
    discovered_on = _date_field(_("把握日"))
    latitude = forms.FloatField(label=_("緯度（任意）"), required=False, min_value=20, max_value=46)
    longitude = forms.FloatField(label=_("経度（任意）"), required=False, min_value=122, max_value=154)
    notes = forms.CharField(label=_("メモ"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
            if len(organizations) == 1:
                self.fields["organization"].initial = organizations[0]


class AkiyaCaseMoveForm(ServiceErrorForm):
    to_stage = forms.ChoiceField(label=_("変更後の段階"), choices=AkiyaStage.choices)
    occurred_on = _date_field(_("日付"), initial=timezone.localdate)
    note = forms.CharField(label=_("メモ"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    listing = forms.ModelChoiceField(
        label=_("紐づける物件（管理・公開に進めるとき）"),
        queryset=Listing.objects.none(),
        required=False,
        empty_label=_("選ばない"),
    )

    def __init__(self, *args: Any, case: AkiyaCase, listings: QuerySet[Listing], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s.value, s.label) for s in AkiyaStage if s != case.stage]  # type: ignore[attr-defined]
        self.fields["listing"].queryset = listings  # type: ignore[attr-defined]
        self.fields["listing"].initial = case.listing_id


class AkiyaCaseNoteForm(ServiceErrorForm):
    kind = forms.ChoiceField(
        label=_("種類"),
        choices=[(k.value, k.label) for k in (AkiyaEventKind.NOTE, AkiyaEventKind.CONTACT)],
    )
    occurred_on = _date_field(_("日付"), initial=timezone.localdate)
    note = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))


class OwnerForm(ServiceErrorForm):
    kind = forms.ChoiceField(label=_("個人・法人"), choices=OwnerKind.choices)
    name = forms.CharField(label=_("氏名・名称"), max_length=120)
    name_kana = forms.CharField(label=_("フリガナ"), max_length=120, required=False)
    is_heir = forms.BooleanField(label=_("相続人"), required=False)
    relation = forms.CharField(label=_("続柄・立場"), max_length=60, required=False)
    postal_code = forms.CharField(
        label=_("郵便番号"), max_length=10, required=False, help_text=_("7桁（ハイフンは省略できます）")
    )
    address = forms.CharField(label=_("住所"), max_length=200, required=False, help_text=_("文書の送付先"))
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False)
    email = forms.EmailField(label=_("メールアドレス"), required=False)


class OwnerConsentForm(ServiceErrorForm):
    recipient = OrganizationChoiceField(
        label=_("提供先（特定居住支援法人）"), queryset=Organization.objects.none()
    )
    purpose = forms.CharField(label=_("利用目的"), max_length=200)
    consented_on = _date_field(_("同意日"), initial=timezone.localdate)

    def __init__(self, *args: Any, recipients: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


class OwnerConsentRevokeForm(ServiceErrorForm):
    revoked_on = _date_field(_("撤回日"), initial=timezone.localdate)


class CampaignCaseFilterForm(forms.Form):
    """Which cases to offer when creating a campaign (GET)."""

    stage = forms.ChoiceField(
        label=_("段階"), choices=[("", _("すべて")), *AkiyaStage.choices], required=False
    )
    q = forms.CharField(label=_("管理番号・所在地"), required=False, max_length=100)


class CaseChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: AkiyaCase) -> str:
        return f"{obj.reference} {obj.address}（{obj.get_stage_display()}）"


class CampaignForm(ServiceErrorForm):
    organization = OrganizationChoiceField(label=_("実施組織"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("名称"), max_length=120)
    letter_subject = forms.CharField(label=_("文書の件名"), max_length=120)
    letter_body = forms.CharField(
        label=_("文書の本文"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    cases = CaseChoiceField(
        label=_("文書を送る案件"),
        queryset=AkiyaCase.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("住所が登録された所有者ごとに1通ずつ作成します。"),
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        cases: QuerySet[AkiyaCase],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0]
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        # Set per request, so the help is in the page's language.
        self.fields["letter_body"].help_text = gettext("差し込み項目: %(placeholders)s") % {
            "placeholders": "、".join("{" + name + "}" for name in PLACEHOLDERS)
        }


class CampaignSentForm(ServiceErrorForm):
    sent_on = _date_field(_("発送日"), initial=timezone.localdate)


class CampaignLetterResponseForm(ServiceErrorForm):
    response = forms.ChoiceField(
        label=_("回答"),
        choices=[(r.value, r.label) for r in CampaignResponse if r != CampaignResponse.PENDING],
    )
    responded_on = _date_field(_("回答日"), initial=timezone.localdate)
    note = forms.CharField(label=_("回答の内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    move_case = forms.BooleanField(
        label=_("案件を「意向確認」に進める（活用に前向きな回答のとき）"), required=False
    )
