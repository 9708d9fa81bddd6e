from django.urls import path
from rest_framework.routers import SimpleRouter

from nikyoten.accounts.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")

app_name = "accounts-api"
urlpatterns = [*router.urls, path("me/", views.MeApi.as_view(), name="me")]
