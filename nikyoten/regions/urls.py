from django.urls import path

from nikyoten.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.PrefectureListView.as_view(), name="prefecture_list"),
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipality_search"),
    path("municipalities/<str:code>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("postal-code/", views.PostalCodeLookupView.as_view(), name="postal_code_lookup"),
    path("<str:prefecture>/", views.MunicipalityListView.as_view(), name="municipality_list"),
]
