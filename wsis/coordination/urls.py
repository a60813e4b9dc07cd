from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("coordination/", views.overview, name="overview"),
    path("coordination/road-maps/<str:code>/", views.roadmap, name="roadmap"),
    path("coordination/road-maps/<str:code>/edit/", views.roadmap_edit, name="roadmap-edit"),
    path("coordination/road-maps/<str:code>/publish/", views.roadmap_publish, name="roadmap-publish"),
    path("coordination/road-maps/<str:code>/versions/<int:number>/", views.roadmap_version, name="roadmap-version"),
    path("coordination/road-maps/<str:code>/milestones/new/", views.milestone_edit, name="milestone-create"),
    path("coordination/road-maps/<str:code>/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("coordination/road-maps/<str:code>/milestones/<int:pk>/update/", views.milestone_update,
         name="milestone-update"),
    path("coordination/meetings/", views.meetings, name="meetings"),
    path("coordination/meetings/new/", views.meeting_edit, name="meeting-create"),
    path("coordination/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("coordination/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("coordination/meetings/<int:pk>/decisions/<int:decision>/milestone/", views.decision_milestone,
         name="decision-milestone"),
    path("coordination/reporting/", views.rounds, name="rounds"),
    path("coordination/reporting/new/", views.round_create, name="round-create"),
    path("coordination/reporting/<int:pk>/", views.round_detail, name="round"),
    path("coordination/reporting/<int:pk>/close/", views.round_close, name="round-close"),
    path("coordination/reporting/<int:pk>/draft/", views.round_draft, name="round-draft"),
    path("coordination/reporting/<int:pk>/compile/", views.round_compile, name="round-compile"),
    path("coordination/reporting/<int:round_pk>/contributions/<int:pk>/", views.contribution, name="contribution"),
]
