from django.urls import path

from nikyoten.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.MatchingView.as_view(), name="matching"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("profiles/", views.MatchingProfileListView.as_view(), name="matchingprofile_list"),
    path("profiles/new/", views.MatchingProfileCreateView.as_view(), name="matchingprofile_create"),
    path("profiles/<int:pk>/edit/", views.MatchingProfileEditView.as_view(), name="matchingprofile_edit"),
    path(
        "profiles/<int:pk>/delete/", views.MatchingProfileDeleteView.as_view(), name="matchingprofile_delete"
    ),
    path("regions/<str:code>/", views.RegionProfileDetailView.as_view(), name="regionprofile_detail"),
    # Staff: what a region says about itself, and its practitioner stories.
    path("staff/regions/", views.RegionProfileManageListView.as_view(), name="regionprofile_manage_list"),
    path(
        "staff/regions/<int:organization_id>/",
        views.RegionProfileEditView.as_view(),
        name="regionprofile_edit",
    ),
    path(
        "staff/regions/<int:organization_id>/stories/new/",
        views.StoryCreateView.as_view(),
        name="practitionerstory_create",
    ),
    path("staff/stories/<int:pk>/", views.StoryEditView.as_view(), name="practitionerstory_edit"),
]
