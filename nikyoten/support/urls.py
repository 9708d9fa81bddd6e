from django.urls import path

from nikyoten.support import views

app_name = "support"
urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program_list"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("check/", views.SupportCheckView.as_view(), name="support_check"),
    path("cost/", views.CostSimulationView.as_view(), name="cost_simulation"),
    path("cost/export.<str:format>", views.CostSimulationExportView.as_view(), name="cost_simulation_export"),
]
