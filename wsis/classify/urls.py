from django.urls import path

from . import views

app_name = "classify"

urlpatterns = [
    path("classify/suggest/", views.suggest, name="suggest"),
    path("classify/runs/", views.run_list, name="runs"),
    path("classify/runs/<int:pk>/", views.run_detail, name="run"),
]
