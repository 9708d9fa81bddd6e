from rest_framework.routers import SimpleRouter

from nikyoten.housing.api.views import akiya, bookings, inquiries, search

router = SimpleRouter()
router.register("listings", search.ListingViewSet, basename="listing")
router.register("saved-searches", search.SavedSearchViewSet, basename="saved-search")
router.register("trial-stays", bookings.TrialStayViewSet, basename="trial-stay")
router.register("bookings", bookings.BookingViewSet, basename="booking")
router.register("inquiries", inquiries.InquiryViewSet, basename="inquiry")
router.register("akiya-cases", akiya.AkiyaCaseViewSet, basename="akiya-case")
router.register("owners", akiya.OwnerViewSet, basename="owner")
router.register("campaigns", akiya.CampaignViewSet, basename="campaign")

app_name = "housing-api"
urlpatterns = [*router.urls]
