"""Staff-only akiya API: cases (with the stage change as `POST …/{id}/move/`), owners, campaigns and responses.

Signed-in staff and organization API tokens; anonymous callers get 401. Rows the caller may not see answer
404 like missing ones; writes need the editor role (the services' gates).
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nikyoten.housing.access import Action, access_akiya_case, access_owner
from nikyoten.housing.api.serializers import akiya as serializers
from nikyoten.housing.models import AkiyaCase, Campaign, Owner
from nikyoten.housing.selectors import akiya as selectors
from nikyoten.housing.services import akiya as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
LETTER_ID = OpenApiParameter("letter_id", int, OpenApiParameter.PATH, description="文書の ID")


class AkiyaCaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[AkiyaCase],
):
    """Akiya cases of the caller's organizations, and those shared with it under an owner's consent."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.AkiyaCaseOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[AkiyaCase]:
        if self.action != "list":
            return selectors.akiya_case_list(actor=self.request.user)
        params = serializers.AkiyaCaseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.akiya_case_list(
            actor=self.request.user,
            organization_id=data.get("organization"),
            stage=data.get("stage"),
            q=data.get("q"),
        )

    def get_object(self) -> AkiyaCase:
        case = access_akiya_case(self.request.user, self.kwargs["pk"], action=Action.VIEW)
        return selectors.akiya_case_list(actor=self.request.user).get(pk=case.pk)

    @extend_schema(parameters=[serializers.AkiyaCaseFilterSerializer])
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ID])
    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=serializers.AkiyaCaseCreateInputSerializer,
        responses={201: serializers.AkiyaCaseOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        params = serializers.AkiyaCaseCreateInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        case = services.akiya_case_create(
            actor=request.user, organization_id=data.pop("organization"), **data
        )
        output = self.get_serializer(selectors.akiya_case_list(actor=request.user).get(pk=case.pk))
        return Response(output.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ID],
        request=serializers.AkiyaCaseInputSerializer,
        responses=serializers.AkiyaCaseOutputSerializer,
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        parameters=[ID],
        request=serializers.AkiyaCaseInputSerializer,
        responses=serializers.AkiyaCaseOutputSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        case = access_akiya_case(request.user, pk, action=Action.EDIT)
        params = serializers.AkiyaCaseInputSerializer(data=request.data, partial=partial)
        params.is_valid(raise_exception=True)
        fields = ("reference", "address", "source", "discovered_on", "latitude", "longitude", "notes")
        data = {name: params.validated_data.get(name, getattr(case, name)) for name in fields}
        services.akiya_case_update(actor=request.user, case_id=case.pk, **data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[ID],
        request=serializers.AkiyaCaseMoveInputSerializer,
        responses=serializers.AkiyaCaseOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Change the stage (forward, to 断念, or reopen); reaching 管理・公開 links one of the organization's listings."""
        params = serializers.AkiyaCaseMoveInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        services.akiya_case_move(
            actor=request.user,
            case_id=int(pk),
            to_stage=data["to_stage"],
            occurred_on=data["occurred_on"],
            note=data["note"],
            listing_id=data["listing"],
        )
        return Response(self.get_serializer(self.get_object()).data)


class OwnerViewSet(viewsets.ReadOnlyModelViewSet[Owner]):
    """Owners (personal data): of the caller's organizations' cases, and those who consented to share with it."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.OwnerOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Owner]:
        return selectors.owner_list(actor=self.request.user)

    def get_object(self) -> Owner:
        return access_owner(self.request.user, self.kwargs["pk"], action=Action.VIEW)

    @extend_schema(parameters=[ID])
    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().retrieve(request, *args, **kwargs)


class CampaignViewSet(viewsets.ReadOnlyModelViewSet[Campaign]):
    """Outreach campaigns of the caller's organizations; the detail has the letters and the response rates."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.CampaignOutputSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(actor=self.request.user)

    def _detail(self, campaign_id: int | str, today: date) -> Response:
        campaign = selectors.campaign_get(actor=self.request.user, campaign_id=campaign_id)
        context = {
            "letters": selectors.campaign_letters(campaign=campaign),
            "rates": selectors.campaign_response_rates(campaign=campaign, today=today),
        }
        return Response(serializers.CampaignDetailOutputSerializer(campaign, context=context).data)

    @extend_schema(parameters=[ID], responses=serializers.CampaignDetailOutputSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk, timezone.localdate())

    @extend_schema(
        parameters=[ID, LETTER_ID],
        request=serializers.CampaignLetterRespondInputSerializer,
        responses=serializers.CampaignDetailOutputSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"letters/(?P<letter_id>[0-9]+)/respond")
    def respond(self, request: Request, pk: str, letter_id: str) -> Response:
        """Record an owner's response to a letter (editors); `move_case` moves an interested owner's case to 意向確認."""
        params = serializers.CampaignLetterRespondInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.campaign_letter_respond(
            actor=request.user, campaign_id=int(pk), letter_id=int(letter_id), **params.validated_data
        )
        return self._detail(pk, timezone.localdate())
