from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.downloads, name="downloads"),
    path("data/rebuild/", views.rebuild, name="rebuild"),
    path("data/latest/<str:name>", views.latest_file, name="latest"),
    path("data/builds/<int:pk>/<str:name>", views.dump_file, name="dump-file"),
    path("data/catalogue.<str:fmt>", views.catalogue, name="catalogue"),
    path("data/iati/activities.xml", views.iati_export, name="iati-export"),
    path("data/iati/import/", views.iati_import, name="iati-import"),
]
