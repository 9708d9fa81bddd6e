from django.urls import path
from rest_framework.routers import SimpleRouter

from nikyoten.support.api import views

router = SimpleRouter()
router.register("programs", views.ProgramViewSet, basename="program")

app_name = "support-api"
urlpatterns = [
    *router.urls,
    path("eligibility/", views.EligibilityCheckApi.as_view(), name="eligibility-check"),
    path("cost-simulations/", views.CostSimulationApi.as_view(), name="cost-simulation"),
]
