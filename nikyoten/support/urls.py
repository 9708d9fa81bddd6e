from django.urls import path

from nikyoten.support import views

app_name = "support"
urlpatterns = [
    path("cost/", views.CostSimulationView.as_view(), name="cost_simulation"),
    path("cost/export.<str:format>", views.CostSimulationExportView.as_view(), name="cost_simulation_export"),
]
