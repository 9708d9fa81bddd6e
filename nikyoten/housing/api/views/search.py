"""Listings API (public search with the page's filter set) and a seeker's saved searches (their own only)."""

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.decorators import method_decorator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from nikyoten.accounts.models import User
from nikyoten.core.cache import public_cache
from nikyoten.housing.access import Action, access_listing, access_saved_search
from nikyoten.housing.api.serializers import search as serializers
from nikyoten.housing.filters import ListingFilterSet
from nikyoten.housing.models import Listing, SavedSearch
from nikyoten.housing.selectors import search as selectors
from nikyoten.housing.services import search as services

LISTING_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="物件の ID")
SAVED_SEARCH_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="保存した検索の ID")


class ListingSearchBackend(DjangoFilterBackend):
    """Runs the search selector (which applies `ListingFilterSet`); a bad parameter answers 400 in the error shape."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Listing], view: Any) -> QuerySet[Listing]:
        return selectors.listing_search(actor=request.user, params=request.query_params)


@method_decorator(public_cache, name="dispatch")
class ListingViewSet(viewsets.ReadOnlyModelViewSet[Listing]):
    """Listings: the public ones (and every listing of the caller's organizations), with the search filters."""

    filterset_class = ListingFilterSet
    filter_backends = [ListingSearchBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Listing]:
        return Listing.objects.visible_to(self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Listing]]:
        if self.action == "retrieve":
            return serializers.ListingDetailOutputSerializer
        return serializers.ListingOutputSerializer

    def get_object(self) -> Listing:
        listing = access_listing(self.request.user, self.kwargs["pk"], action=Action.VIEW)
        return (
            Listing.objects.filter(pk=listing.pk).prefetch_related(*selectors.LISTING_RELATED, "photos").get()
        )

    @extend_schema(parameters=[LISTING_ID])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class IsPerson(permissions.BasePermission):
    """A signed-in person (an organization's API token saves no searches)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, User)


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[SavedSearch],
):
    """The signed-in seeker's saved searches; another person's answer 404."""

    serializer_class = serializers.SavedSearchOutputSerializer
    permission_classes = [IsPerson]
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return selectors.saved_search_list(actor=self.request.user)

    def get_object(self) -> SavedSearch:
        return access_saved_search(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=serializers.SavedSearchInputSerializer,
        responses={201: serializers.SavedSearchOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        data = serializers.SavedSearchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved_search = services.saved_search_create(
            user=request.user,  # type: ignore[arg-type]
            name=data.validated_data["name"],
            params=QueryDict(data.validated_data["query"]),
            alerts_enabled=data.validated_data["alerts_enabled"],
        )
        return Response(self.get_serializer(saved_search).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SAVED_SEARCH_ID])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[SAVED_SEARCH_ID],
        request=serializers.SavedSearchUpdateInputSerializer,
        responses=serializers.SavedSearchOutputSerializer,
    )
    def update(self, request: Request, pk: str) -> Response:
        saved_search = self.get_object()
        data = serializers.SavedSearchUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved_search = services.saved_search_update(
            actor=request.user,
            saved_search=saved_search,
            name=data.validated_data["name"],
            alerts_enabled=data.validated_data["alerts_enabled"],
        )
        return Response(self.get_serializer(saved_search).data)

    @extend_schema(parameters=[SAVED_SEARCH_ID])
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.saved_search_delete(actor=request.user, saved_search=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
