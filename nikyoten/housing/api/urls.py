from rest_framework.routers import SimpleRouter

from nikyoten.housing.api.views import akiya, inquiries

router = SimpleRouter()
router.register("inquiries", inquiries.InquiryViewSet, basename="inquiry")
router.register("akiya-cases", akiya.AkiyaCaseViewSet, basename="akiya-case")
router.register("owners", akiya.OwnerViewSet, basename="owner")
router.register("campaigns", akiya.CampaignViewSet, basename="campaign")

app_name = "housing-api"
urlpatterns = [*router.urls]
