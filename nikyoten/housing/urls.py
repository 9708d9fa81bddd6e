from django.urls import path, re_path

from nikyoten.housing.views import search

app_name = "housing"
urlpatterns = [
    # Public search (area: search).
    path("", search.ListingListView.as_view(), name="listing_list"),
    path("listings/<int:pk>/", search.ListingDetailView.as_view(), name="listing_detail"),
    re_path(
        r"^listings/export\.(?P<format>csv|geojson)$",
        search.ListingExportView.as_view(),
        name="listing_export",
    ),
    path("saved-searches/", search.SavedSearchListView.as_view(), name="saved_search_list"),
    path("saved-searches/new/", search.SavedSearchCreateView.as_view(), name="saved_search_create"),
    path("saved-searches/<int:pk>/", search.SavedSearchUpdateView.as_view(), name="saved_search_update"),
    path(
        "saved-searches/<int:pk>/delete/", search.SavedSearchDeleteView.as_view(), name="saved_search_delete"
    ),
]
