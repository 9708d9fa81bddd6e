"""Staff pages for listings: the organization's listings and to-confirm list, the form, status, photos, CSV import."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import has_role, is_platform_admin
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing import listing_csv
from nikyoten.housing.access import Action, access_listing
from nikyoten.housing.forms.listings import (
    ListingForm,
    ListingImportForm,
    ListingPhotoForm,
    ListingStatusForm,
)
from nikyoten.housing.models import Listing
from nikyoten.housing.querysets import stale_before
from nikyoten.housing.selectors import listings as selectors
from nikyoten.housing.services import listings as services


def _add_errors(form: BaseForm, exc: ApplicationError | ValidationError) -> None:
    """A service's refusal on the form's fields where they exist, else on the form."""
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    else:
        errors = exc.fields or {"": [exc.message]}
    for field, messages_ in errors.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


class StaffMixin(LoginRequiredMixin):
    """Members of an organization (or platform admins); anyone else gets the same 404 as a missing page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and not is_platform_admin(request.user)
            and not selectors.listing_organizations(actor=request.user).exists()
        ):
            raise NotFound(_("ページが見つかりません。"))
        return super().dispatch(request, *args, **kwargs)


def _may_edit(user: Any, organization_id: int) -> bool:
    return is_platform_admin(user) or has_role(user, organization_id, MembershipRole.EDITOR)


PAGE_SIZE = 50


class ListingManageListView(StaffMixin, TemplateView):
    """An organization's listings (all statuses) and, first, those to confirm (oldest first)."""

    template_name = "housing/listing_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        organizations = list(selectors.listing_organizations(actor=user))
        chosen = self.request.GET.get("organization") or (organizations[0].pk if organizations else None)
        if chosen is None:
            raise NotFound(_("組織が見つかりません。"))
        organization = selectors.listing_organization_get(
            actor=user, organization_id=chosen, minimum=MembershipRole.VIEWER
        )
        listings = selectors.listing_manage_list(actor=user, organization=organization)
        to_confirm = selectors.listing_to_confirm_list(actor=user, organization=organization)
        return super().get_context_data(
            organizations=organizations,
            organization=organization,
            listings=Paginator(listings, PAGE_SIZE).get_page(self.request.GET.get("page")),
            to_confirm=Paginator(to_confirm, PAGE_SIZE).get_page(self.request.GET.get("confirm_page")),
            may_edit=_may_edit(user, organization.pk),
            **kwargs,
        )


class ListingFormMixin(StaffMixin):
    template_name = "housing/listing_form.html"
    request: HttpRequest

    def render_form(self, form: ListingForm, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, **context})

    @staticmethod
    def listing_input(form: ListingForm) -> services.ListingInput:
        return services.ListingInput(**{name: form.cleaned_data[name] for name in form.Meta.fields})


