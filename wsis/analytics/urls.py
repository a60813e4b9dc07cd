from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("analytics/", views.coverage, name="coverage"),
    path("analytics/cells/<slug:slug>/<int:number>/", views.cell, name="cell"),
    path("analytics/gaps/", views.gaps, name="gaps"),
    path("analytics/trends/", views.trends, name="trends"),
    path("analytics/countries/<str:iso3>/", views.country, name="country"),
    path("analytics/regions/<str:m49>/", views.region, name="region"),
    path("analytics/commissions/<str:code>/", views.commission, name="commission"),
    path("analytics/facilitator/", views.facilitator_list, name="facilitator-list"),
    path("analytics/facilitator/<slug:slug>/", views.facilitator, name="facilitator"),
]
