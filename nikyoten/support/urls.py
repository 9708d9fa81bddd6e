from django.urls import path

from nikyoten.support import views

app_name = "support"
urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("check/", views.SupportCheckView.as_view(), name="support_check"),
    path("cost/", views.CostSimulationView.as_view(), name="cost_simulation"),
    path("cost/export.<str:format>", views.CostSimulationExportView.as_view(), name="cost_simulation_export"),
    # Staff authoring (programs, versions, budget status, route fares).
    path("staff/programs/", views.ProgramManageListView.as_view(), name="program_manage_list"),
    path("staff/programs/new/", views.ProgramManageCreateView.as_view(), name="program_manage_create"),
    path("staff/programs/<int:pk>/", views.ProgramManageDetailView.as_view(), name="program_manage_detail"),
    path(
        "staff/programs/<int:pk>/versions/",
        views.ProgramVersionCreateView.as_view(),
        name="program_version_create",
    ),
    path(
        "staff/programs/<int:pk>/versions/<int:version_pk>/budget/",
        views.ProgramVersionBudgetView.as_view(),
        name="program_version_budget",
    ),
    path("staff/route-fares/", views.RouteFareManageListView.as_view(), name="route_fare_manage_list"),
]
