from django.urls import path
from rest_framework.routers import SimpleRouter

from nikyoten.regions.api import views

router = SimpleRouter()
router.register("prefectures", views.PrefectureViewSet, basename="prefecture")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")

app_name = "regions-api"
urlpatterns = [
    *router.urls,
    path("postal-codes/<str:code>/", views.PostalCodeDetailApi.as_view(), name="postal-code-detail"),
]
