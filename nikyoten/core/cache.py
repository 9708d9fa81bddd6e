"""Short-lived caching of public API reads for callers without credentials (they all get the same answer).

A request carrying an `Authorization` header or a session cookie is never served from, nor stored in, the cache:
what a signed-in person or an organization's token sees may differ (e.g. its own withdrawn listings). Keys vary
on the response's `Vary` headers (language, `Accept`), as Django's `cache_page` does. Public data may thus be up
to `PUBLIC_API_CACHE_SECONDS` old for anonymous callers; 0 turns the cache off.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_page


def _anonymous(request: HttpRequest) -> bool:
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def public_cache(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve GETs without credentials from the cache (see the module); everything else goes to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PUBLIC_API_CACHE_SECONDS
        if request.method in ("GET", "HEAD") and seconds and _anonymous(request):
            response = cache_page(seconds, key_prefix="public-api")(view)(request, *args, **kwargs)
        else:
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])  # shared caches must keep credentialed answers apart
        return response

    return wrapper
