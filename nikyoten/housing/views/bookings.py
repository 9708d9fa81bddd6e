"""Trial-stay pages: the unit with its calendar and request form, my bookings, the staff inbox and unit settings."""

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.access import Action, access_listing
from nikyoten.housing.choices import BookingStatus
from nikyoten.housing.forms.bookings import (
    BookingDecisionForm,
    BookingFilterForm,
    BookingRequestForm,
    TrialStayUnitForm,
    add_refusal,
)
from nikyoten.housing.models import TrialStayUnit
from nikyoten.housing.selectors import bookings as selectors
from nikyoten.housing.services import bookings as services

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str | None, default: date) -> tuple[int, int]:
    """`?month=2027-01` (years 2000–2100), or the default's month when missing or malformed."""
    match = _MONTH.match(value or "")
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    return default.year, default.month


def booking_rate_limited(request: HttpRequest) -> bool:
    """Count one booking request by this user (the page and the API share the counter); True once over the limit."""
    return is_ratelimited(
        request,
        group="housing.booking_request",
        key="user_or_ip",
        rate=settings.RATELIMIT_BOOKING,
        increment=True,
    )


def unit_context(unit: TrialStayUnit) -> dict[str, Any]:
    """What the list and the unit page show of a unit: its listing, stay range, price and first possible start."""
    return {
        "unit": unit,
        "listing": unit.listing,
        "stay_range": selectors.stay_range_text(unit=unit),
        "price": selectors.price_text(unit=unit),
        "first_bookable": selectors.first_bookable_day(unit=unit),
    }


class TrialStayListView(TemplateView):
    """Trial stays taking requests, with their place, stay rules and price."""

    template_name = "housing/trial_stay_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        units = selectors.trial_stay_list(actor=self.request.user)
        rows = [unit_context(unit) for unit in units]
        return super().get_context_data(rows=rows, **kwargs)


class TrialStayDetailView(TemplateView):
    """The unit's rules, price, house rules, availability calendar and the request form (signed-in seekers).

    「料金を確認する」 checks the stay against the unit's rules and prices it without saving (nor counting
    towards the rate limit); 「申し込む」 requests it.
    """

    template_name = "housing/trial_stay_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        unit = kwargs.pop("unit", None) or selectors.trial_stay_get(
            actor=self.request.user, unit_id=self.kwargs["pk"]
        )
        first = selectors.first_bookable_day(unit=unit)
        form = kwargs.pop("form", None) or BookingRequestForm(
            initial={"start_date": first, "end_date": selectors.shortest_stay_end(unit=unit, start=first)}
        )
        start = form.cleaned_data.get("start_date") if form.is_bound and form.is_valid() else None
        # The month of the stay asked for, else the first month with a day that can still be requested.
        year, month = _month(self.request.GET.get("month"), start or first)
        return super().get_context_data(
            **unit_context(unit),
            form=form,
            calendar=selectors.trial_stay_calendar(unit=unit, year=year, month=month),
            login_url=f"{reverse('accounts:login')}?next={self.request.path}",
            **kwargs,
        )

    def quote(self, unit: TrialStayUnit, form: BookingRequestForm) -> str | None:
        """The total for the stay asked for, once it passes the unit's rules."""
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            length = services.booking_rules_check(
                unit=unit,
                seeker=self.request.user,  # type: ignore[arg-type]
                start_date=data["start_date"],
                end_date=data["end_date"],
                guests=data["guests"],
            )
        except ApplicationError as exc:
            add_refusal(form, exc)
            return None
        return _("%(length)s × %(price)s = 合計 %(total)s") % {
            "length": selectors.length_text(stay_unit=unit.stay_unit, count=length),
            "price": selectors.yen_text(unit.price_yen),
            "total": selectors.yen_text(length * unit.price_yen),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        unit = selectors.trial_stay_get(actor=request.user, unit_id=kwargs["pk"])
        form = BookingRequestForm(request.POST)
        if "preview" in request.POST:
            quote = self.quote(unit, form)
            return self.render_to_response(self.get_context_data(unit=unit, form=form, quote=quote))
        if form.is_valid():
            if booking_rate_limited(request):
                raise Ratelimited()
            data = form.cleaned_data
            try:
                booking = services.booking_request(
                    actor=request.user,
                    unit_id=unit.pk,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    guests=data["guests"],
                    message=data["message"],
                )
            except (ApplicationError, ValidationError) as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(title)s の予約を申し込みました（%(start)s〜%(end)s）。組織からの連絡をお待ちください。"
                    )
                    % {
                        "title": unit.listing.title,
                        "start": selectors.date_text(booking.start_date),
                        "end": selectors.date_text(booking.end_date),
                    },
                )
                return redirect("housing:booking_list")
        return self.render_to_response(self.get_context_data(unit=unit, form=form))


