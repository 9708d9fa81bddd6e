"""API views shared by every app (kept apart from core.api, which DRF's settings import)."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from nikyoten.core.api import error_response


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request: Request) -> Response:
    """Unknown paths under /api/v1/ answer in the one error shape too."""
    return error_response(
        code="not_found", message=_("見つかりません。"), status_code=status.HTTP_404_NOT_FOUND
    )
