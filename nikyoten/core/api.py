"""API base: one pagination shape and one error shape for every endpoint."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from nikyoten.core.exceptions import ApplicationError


class Pagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `page` and `page_size` (max 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200


def error_response(
    *,
    code: str,
    message: str,
    status_code: int,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one error shape: `{"error": {"code", "message", "fields"}}`."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return Response(body, status=status_code, headers=headers)


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render DRF, Django and domain errors in the one error shape, with translated messages."""
    if isinstance(exc, ApplicationError):
        return error_response(code=exc.code, message=exc.message, status_code=exc.status, fields=exc.fields)
    if isinstance(exc, Ratelimited):
        return error_response(
            code="rate_limited",
            message=_(
                "短い時間に何度も送信されたため、一時的に受け付けを止めています。しばらく待ってから、もう一度お試しください。"
            ),
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404 | PermissionDenied):
        return error_response(
            code="not_found", message=_("見つかりません。"), status_code=status.HTTP_404_NOT_FOUND
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        first = next(iter(fields.values()), [""])
        message = (
            first[0]
            if isinstance(first, list) and first and isinstance(first[0], str)
            else _("入力内容を確認してください。")
        )
        return error_response(
            code="invalid", message=message, status_code=response.status_code, fields=fields
        )
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        # Keep DRF's headers (WWW-Authenticate on 401, Retry-After on 429).
        headers = {
            key: value
            for key, value in response.headers.items()
            if key in ("WWW-Authenticate", "Retry-After")
        }
        return error_response(
            code=code, message=str(exc.detail), status_code=response.status_code, headers=headers
        )
    return response
