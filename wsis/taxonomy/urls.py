from django.urls import path

from . import views

app_name = "taxonomy"

urlpatterns = [
    path("action-lines/", views.action_line_list, name="action-lines"),
    path("action-lines/<slug:slug>/", views.action_line_detail, name="action-line"),
    path("sdgs/", views.goal_list, name="goals"),
    path("sdgs/<int:number>/", views.goal_detail, name="goal"),
    path("sdgs/targets/<str:code>/", views.target_detail, name="target"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<slug:slug>/<int:number>/", views.matrix_cell, name="matrix-cell"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:iso3>/", views.country_detail, name="country"),
    path("commissions/", views.commission_list, name="commissions"),
    path("commissions/<str:code>/", views.commission_detail, name="commission"),
    path("sources/", views.sources, name="sources"),
]
