from django.urls import include, path

urlpatterns = [
    path("regions/", include("nikyoten.regions.api.urls")),
    path("accounts/", include("nikyoten.accounts.api.urls")),
]
