"""Staff pages of the akiya pipeline: cases, owners and consents, outreach campaigns and their letters.

Every page needs a signed-in member of the organization concerned; the gates in `housing.access` answer a
missing and a forbidden row alike with 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from nikyoten.accounts.choices import MembershipRole
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing.access import Action, access_akiya_case, access_campaign, access_owner
from nikyoten.housing.forms.akiya import (
    AkiyaCaseFilterForm,
    AkiyaCaseForm,
    AkiyaCaseMoveForm,
    AkiyaCaseNoteForm,
    CampaignCaseFilterForm,
    CampaignForm,
    CampaignLetterResponseForm,
    CampaignSentForm,
    OwnerConsentForm,
    OwnerConsentRevokeForm,
    OwnerForm,
)
from nikyoten.housing.selectors import akiya as selectors
from nikyoten.housing.services import akiya as services

PAGE_SIZE = 50


class AkiyaCaseListView(LoginRequiredMixin, View):
    """The pipeline overview (cases per stage, conversion) and the organization's cases, filtered."""

    shared = False
    template_name = "housing/akiya_case_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        organizations = selectors.akiya_organizations(actor=request.user)
        form = AkiyaCaseFilterForm(request.GET or None, organizations=organizations)
        filters = form.cleaned_data if form.is_valid() else {}
        organization = filters.get("organization")
        organization_id = organization.pk if organization else None
        cases = selectors.akiya_case_list(
            actor=request.user,
            organization_id=organization_id,
            stage=filters.get("stage") or None,
            q=filters.get("q") or None,
            shared=self.shared,
        )
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        context: dict[str, Any] = {"form": form, "page": page, "shared": self.shared}
        if not self.shared:
            counts = selectors.akiya_stage_counts(actor=request.user, organization_id=organization_id)
            conversion = selectors.akiya_conversion(actor=request.user, organization_id=organization_id)
            labels = {stage: label for stage, label, _count in counts}
            context.update(
                organizations=organizations,
                stage_counts=counts,
                stage_total=sum(count for _stage, _label, count in counts),
                conversion=[(labels[row.stage], row) for row in conversion],
                may_edit=selectors.akiya_organizations(
                    actor=request.user, minimum=MembershipRole.EDITOR
                ).exists(),
            )
        query = request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return render(request, self.template_name, context)


class AkiyaCaseSharedListView(AkiyaCaseListView):
    """For a support corporation: the cases whose owners consented to share with it."""

    shared = True
    template_name = "housing/akiya_case_shared_list.html"


