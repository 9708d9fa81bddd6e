"""Site-wide pages: home and the rate-limit answer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "core/home.html"


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer for django-ratelimit: 429 with a message saying when to try again."""
    return render(request, "429.html", status=429)
