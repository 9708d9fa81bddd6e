from rest_framework.routers import SimpleRouter

from nikyoten.housing.api.views import bookings

router = SimpleRouter()
router.register("trial-stays", bookings.TrialStayViewSet, basename="trial-stay")
router.register("bookings", bookings.BookingViewSet, basename="booking")

app_name = "housing-api"
urlpatterns = [*router.urls]
