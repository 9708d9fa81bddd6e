"""Trial-stay booking API: bookable units and their availability (public), requests and their workflow steps.

Every step goes through the services and gates of the pages: a request is a signed-in seeker's (rate-limited
with the page's counter); approve and decline are for editors of the unit's organization (or its API token);
cancel is for the seeker or those editors. Missing and forbidden answer the same 404.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from nikyoten.core.cache import public_cache
from nikyoten.core.exceptions import RateLimited
from nikyoten.housing.api.serializers import bookings as serializers
from nikyoten.housing.choices import BookingStatus
from nikyoten.housing.models import Booking, TrialStayUnit
from nikyoten.housing.selectors import bookings as selectors
from nikyoten.housing.services import bookings as services
from nikyoten.housing.views.bookings import booking_rate_limited

UNIT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="お試し住宅（予約設定）の ID")
BOOKING_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="予約の ID")
STEP_SCHEMA = extend_schema(
    parameters=[BOOKING_ID],
    request=serializers.BookingDecisionInputSerializer,
    responses=serializers.BookingOutputSerializer,
    filters=False,
)


@method_decorator(public_cache, name="dispatch")
class TrialStayViewSet(viewsets.ReadOnlyModelViewSet[TrialStayUnit]):
    """Trial-stay units taking requests: listing, municipality, stay rules and price."""

    serializer_class = serializers.TrialStayOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[TrialStayUnit]:
        return selectors.trial_stay_list(actor=self.request.user)

    def get_object(self) -> TrialStayUnit:
        return selectors.trial_stay_get(actor=self.request.user, unit_id=self.kwargs["pk"])

    @extend_schema(parameters=[UNIT_ID])
    def retrieve(self, request: Request, *args: object, **kwargs: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[
            UNIT_ID,
            OpenApiParameter(
                "from", OpenApiTypes.DATE, required=True, description="期間の初日（YYYY-MM-DD）"
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.DATE,
                required=True,
                description="期間の翌日（YYYY-MM-DD、366日まで）",
            ),
        ],
        responses=serializers.AvailabilityOutputSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def availability(self, request: Request, pk: str) -> Response:
        """Whether [from, to) is free of confirmed stays, and those it overlaps (dates only, no one's name)."""
        unit = self.get_object()
        query = serializers.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["from"], query.validated_data["to"]
        confirmed = selectors.confirmed_spans(unit=unit, start=start, end=end)
        data = {
            "from": start,
            "to": end,
            "available": not confirmed,
            "confirmed": [{"start_date": s, "end_date": e} for s, e in confirmed],
            "first_bookable_date": selectors.first_bookable_day(unit=unit),
        }
        return Response(serializers.AvailabilityOutputSerializer(data).data)

    @extend_schema(
        parameters=[UNIT_ID],
        request=serializers.BookingInputSerializer,
        responses={201: serializers.BookingOutputSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="bookings", pagination_class=None)
    def request_booking(self, request: Request, pk: str) -> Response:
        """Request a stay as the signed-in seeker (the unit's rules apply; the organization then decides)."""
        params = serializers.BookingInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if booking_rate_limited(request):
            raise RateLimited(_("申込が多すぎます。しばらくしてからもう一度お試しください。"))
        booking = services.booking_request(actor=request.user, unit_id=pk, **params.validated_data)
        booking = selectors.booking_get(actor=request.user, booking_id=booking.pk)
        return Response(serializers.BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingViewSet(viewsets.ReadOnlyModelViewSet[Booking]):
    """Bookings for whom they concern: the seeker's own, and those of the units their organization manages."""

    serializer_class = serializers.BookingOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Booking]:
        params = self.request.query_params
        scope = params.get("scope")
        return selectors.booking_list(
            actor=self.request.user,
            mine=scope == "mine",
            managed=scope == "organization",
            unit_id=int(params["trial_stay"]) if params.get("trial_stay", "").isdigit() else None,
            status=params.get("status") if params.get("status") in BookingStatus.values else None,
        )

    def get_object(self) -> Booking:
        return selectors.booking_get(actor=self.request.user, booking_id=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=["mine", "organization"],
                description="mine: 自分の申込だけ、organization: 自分の組織の住宅への申込だけ（省略時は両方）",
            ),
            OpenApiParameter("trial_stay", int, description="お試し住宅の ID"),
            OpenApiParameter("status", str, enum=list(BookingStatus.values), description="状態"),
        ]
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[BOOKING_ID])
    def retrieve(self, request: Request, *args: object, **kwargs: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def _step(self, request: Request, pk: str, service: Any) -> Response:
        params = serializers.BookingDecisionInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        booking = service(actor=request.user, booking_id=pk, note=params.validated_data["note"])
        return Response(
            self.get_serializer(selectors.booking_get(actor=request.user, booking_id=booking.pk)).data
        )

    @STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Confirm a request (editors of the unit's organization); 409 when a confirmed stay overlaps it."""
        return self._step(request, pk, services.booking_approve)

    @STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """Decline a request with a note for the seeker (editors of the unit's organization)."""
        return self._step(request, pk, services.booking_decline)

    @STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel a request or a confirmed stay (the seeker, or editors of the unit's organization)."""
        return self._step(request, pk, services.booking_cancel)
