from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/groups/", views.group_comparison, name="groups"),
    path("indicators/divides/", views.divides, name="divides"),
    path("indicators/need-vs-activity/", views.need_vs_activity, name="need"),
    path("indicators/import/", views.import_upload, name="import"),
    path("indicators/<str:code>/", views.indicator_detail, name="detail"),
    path("indicators/<str:code>/observations.csv", views.observations_csv, name="observations-csv"),
]
