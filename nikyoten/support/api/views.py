"""Support API: the program catalogue with its history (public, read-only), and two computations.

The computations (`eligibility/`, `cost-simulations/`) are POSTs that write nothing, so anonymous API clients
call them without a CSRF token. The default authentication classes stay: DRF's SessionAuthentication enforces
CSRF only for a request authenticated by a session cookie, so a signed-in seeker's browser session (whose
saved answers a computation reads) cannot be driven from another site, while token and anonymous calls are
not asked for a token they cannot have.
"""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nikyoten.core.cache import public_cache
from nikyoten.core.exceptions import ApplicationError
from nikyoten.support import selectors
from nikyoten.support.access import ProgramAction, access_program
from nikyoten.support.api import serializers
from nikyoten.support.filters import ProgramFilter
from nikyoten.support.models import SupportProgram

PROGRAM_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="支援制度の ID")


@method_decorator(public_cache, name="dispatch")
class ProgramViewSet(viewsets.ReadOnlyModelViewSet[SupportProgram]):
    """Support programs of the state, prefectures, municipalities and private bodies, with the version in force."""

    serializer_class = serializers.ProgramOutputSerializer
    filterset_class = ProgramFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[SupportProgram]:
        return selectors.program_list(actor=self.request.user)

    def get_object(self) -> SupportProgram:
        program = access_program(self.request.user, self.kwargs["pk"], action=ProgramAction.VIEW)
        return selectors.program_list(actor=self.request.user).get(pk=program.pk)

    @extend_schema(parameters=[PROGRAM_ID])
    def retrieve(self, request: Request, *args: object, **kwargs: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[PROGRAM_ID],
        responses=serializers.ProgramVersionOutputSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        """Every version of the program's rules, newest first (the history keeps answering past dates)."""
        program = access_program(request.user, pk, action=ProgramAction.VIEW)
        versions = selectors.program_versions(program=program)
        return Response(serializers.ProgramVersionOutputSerializer(versions, many=True).data)


def _profile_refused(error: ApplicationError) -> ApplicationError:
    """The answers cannot be used: the same message, with the fields under `profile` as posted."""
    return ApplicationError(error.message, fields={"profile": error.fields})


class EligibilityCheckApi(APIView):
    """What a seeker can get in one to four municipalities: every program in force there, judged on the answers.

    A signed-in seeker's saved answers are used too; the posted ones take precedence (nothing is saved).
    """

    @extend_schema(
        request=serializers.EligibilityInputSerializer,
        responses=serializers.EligibilityOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        params = serializers.EligibilityInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        on = data.get("on") or timezone.localdate()
        try:
            profile = selectors.profile_for(user=request.user, answers=data["profile"], on=on)
        except ApplicationError as exc:
            raise _profile_refused(exc) from exc
        checks = selectors.eligibility_check(
            actor=request.user, profile=profile, municipalities=data["municipalities"]
        )
        return Response(serializers.EligibilityOutputSerializer({"on": on, "municipalities": checks}).data)


class CostSimulationApi(APIView):
    """The two-base cost simulator: base A against one to four base-B candidates, month by month.

    Real route fares entered by organizations replace the distance model's estimate; with `apply_programs`
    the programs a signed-in seeker's saved answers make them eligible for are deducted.
    """

    @extend_schema(
        request=serializers.CostSimulationInputSerializer,
        responses=serializers.CostSimulationOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        params = serializers.CostSimulationInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        subsidies = (
            selectors.cost_subsidies(user=request.user, candidates=data["candidates"])
            if data["apply_programs"]
            else None
        )
        # Raises cost.CostInputInvalid (an ApplicationError), which the API's exception handler renders.
        simulations = selectors.cost_simulation(
            base_a=data["base_a"],
            candidates=data["candidates"],
            mode=data["mode"],
            trips_per_month=data["trips_per_month"],
            months=data["months"],
            second_home_rent_monthly=data["second_home_rent_monthly"],
            utilities_monthly=data["utilities_monthly"],
            internet_monthly=data["internet_monthly"],
            car_monthly=data["car_monthly"],
            one_time_costs=data["one_time_costs"],
            subsidies=subsidies,
        )
        return Response(
            serializers.CostSimulationOutputSerializer(
                {
                    "base_a": data["base_a"],
                    "mode": data["mode"],
                    "trips_per_month": data["trips_per_month"],
                    "months": data["months"],
                    "simulations": simulations,
                }
            ).data
        )
