"""Inquiries over the API: the signed-in seeker's threads and their organizations' inboxes (members only).

Writing needs a signed-in person (an organization's API token reads its inbox but cannot open a thread).
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from nikyoten.housing.api.serializers import inquiries as serializers
from nikyoten.housing.models import Inquiry
from nikyoten.housing.selectors import inquiries as selectors
from nikyoten.housing.services import inquiries as services

INQUIRY_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="問い合わせの ID")
limit_posts = method_decorator(
    ratelimit(key="user_or_ip", rate=settings.RATELIMIT_INQUIRY, method="POST", block=True)
)


class InquiryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Inquiry]):
    serializer_class = serializers.InquiryOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Inquiry]:
        return selectors.inquiry_list(actor=self.request.user)

    @extend_schema(parameters=[INQUIRY_ID], responses=serializers.InquiryDetailOutputSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        inquiry = selectors.inquiry_get(actor=request.user, inquiry_id=pk)
        return Response(serializers.InquiryDetailOutputSerializer(inquiry).data)

    @extend_schema(
        request=serializers.InquiryInputSerializer, responses={201: serializers.InquiryDetailOutputSerializer}
    )
    @limit_posts
    def create(self, request: Request) -> Response:
        params = serializers.InquiryInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        inquiry = services.inquiry_create(
            actor=request.user,
            listing_id=params.validated_data["listing"],
            subject=params.validated_data["subject"],
            body=params.validated_data["body"],
        )
        detail = selectors.inquiry_get(actor=request.user, inquiry_id=inquiry.pk)
        return Response(
            serializers.InquiryDetailOutputSerializer(detail).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[INQUIRY_ID],
        request=serializers.InquiryMessageInputSerializer,
        responses={201: serializers.InquiryMessageOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    @limit_posts
    def messages(self, request: Request, pk: str) -> Response:
        """Reply in a thread (the seeker, or an editor of the organization)."""
        params = serializers.InquiryMessageInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        message = services.inquiry_reply(
            actor=request.user, inquiry_id=int(pk), body=params.validated_data["body"]
        )
        return Response(
            serializers.InquiryMessageOutputSerializer(message).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(parameters=[INQUIRY_ID], request=None, responses=serializers.InquiryOutputSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        inquiry = services.inquiry_close(actor=request.user, inquiry_id=int(pk))
        return Response(serializers.InquiryOutputSerializer(inquiry).data)
