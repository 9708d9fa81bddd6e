from rest_framework.routers import SimpleRouter

from nikyoten.housing.api.views import search

router = SimpleRouter()
# Public search (area: search).
router.register("listings", search.ListingViewSet, basename="listing")
router.register("saved-searches", search.SavedSearchViewSet, basename="saved-search")

app_name = "housing-api"
urlpatterns = [*router.urls]