class TrialStayCalendarFeedView(View):
    """iCalendar feed of the unit's confirmed stays: all-day busy events with stable UIDs and no one's name."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = selectors.trial_stay_get(actor=request.user, unit_id=pk)
        host = urlsplit(settings.SITE_URL).hostname or "nikyoten"
        feed = icalendar.Calendar()
        feed.add("prodid", "-//nikyoten//trial stays//JA")
        feed.add("version", "2.0")
        feed.add("x-wr-calname", _("%(title)s の予約状況") % {"title": unit.listing.title})
        for booking in selectors.trial_stay_feed(unit=unit):
            event = icalendar.Event()
            event.add("uid", f"booking-{booking.pk}@{host}")
            event.add("dtstamp", booking.updated_at)
            event.add("dtstart", booking.start_date)
            event.add("dtend", booking.end_date)
            event.add("summary", _("予約済み"))
            event.add("transp", "OPAQUE")
            feed.add_component(event)
        response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="trial-stay-{unit.pk}.ics"'
        return response


class BookingListView(LoginRequiredMixin, TemplateView):
    """My bookings: status, the organization's note, and cancelling what is still held."""

    template_name = "housing/booking_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        bookings = selectors.booking_list(actor=self.request.user, mine=True)
        return super().get_context_data(bookings=bookings, today=timezone.localdate(), **kwargs)


class BookingCancelView(LoginRequiredMixin, View):
    """Cancel a booking: the seeker their own, or an editor of the unit's organization (with a note)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = BookingDecisionForm(request.POST, prefix=f"b{pk}")
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.booking_cancel(actor=request.user, booking_id=pk, note=note)
        except services.BookingRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("予約をキャンセルしました。"))
        from_inbox = request.POST.get("from") == "inbox"
        return redirect("housing:booking_manage_list" if from_inbox else "housing:booking_list")


class BookingManageListView(LoginRequiredMixin, TemplateView):
    """The inbox of the user's organizations: requests to approve or decline, confirmed stays; by unit and status."""

    template_name = "housing/booking_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        units = selectors.trial_stay_managed_units(actor=user)
        filters = BookingFilterForm(self.request.GET or None, units=units)
        data = filters.cleaned_data if filters.is_valid() else {}
        bookings = list(
            selectors.booking_list(
                actor=user,
                managed=True,
                unit_id=data["unit"].pk if data.get("unit") else None,
                status=data.get("status") or None,
            )
        )
        blockers = selectors.booking_blockers(bookings=bookings)
        rows = [
            {
                "booking": b,
                "blocker": blockers.get(b.pk),
                "decision_form": BookingDecisionForm(prefix=f"b{b.pk}"),
            }
            for b in bookings
        ]
        return super().get_context_data(
            filters=filters, rows=rows, requested=BookingStatus.REQUESTED, **kwargs
        )


class _BookingDecisionView(LoginRequiredMixin, View):
    """Approve or decline from the inbox, then back to it with the same filters."""

    service: Any
    done: Any

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = BookingDecisionForm(request.POST, prefix=f"b{pk}")
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            booking = self.service(actor=request.user, booking_id=pk, note=note)
        except (services.BookingRefused, services.BookingConflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, str(self.done) % {"name": booking.seeker.display_name or booking.seeker.email}
            )
        return redirect(f"{reverse('housing:booking_manage_list')}?{request.GET.urlencode()}")


class BookingApproveView(_BookingDecisionView):
    service = staticmethod(services.booking_approve)
    done = gettext_lazy("%(name)s さんの予約を承認しました（確定）。")


class BookingDeclineView(_BookingDecisionView):
    service = staticmethod(services.booking_decline)
    done = gettext_lazy("%(name)s さんの予約をお断りしました。")


class TrialStayManageListView(LoginRequiredMixin, TemplateView):
    """The user's お試し住宅 and 移住支援住宅 listings, and whether each takes bookings."""

    template_name = "housing/trial_stay_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        listings = selectors.trial_stay_manage_list(actor=self.request.user)
        return super().get_context_data(listings=listings, **kwargs)


class TrialStayEditView(LoginRequiredMixin, TemplateView):
    """A listing's booking settings: stay unit, min/max stay, price, capacity, quota, lead time, house rules."""

    template_name = "housing/trial_stay_edit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        listing = access_listing(self.request.user, self.kwargs["listing_pk"], action=Action.EDIT)
        unit = getattr(listing, "trial_stay", None)
        form = kwargs.pop("form", None) or TrialStayUnitForm(instance=unit)
        return super().get_context_data(listing=listing, unit=unit, form=form, **kwargs)

    def post(self, request: HttpRequest, listing_pk: int) -> HttpResponse:
        listing = access_listing(request.user, listing_pk, action=Action.EDIT)
        form = TrialStayUnitForm(request.POST, instance=getattr(listing, "trial_stay", None))
        if form.is_valid():
            try:
                services.trial_stay_unit_save(actor=request.user, listing_id=listing.pk, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                add_refusal(form, exc)
            else:
                messages.success(
                    request, _("%(title)s の予約設定を保存しました。") % {"title": listing.title}
                )
                return redirect("housing:trial_stay_manage_list")
        return self.render_to_response(self.get_context_data(form=form))
