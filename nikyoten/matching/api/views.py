"""Matching API: rank the municipalities for a profile (anyone), and a signed-in seeker's saved profiles.

`rankings/` is a POST that writes nothing, so anonymous clients call it without a CSRF token (DRF's session
authentication asks for one only when a session cookie authenticates the request).
"""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nikyoten.matching import selectors, services
from nikyoten.matching.access import access_matching_profile
from nikyoten.matching.api import serializers
from nikyoten.matching.models import MatchingProfile

PROFILE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="保存した条件の ID")


class RankingCreateApi(APIView):
    """The top municipalities for a profile, with score, confidence and each factor's contribution in words."""

    @extend_schema(request=serializers.RankingInputSerializer, responses=serializers.RankingOutputSerializer)
    def post(self, request: Request) -> Response:
        params = serializers.RankingInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = selectors.region_ranking(
            wishes=params.wishes(params.validated_data), top=params.validated_data["top"]
        )
        return Response(serializers.RankingOutputSerializer(result).data)


class MatchingProfileViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[MatchingProfile]):
    """The signed-in seeker's saved profiles; anyone else's answer 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.MatchingProfileOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[MatchingProfile]:
        return selectors.matching_profile_list(actor=self.request.user)

    @extend_schema(
        request=serializers.MatchingProfileInputSerializer,
        responses={201: serializers.MatchingProfileOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        params = serializers.MatchingProfileInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        profile = services.matching_profile_create(
            actor=request.user,
            name=params.validated_data["name"],
            wishes=params.wishes(params.validated_data),
        )
        return Response(self.get_serializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PROFILE_ID])
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(access_matching_profile(request.user, pk)).data)

    @extend_schema(
        parameters=[PROFILE_ID],
        request=serializers.MatchingProfileInputSerializer,
        responses=serializers.MatchingProfileOutputSerializer,
    )
    def update(self, request: Request, pk: str) -> Response:
        profile = access_matching_profile(request.user, pk)
        params = serializers.MatchingProfileInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        profile = services.matching_profile_update(
            actor=request.user,
            profile=profile,
            name=params.validated_data["name"],
            wishes=params.wishes(params.validated_data),
        )
        return Response(self.get_serializer(profile).data)

    @extend_schema(parameters=[PROFILE_ID], responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.matching_profile_delete(
            actor=request.user, profile=access_matching_profile(request.user, pk)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
