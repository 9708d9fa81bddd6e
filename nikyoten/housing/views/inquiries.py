"""Inquiry pages: ask about a listing, read and answer a thread, a seeker's threads, an organization's inbox."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.access import Action, access_listing
from nikyoten.housing.choices import InquiryStatus
from nikyoten.housing.forms.inquiries import InquiryForm, InquiryReplyForm
from nikyoten.housing.selectors import inquiries as selectors
from nikyoten.housing.services import inquiries as services

limit_posts = method_decorator(
    ratelimit(key="user_or_ip", rate=settings.RATELIMIT_INQUIRY, method="POST", block=True), name="post"
)


@limit_posts
class InquiryCreateView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    """Ask the organization behind a listing; the thread then lives under 「問い合わせ」."""

    template_name = "housing/inquiry_create.html"
    form_class = InquiryForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.listing = access_listing(request.user, kwargs["pk"], action=Action.VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"subject": _("「%(title)s」について") % {"title": self.listing.title}}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(listing=self.listing, **kwargs)

    def form_valid(self, form: InquiryForm) -> HttpResponse:
        try:
            inquiry = services.inquiry_create(
                actor=self.request.user,
                listing_id=self.listing.pk,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ApplicationError as exc:
            form.add_error("body" if "body" in exc.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("問い合わせを送信しました。返信はこのページとメールでお知らせします。")
        )
        return redirect("housing:inquiry_detail", pk=inquiry.pk)


@limit_posts
class InquiryDetailView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    """A thread, oldest message first, with the reply form (for the seeker and the organization's editors)."""

    template_name = "housing/inquiry_detail.html"
    form_class = InquiryReplyForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        inquiry = selectors.inquiry_get(actor=self.request.user, inquiry_id=self.kwargs["pk"])
        return super().get_context_data(
            inquiry=inquiry,
            is_seeker=inquiry.seeker_id == self.request.user.pk,
            is_closed=inquiry.status == InquiryStatus.CLOSED,
            **kwargs,
        )

    def form_valid(self, form: InquiryReplyForm) -> HttpResponse:
        try:
            services.inquiry_reply(
                actor=self.request.user, inquiry_id=self.kwargs["pk"], body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            form.add_error("body" if "body" in exc.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("返信を送信しました。"))
        return redirect("housing:inquiry_detail", pk=self.kwargs["pk"])


class InquiryCloseView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.inquiry_close(actor=request.user, inquiry_id=pk)
        messages.success(request, _("問い合わせを完了にしました。"))
        return redirect("housing:inquiry_detail", pk=pk)


class InquiryListView(LoginRequiredMixin, TemplateView):
    """The signed-in seeker's threads."""

    template_name = "housing/inquiry_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            inquiries=selectors.inquiry_list(actor=self.request.user, as_seeker=True), **kwargs
        )


class InquiryInboxView(LoginRequiredMixin, TemplateView):
    """An organization's inbox, filtered by status (members only; others get 404)."""

    template_name = "housing/inquiry_inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = self.request.GET.get("status", "")
        status = status if status in InquiryStatus.values else ""
        organization_id = self.kwargs["organization_id"]
        organization, inquiries = selectors.inquiry_inbox(
            actor=self.request.user, organization_id=organization_id, status=status
        )
        return super().get_context_data(
            organization=organization,
            inquiries=inquiries,
            status=status,
            statuses=InquiryStatus.choices,
            **kwargs,
        )
