from django.urls import path
from rest_framework.routers import SimpleRouter

from nikyoten.matching.api import views

router = SimpleRouter()
router.register("profiles", views.MatchingProfileViewSet, basename="profile")

app_name = "matching-api"
urlpatterns = [
    *router.urls,
    path("rankings/", views.RankingCreateApi.as_view(), name="ranking-create"),
]
