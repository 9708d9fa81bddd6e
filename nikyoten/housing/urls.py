from django.urls import path

from nikyoten.housing.views import listings

app_name = "housing"
urlpatterns = [
    # Staff: listings of the user's organizations (issue 3 §1, §6 import).
    path("staff/listings/", listings.ListingManageListView.as_view(), name="listing_manage_list"),
    path("staff/listings/new/", listings.ListingCreateView.as_view(), name="listing_create"),
    path("staff/listings/import/", listings.ListingImportView.as_view(), name="listing_import"),
    path(
        "staff/listings/import/template.csv",
        listings.ListingImportTemplateView.as_view(),
        name="listing_import_template",
    ),
    path(
        "staff/listings/<int:pk>/", listings.ListingManageDetailView.as_view(), name="listing_manage_detail"
    ),
    path("staff/listings/<int:pk>/edit/", listings.ListingUpdateView.as_view(), name="listing_update"),
    path("staff/listings/<int:pk>/confirm/", listings.ListingConfirmView.as_view(), name="listing_confirm"),
    path("staff/listings/<int:pk>/status/", listings.ListingStatusView.as_view(), name="listing_status"),
    path("staff/listings/<int:pk>/photos/", listings.ListingPhotoAddView.as_view(), name="listing_photo_add"),
    path(
        "staff/listings/<int:pk>/photos/<int:photo_pk>/delete/",
        listings.ListingPhotoRemoveView.as_view(),
        name="listing_photo_remove",
    ),
    path(
        "staff/listings/<int:pk>/photos/<int:photo_pk>/move/",
        listings.ListingPhotoMoveView.as_view(),
        name="listing_photo_move",
    ),
]
