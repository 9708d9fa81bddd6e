from rest_framework.routers import SimpleRouter

from nikyoten.housing.api.views import inquiries

router = SimpleRouter()
router.register("inquiries", inquiries.InquiryViewSet, basename="inquiry")

app_name = "housing-api"
urlpatterns = [*router.urls]
