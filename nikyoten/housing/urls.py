from django.urls import path

from nikyoten.housing.views import inquiries

app_name = "housing"
urlpatterns = [
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
]
