from django.urls import path, re_path

from nikyoten.housing.views import akiya, bookings, inquiries, listings, search

app_name = "housing"
urlpatterns = [
    # Public search, listing pages, export and saved searches.
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
    # Inquiries: a seeker asks about a listing; the organization answers in its inbox.
    path("listings/<int:pk>/inquiry/", inquiries.InquiryCreateView.as_view(), name="inquiry_create"),
    path("inquiries/", inquiries.InquiryListView.as_view(), name="inquiry_list"),
    path("inquiries/<int:pk>/", inquiries.InquiryDetailView.as_view(), name="inquiry_detail"),
    path("inquiries/<int:pk>/close/", inquiries.InquiryCloseView.as_view(), name="inquiry_close"),
    path(
        "staff/organizations/<int:organization_id>/inquiries/",
        inquiries.InquiryInboxView.as_view(),
        name="inquiry_inbox",
    ),
    path("akiya/", akiya.AkiyaCaseListView.as_view(), name="akiya_case_list"),
    path("akiya/shared/", akiya.AkiyaCaseSharedListView.as_view(), name="akiya_case_shared_list"),
    path("akiya/new/", akiya.AkiyaCaseCreateView.as_view(), name="akiya_case_create"),
    path("akiya/<int:pk>/", akiya.AkiyaCaseDetailView.as_view(), name="akiya_case_detail"),
    path("akiya/<int:pk>/edit/", akiya.AkiyaCaseUpdateView.as_view(), name="akiya_case_update"),
    path("akiya/<int:pk>/move/", akiya.AkiyaCaseMoveView.as_view(), name="akiya_case_move"),
    path("akiya/<int:pk>/notes/", akiya.AkiyaCaseNoteView.as_view(), name="akiya_case_note"),
    path("akiya/<int:pk>/owners/new/", akiya.OwnerCreateView.as_view(), name="owner_create"),
    path(
        "akiya/<int:pk>/consents/<int:consent_pk>/revoke/",
        akiya.OwnerConsentRevokeView.as_view(),
        name="owner_consent_revoke",
    ),
    path("akiya/owners/<int:pk>/edit/", akiya.OwnerUpdateView.as_view(), name="owner_update"),
    path("akiya/owners/<int:pk>/delete/", akiya.OwnerDeleteView.as_view(), name="owner_delete"),
    path(
        "akiya/owners/<int:pk>/consents/new/",
        akiya.OwnerConsentCreateView.as_view(),
        name="owner_consent_create",
    ),
    path("akiya/campaigns/", akiya.CampaignListView.as_view(), name="campaign_list"),
    path("akiya/campaigns/new/", akiya.CampaignCreateView.as_view(), name="campaign_create"),
    path("akiya/campaigns/<int:pk>/", akiya.CampaignDetailView.as_view(), name="campaign_detail"),
    path("akiya/campaigns/<int:pk>/sent/", akiya.CampaignSentView.as_view(), name="campaign_sent"),
    path(
        "akiya/campaigns/<int:pk>/letters/<int:letter_pk>/respond/",
        akiya.CampaignLetterRespondView.as_view(),
        name="campaign_letter_respond",
    ),
    path(
        "akiya/campaigns/<int:pk>/letters.<str:file_format>",
        akiya.CampaignExportView.as_view(),
        name="campaign_export",
    ),
    # Trial-stay booking.
    path("trial-stays/", bookings.TrialStayListView.as_view(), name="trial_stay_list"),
    path("trial-stays/<int:pk>/", bookings.TrialStayDetailView.as_view(), name="trial_stay_detail"),
    path(
        "trial-stays/<int:pk>/calendar.ics",
        bookings.TrialStayCalendarFeedView.as_view(),
        name="trial_stay_calendar",
    ),
    path("bookings/", bookings.BookingListView.as_view(), name="booking_list"),
    path("bookings/<int:pk>/cancel/", bookings.BookingCancelView.as_view(), name="booking_cancel"),
    path("staff/bookings/", bookings.BookingManageListView.as_view(), name="booking_manage_list"),
    path("staff/bookings/<int:pk>/approve/", bookings.BookingApproveView.as_view(), name="booking_approve"),
    path("staff/bookings/<int:pk>/decline/", bookings.BookingDeclineView.as_view(), name="booking_decline"),
    path("staff/trial-stays/", bookings.TrialStayManageListView.as_view(), name="trial_stay_manage_list"),
    path(
        "staff/listings/<int:listing_pk>/trial-stay/",
        bookings.TrialStayEditView.as_view(),
        name="trial_stay_edit",
    ),
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
