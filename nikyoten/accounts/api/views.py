"""Accounts API: organizations (public), their members (members only), and who the caller is."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nikyoten.accounts import selectors
from nikyoten.accounts.access import OrganizationAction, access_organization
from nikyoten.accounts.api import serializers
from nikyoten.accounts.choices import PrincipalKind
from nikyoten.accounts.filters import OrganizationFilter
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import ApiClient, is_platform_admin, roles_of


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet[Organization]):
    serializer_class = serializers.OrganizationOutputSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list(actor=self.request.user)

    def get_object(self) -> Organization:
        return access_organization(self.request.user, self.kwargs["pk"], action=OrganizationAction.VIEW)

    @extend_schema(responses=serializers.MembershipOutputSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def members(self, request: Request, pk: str) -> Response:
        """Members and roles, for the organization's own members and API clients only."""
        memberships = selectors.membership_list(actor=request.user, organization_id=int(pk))
        page = self.paginate_queryset(memberships)  # type: ignore[arg-type]  # a nested list of another model
        return self.get_paginated_response(serializers.MembershipOutputSerializer(page, many=True).data)


class MeApi(APIView):
    """Who the caller is: a signed-in user, an organization's API client, or anonymous; with roles."""

    @extend_schema(responses=serializers.MeOutputSerializer)
    def get(self, request: Request) -> Response:
        actor = request.user
        roles = roles_of(actor)
        organizations = Organization.objects.filter(pk__in=roles).select_related("prefecture")
        if isinstance(actor, ApiClient):
            kind = PrincipalKind.API_CLIENT
        else:
            kind = PrincipalKind.USER if actor.is_authenticated else PrincipalKind.ANONYMOUS
        data = {
            "kind": kind,
            "email": getattr(actor, "email", None) if kind == PrincipalKind.USER else None,
            "is_platform_admin": is_platform_admin(actor),
            "roles": [{"organization": o, "role": roles[o.pk]} for o in organizations],
        }
        return Response(serializers.MeOutputSerializer(data).data)
