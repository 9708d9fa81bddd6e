"""Turn a domain NotFound raised anywhere in an HTML view into the site's ordinary 404 page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found

from nikyoten.core.exceptions import NotFound


class NotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return page_not_found(request, exception)
        return None
