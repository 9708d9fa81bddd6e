from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("nikyoten.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("nikyoten.accounts.urls")),
    path("regions/", include("nikyoten.regions.urls")),
    path("support/", include("nikyoten.support.urls")),
    path("housing/", include("nikyoten.housing.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
