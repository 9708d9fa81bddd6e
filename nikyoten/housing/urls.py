from django.urls import path

from nikyoten.housing.views import bookings

app_name = "housing"
urlpatterns = [
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
]
