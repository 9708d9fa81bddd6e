from django.urls import include, path, re_path

from nikyoten.core.api_views import not_found

urlpatterns = [
    path("regions/", include("nikyoten.regions.api.urls")),
    path("accounts/", include("nikyoten.accounts.api.urls")),
    path("support/", include("nikyoten.support.api.urls")),
    path("housing/", include("nikyoten.housing.api.urls")),
    re_path(r"^.*$", not_found),
]
