"""Regions API: prefectures, municipalities, point lookup and postal codes (all public, read-only)."""

from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nikyoten.core.cache import public_cache
from nikyoten.regions import selectors
from nikyoten.regions.api import serializers
from nikyoten.regions.filters import MunicipalityFilter
from nikyoten.regions.models import Municipality, Prefecture


@method_decorator(public_cache, name="dispatch")
class PrefectureViewSet(viewsets.ReadOnlyModelViewSet[Prefecture]):
    """The 47 prefectures (not paginated)."""

    serializer_class = serializers.PrefectureOutputSerializer
    pagination_class = None
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Prefecture]:
        return selectors.prefecture_list()

    def get_object(self) -> Prefecture:
        prefecture = selectors.prefecture_get(code=self.kwargs["code"])
        return selectors.prefecture_list().get(pk=prefecture.pk)


CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="5桁の市区町村コード、または6桁の全国地方公共団体コード"
)


@method_decorator(public_cache, name="dispatch")
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet[Municipality]):
    """The 1,741 municipalities; wards of a 政令市 with `kind=ward` or `parent=<code>`."""

    serializer_class = serializers.MunicipalityOutputSerializer
    filterset_class = MunicipalityFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9０-９]{5,6}"

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list()

    def get_serializer_class(self) -> type[serializers.MunicipalityOutputSerializer]:
        if self.action == "retrieve":
            return serializers.MunicipalityDetailOutputSerializer
        return serializers.MunicipalityOutputSerializer

    @extend_schema(parameters=[CODE_PARAMETER])
    def retrieve(self, request: Request, *args: object, **kwargs: str) -> Response:
        municipality = selectors.municipality_get(code=kwargs["code"])
        return Response(serializers.MunicipalityDetailOutputSerializer(municipality).data)

    @extend_schema(
        parameters=[serializers.LocateInputSerializer],
        responses=serializers.LocationOutputSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def locate(self, request: Request) -> Response:
        """The municipality containing a point (and its ward where the boundary data has wards)."""
        params = serializers.LocateInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        location = selectors.municipality_locate(
            lat=params.validated_data["lat"], lng=params.validated_data["lng"]
        )
        return Response(serializers.LocationOutputSerializer(location).data)

    @extend_schema(
        parameters=[CODE_PARAMETER],
        responses=serializers.MunicipalityEnvironmentOutputSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def environment(self, request: Request, code: str) -> Response:
        """Living-environment facts with their sources; `value` is null where nothing was imported (データなし)."""
        municipality, sections = selectors.municipality_environment(code=code)
        return Response(
            serializers.MunicipalityEnvironmentOutputSerializer(
                {"municipality": municipality, "sections": sections}
            ).data
        )


@method_decorator(public_cache, name="dispatch")
class PostalCodeDetailApi(APIView):
    """Municipality code and address parts for a postal code (`1000001`, `100-0001` or full-width digits)."""

    @extend_schema(responses=serializers.PostalCodeOutputSerializer)
    def get(self, request: Request, code: str) -> Response:
        addresses = selectors.postal_code_get(code=code)
        return Response(
            serializers.PostalCodeOutputSerializer(
                {"postal_code": addresses[0].postal_code, "addresses": addresses}
            ).data
        )
