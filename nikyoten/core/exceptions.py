"""Domain refusals raised by services and rendered by the API and the views."""

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain refused the request; `message` is shown to the user (already translated)."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ApplicationError):
    """Missing or forbidden: both answer the same, so a row's existence never leaks."""

    code = "not_found"
    status = 404


class RateLimited(ApplicationError):
    """Too many attempts in a short time."""

    code = "rate_limited"
    status = 429