class AkiyaCaseCreateView(LoginRequiredMixin, View):
    template_name = "housing/akiya_case_edit.html"

    def organizations(self, request: HttpRequest) -> Any:
        organizations = selectors.akiya_organizations(actor=request.user, minimum=MembershipRole.EDITOR)
        if not organizations.exists():
            raise NotFound(_("ページが見つかりません。"))
        return organizations

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AkiyaCaseForm(
            organizations=self.organizations(request), initial={"discovered_on": timezone.localdate()}
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AkiyaCaseForm(request.POST, organizations=self.organizations(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.akiya_case_create(
                    actor=request.user,
                    organization_id=data["organization"].pk,
                    reference=data["reference"],
                    address=data["address"],
                    source=data["source"],
                    discovered_on=data["discovered_on"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    notes=data["notes"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, _("案件 %(reference)s を登録しました。") % {"reference": case.reference}
                )
                return redirect("housing:akiya_case_detail", pk=case.pk)
        return render(request, self.template_name, {"form": form})


class AkiyaCaseUpdateView(LoginRequiredMixin, View):
    template_name = "housing/akiya_case_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        fields = ("reference", "address", "source", "discovered_on", "latitude", "longitude", "notes")
        form = AkiyaCaseForm(initial={name: getattr(case, name) for name in fields})
        return render(request, self.template_name, {"form": form, "case": case})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        form = AkiyaCaseForm(request.POST)
        if form.is_valid():
            try:
                services.akiya_case_update(actor=request.user, case_id=case.pk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("案件を更新しました。"))
                return redirect("housing:akiya_case_detail", pk=case.pk)
        return render(request, self.template_name, {"form": form, "case": case})


class AkiyaCaseDetailView(LoginRequiredMixin, View):
    """The case, its owners (with their consents) and its timeline; a consent holder sees only its part."""

    template_name = "housing/akiya_case_detail.html"

    def context(
        self, request: HttpRequest, pk: int, note_form: AkiyaCaseNoteForm | None = None
    ) -> dict[str, Any]:
        detail = selectors.akiya_case_get(actor=request.user, case_id=pk)
        return {
            "detail": detail,
            "case": detail.case,
            "note_form": note_form or AkiyaCaseNoteForm(),
            "revoke_form": OwnerConsentRevokeForm(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(request, pk))


class AkiyaCaseNoteView(AkiyaCaseDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        form = AkiyaCaseNoteForm(request.POST)
        if form.is_valid():
            try:
                services.akiya_case_note(actor=request.user, case_id=case.pk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("経過を記録しました。"))
                return redirect("housing:akiya_case_detail", pk=case.pk)
        return render(request, self.template_name, self.context(request, pk, note_form=form), status=400)


class AkiyaCaseMoveView(LoginRequiredMixin, View):
    template_name = "housing/akiya_case_move.html"

    def form(self, request: HttpRequest, pk: int) -> tuple[Any, AkiyaCaseMoveForm]:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        listings = selectors.akiya_listing_choices(case=case)
        return case, AkiyaCaseMoveForm(request.POST or None, case=case, listings=listings)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case, form = self.form(request, pk)
        return render(request, self.template_name, {"case": case, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case, form = self.form(request, pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.akiya_case_move(
                    actor=request.user,
                    case_id=case.pk,
                    to_stage=data["to_stage"],
                    occurred_on=data["occurred_on"],
                    note=data["note"],
                    listing_id=data["listing"].pk if data["listing"] else None,
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("段階を変更しました。"))
                return redirect("housing:akiya_case_detail", pk=case.pk)
        return render(request, self.template_name, {"case": case, "form": form})


class OwnerCreateView(LoginRequiredMixin, View):
    template_name = "housing/owner_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        return render(request, self.template_name, {"case": case, "form": OwnerForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        form = OwnerForm(request.POST)
        if form.is_valid():
            try:
                services.owner_add(actor=request.user, case_id=case.pk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("所有者を登録しました。"))
                return redirect("housing:akiya_case_detail", pk=case.pk)
        return render(request, self.template_name, {"case": case, "form": form})


class OwnerUpdateView(LoginRequiredMixin, View):
    template_name = "housing/owner_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner = access_owner(request.user, pk, action=Action.EDIT)
        form = OwnerForm(initial={name: getattr(owner, name) for name in services.OWNER_FIELDS})
        return render(request, self.template_name, {"case": owner.case, "owner": owner, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner = access_owner(request.user, pk, action=Action.EDIT)
        form = OwnerForm(request.POST)
        if form.is_valid():
            try:
                services.owner_update(actor=request.user, owner_id=owner.pk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("所有者の情報を更新しました。"))
                return redirect("housing:akiya_case_detail", pk=owner.case_id)
        return render(request, self.template_name, {"case": owner.case, "owner": owner, "form": form})


class OwnerDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner = access_owner(request.user, pk, action=Action.EDIT)
        services.owner_remove(actor=request.user, owner_id=owner.pk)
        messages.success(request, _("所有者を削除しました。"))
        return redirect("housing:akiya_case_detail", pk=owner.case_id)


class OwnerConsentCreateView(LoginRequiredMixin, View):
    template_name = "housing/owner_consent_create.html"

    def page(self, request: HttpRequest, pk: int) -> tuple[Any, OwnerConsentForm]:
        owner = access_owner(request.user, pk, action=Action.EDIT)
        form = OwnerConsentForm(request.POST or None, recipients=selectors.support_corporation_choices())
        return owner, form

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner, form = self.page(request, pk)
        return render(request, self.template_name, {"owner": owner, "case": owner.case, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner, form = self.page(request, pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.owner_consent_record(
                    actor=request.user,
                    owner_id=owner.pk,
                    recipient_id=data["recipient"].pk,
                    purpose=data["purpose"],
                    consented_on=data["consented_on"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("同意を記録しました。"))
                return redirect("housing:akiya_case_detail", pk=owner.case_id)
        return render(request, self.template_name, {"owner": owner, "case": owner.case, "form": form})


class OwnerConsentRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        form = OwnerConsentRevokeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("撤回日を入力してください。"))
            return redirect("housing:akiya_case_detail", pk=case.pk)
        try:
            services.owner_consent_revoke(
                actor=request.user, consent_id=consent_pk, revoked_on=form.cleaned_data["revoked_on"]
            )
        except NotFound:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("同意の撤回を記録しました。提供先は今後この所有者の情報を見られません。")
            )
        return redirect("housing:akiya_case_detail", pk=case.pk)


# --- campaigns --------------------------------------------------------------------------------------------


class CampaignListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        campaigns = selectors.campaign_list(actor=request.user)
        page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
        may_edit = selectors.akiya_organizations(actor=request.user, minimum=MembershipRole.EDITOR).exists()
        return render(request, "housing/campaign_list.html", {"page": page, "may_edit": may_edit})


class CampaignCreateView(LoginRequiredMixin, View):
    """Write the letter and pick the cases (filtered by stage and text) in one form."""

    template_name = "housing/campaign_create.html"

    def page(self, request: HttpRequest) -> dict[str, Any]:
        organizations = selectors.akiya_organizations(actor=request.user, minimum=MembershipRole.EDITOR)
        if not organizations.exists():
            raise NotFound(_("ページが見つかりません。"))
        filter_form = CampaignCaseFilterForm(request.GET or None)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        cases = selectors.akiya_case_list(
            actor=request.user, stage=filters.get("stage") or None, q=filters.get("q") or None, shared=False
        ).filter(organization__in=organizations)
        form = CampaignForm(request.POST or None, organizations=organizations, cases=cases)
        return {"filter_form": filter_form, "form": form}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.page(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        context = self.page(request)
        form = context["form"]
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign, added = services.campaign_create(
                    actor=request.user,
                    organization_id=data["organization"].pk,
                    title=data["title"],
                    letter_subject=data["letter_subject"],
                    letter_body=data["letter_body"],
                    case_ids=[case.pk for case in data["cases"]],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, _("働きかけを作成しました（文書 %(n)d 通）。") % {"n": added.created}
                )
                if added.skipped:
                    names = "、".join(f"{owner.case.reference} {owner.name}" for owner in added.skipped)
                    messages.warning(
                        request,
                        _("住所が未登録のため、次の所有者には文書を作成していません: %(names)s")
                        % {"names": names},
                    )
                return redirect("housing:campaign_detail", pk=campaign.pk)
        return render(request, self.template_name, context)


class CampaignDetailView(LoginRequiredMixin, View):
    """The letters with their responses, the response-rate table and the downloads."""

    template_name = "housing/campaign_detail.html"

    def context(
        self, request: HttpRequest, pk: int, sent_form: CampaignSentForm | None = None
    ) -> dict[str, Any]:
        campaign = selectors.campaign_get(actor=request.user, campaign_id=pk)
        may_edit = bool(
            selectors.akiya_organizations(actor=request.user, minimum=MembershipRole.EDITOR)
            .filter(pk=campaign.organization_id)
            .exists()
        )
        return {
            "campaign": campaign,
            "letters": selectors.campaign_letters(campaign=campaign),
            "rates": selectors.campaign_response_rates(campaign=campaign, today=timezone.localdate()),
            "may_edit": may_edit,
            "sent_form": sent_form or CampaignSentForm(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(request, pk))


class CampaignSentView(CampaignDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = access_campaign(request.user, pk, action=Action.EDIT)
        form = CampaignSentForm(request.POST)
        if form.is_valid():
            try:
                services.campaign_mark_sent(actor=request.user, campaign_id=campaign.pk, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("発送日を記録しました。"))
                return redirect("housing:campaign_detail", pk=campaign.pk)
        return render(request, self.template_name, self.context(request, pk, sent_form=form), status=400)


class CampaignLetterRespondView(LoginRequiredMixin, View):
    template_name = "housing/campaign_letter_respond.html"

    def page(self, request: HttpRequest, pk: int, letter_pk: int) -> dict[str, Any]:
        campaign = access_campaign(request.user, pk, action=Action.EDIT)
        letter = selectors.campaign_letters(campaign=campaign).filter(pk=letter_pk).first()
        if letter is None:
            raise NotFound(_("文書が見つかりません。"))
        initial = {"response": letter.response, "note": letter.response_note}
        form = CampaignLetterResponseForm(request.POST or None, initial=initial)
        return {"campaign": campaign, "letter": letter, "form": form}

    def get(self, request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
        return render(request, self.template_name, self.page(request, pk, letter_pk))

    def post(self, request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
        context = self.page(request, pk, letter_pk)
        form = context["form"]
        if form.is_valid():
            try:
                services.campaign_letter_respond(
                    actor=request.user, campaign_id=pk, letter_id=letter_pk, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("回答を記録しました。"))
                return redirect("housing:campaign_detail", pk=pk)
        return render(request, self.template_name, context)


class CampaignExportView(LoginRequiredMixin, View):
    """The letters as PDF or mail-merge CSV (editors only; audited)."""

    def get(self, request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
        exported = services.campaign_letters_export(
            actor=request.user, campaign_id=pk, file_format=file_format
        )
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        response["Cache-Control"] = "no-store"
        return response
