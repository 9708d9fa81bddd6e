"""API authentication with an organization's token: `Authorization: Bearer nk_…`."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from nikyoten.accounts.principals import ApiClient
from nikyoten.accounts.services import api_token_authenticate


class OrganizationTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("Bearer", "Token")

    def authenticate(self, request: Request) -> tuple[ApiClient, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Authorization ヘッダーの形式が正しくありません（Bearer <トークン>）。")
            )
        token = api_token_authenticate(key=header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("API トークンが無効です（失効済みか、存在しません）。"))
        return ApiClient(token=token), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class OrganizationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "nikyoten.accounts.api.authentication.OrganizationTokenAuthentication"
    name = "organizationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "組織に発行された API トークン（nk_…）"}
