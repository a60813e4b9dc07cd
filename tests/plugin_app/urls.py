from django.http import HttpResponse
from django.urls import path

app_name = "plugin_app"


def index(request):
    return HttpResponse("The plug-in page.")


urlpatterns = [
    path("plugin/", index, name="index"),
    path("plugin/staff/", index, name="staff"),
]