class ListingCreateView(ListingFormMixin, View):
    """A new listing for an organization the user edits for (`?organization=`)."""

    def organization(self) -> Organization:
        return selectors.listing_organization_get(
            actor=self.request.user,
            organization_id=self.request.GET.get("organization") or "",
            minimum=MembershipRole.EDITOR,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        organization = self.organization()
        return self.render_form(ListingForm(organization=organization), organization=organization)

    def post(self, request: HttpRequest) -> HttpResponse:
        organization = self.organization()
        form = ListingForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                listing = services.listing_create(
                    actor=request.user, organization_id=organization.pk, data=self.listing_input(form)
                )
            except (ApplicationError, ValidationError) as exc:
                if isinstance(exc, NotFound):
                    raise
                _add_errors(form, exc)
            else:
                messages.success(request, _("物件「%(title)s」を登録しました。") % {"title": listing.title})
                return redirect("housing:listing_manage_detail", pk=listing.pk)
        return self.render_form(form, organization=organization)


class ListingUpdateView(ListingFormMixin, View):
    """Edit a listing's facts (saving also confirms them)."""

    def listing(self, pk: int) -> Listing:
        return access_listing(self.request.user, pk, action=Action.EDIT)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        listing = self.listing(pk)
        form = ListingForm(instance=listing, organization=listing.organization)
        return self.render_form(form, organization=listing.organization, listing=listing)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        listing = self.listing(pk)
        form = ListingForm(request.POST, instance=listing, organization=listing.organization)
        if form.is_valid():
            try:
                services.listing_update(actor=request.user, listing_id=pk, data=self.listing_input(form))
            except (ApplicationError, ValidationError) as exc:
                if isinstance(exc, NotFound):
                    raise
                _add_errors(form, exc)
            else:
                messages.success(request, _("物件の内容を保存しました（確認日も更新しました）。"))
                return redirect("housing:listing_manage_detail", pk=pk)
        listing.refresh_from_db()
        return self.render_form(form, organization=listing.organization, listing=listing)


class ListingManageDetailView(StaffMixin, TemplateView):
    """A listing for its organization: facts, freshness (with 「内容を確認しました」), status and photos."""

    template_name = "housing/listing_manage_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        listing = selectors.listing_manage_get(actor=self.request.user, listing_id=kwargs["pk"])
        return super().get_context_data(
            listing=listing,
            photos=list(listing.photos.all()),
            may_edit=_may_edit(self.request.user, listing.organization_id),
            status_form=kwargs.pop("status_form", None)
            or ListingStatusForm(initial={"status": listing.status}),
            photo_form=kwargs.pop("photo_form", None) or ListingPhotoForm(),
            stale=listing.last_confirmed_at < stale_before(),
            **kwargs,
        )


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class ListingConfirmView(StaffMixin, View):
    """「内容を確認しました」: the facts are still right (from the to-confirm list or the listing's page)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        listing = services.listing_confirm(actor=request.user, listing_id=pk)
        messages.success(request, _("「%(title)s」の内容を確認済みにしました。") % {"title": listing.title})
        return redirect(_next_url(request, reverse("housing:listing_manage_detail", args=[pk])))


class ListingStatusView(ListingManageDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ListingStatusForm(request.POST)
        if form.is_valid():
            try:
                listing = services.listing_set_status(
                    actor=request.user, listing_id=pk, status=form.cleaned_data["status"]
                )
            except NotFound:
                raise
            except ApplicationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("募集状況を「%(status)s」にしました。") % {"status": listing.get_status_display()},
                )
                return redirect("housing:listing_manage_detail", pk=pk)
        return self.render_to_response(self.get_context_data(pk=pk, status_form=form))


class ListingPhotoAddView(ListingManageDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ListingPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.listing_photo_add(
                    actor=request.user,
                    listing_id=pk,
                    data=form.cleaned_data["image"].read(),
                    alt_text=form.cleaned_data["alt_text"],
                )
            except NotFound:
                raise
            except ApplicationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("写真を追加しました。"))
                return redirect("housing:listing_manage_detail", pk=pk)
        return self.render_to_response(self.get_context_data(pk=pk, photo_form=form))


class ListingPhotoRemoveView(StaffMixin, View):
    def post(self, request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
        listing = selectors.listing_manage_get(actor=request.user, listing_id=pk)
        if not listing.photos.filter(pk=photo_pk).exists():
            raise NotFound(_("写真が見つかりません。"))
        services.listing_photo_remove(actor=request.user, photo_id=photo_pk)
        messages.success(request, _("写真を削除しました。"))
        return redirect("housing:listing_manage_detail", pk=pk)


class ListingPhotoMoveView(StaffMixin, View):
    """Move a photo one place earlier or later (buttons, so reordering works without a mouse or JavaScript)."""

    def post(self, request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
        listing = selectors.listing_manage_get(actor=request.user, listing_id=pk)
        order = [photo.pk for photo in listing.photos.all()]
        if photo_pk not in order:
            raise NotFound(_("写真が見つかりません。"))
        index = order.index(photo_pk)
        other = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
            try:
                services.listing_photo_reorder(actor=request.user, listing_id=pk, photo_ids=order)
            except NotFound:
                raise
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("写真の順番を変えました。"))
        return redirect("housing:listing_manage_detail", pk=pk)


class ListingImportView(StaffMixin, TemplateView):
    """Upload a CSV: 「確認する」 checks every row and writes nothing; 「登録する」 writes all rows or none."""

    template_name = "housing/listing_import.html"

    def organization(self) -> Organization:
        return selectors.listing_organization_get(
            actor=self.request.user,
            organization_id=self.request.GET.get("organization") or "",
            minimum=MembershipRole.EDITOR,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", ListingImportForm())
        return super().get_context_data(
            organization=self.organization(), headers=listing_csv.HEADERS, **kwargs
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        organization = self.organization()
        form = ListingImportForm(request.POST, request.FILES)
        report = None
        apply = "apply" in request.POST
        if form.is_valid():
            try:
                report = services.listing_import(
                    actor=request.user,
                    organization_id=organization.pk,
                    data=form.cleaned_data["file"].read(),
                    apply=apply,
                )
            except NotFound:
                raise
            except ApplicationError as exc:
                _add_errors(form, exc)
            else:
                if report.created:
                    messages.success(
                        request, _("%(count)s件の物件を登録しました。") % {"count": f"{report.created:,}"}
                    )
                    return redirect(
                        f"{reverse('housing:listing_manage_list')}?organization={organization.pk}"
                    )
        return self.render_to_response(self.get_context_data(form=form, report=report, applied=apply))


class ListingImportTemplateView(StaffMixin, View):
    """The template CSV (UTF-8 with BOM, so Excel opens it with the right characters)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse("\ufeff" + listing_csv.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="nikyoten-listings-template.csv"'
        return response
