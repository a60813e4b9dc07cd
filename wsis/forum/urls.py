from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("forum/", views.home, name="home"),
    path("forum/my-submissions/", views.my_submissions, name="my-submissions"),
    path("forum/submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("forum/timeline/", views.timeline, name="timeline"),
    path("forum/timeline.ics", views.timeline_ics, name="timeline-ics"),
    path("forum/timeline/new/", views.milestone_edit, name="milestone-create"),
    path("forum/timeline/<slug:slug>/edit/", views.milestone_edit, name="milestone-edit"),
    path("forum/<int:year>/", views.edition_detail, name="edition"),
    path("forum/<int:year>/submit/<str:kind>/", views.submit, name="submit"),
    path("forum/<int:year>/review/", views.review, name="review"),
    path("forum/<int:year>/statistics/", views.statistics, name="statistics"),
    path("forum/<int:year>/agenda/", views.agenda, name="agenda"),
    path("forum/<int:year>/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("forum/<int:year>/sessions/", views.sessions_manage, name="sessions-manage"),
    path("forum/<int:year>/sessions/new/", views.session_create, name="session-create"),
    path("forum/<int:year>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("forum/<int:year>/sessions/<int:pk>.ics", views.session_ics, name="session-ics"),
    path("forum/<int:year>/sessions/<int:pk>/schedule/", views.session_schedule, name="session-schedule"),
    path("forum/<int:year>/sessions/<int:pk>/outcome/", views.session_outcome, name="session-outcome"),
    path("forum/<int:year>/outcomes/", views.outcome_document, name="outcome-document"),
    path("forum/<int:year>/outcomes/publish/", views.outcome_publish, name="outcome-publish"),
    path("forum/<int:year>/outcomes.pdf", views.outcome_pdf, name="outcome-pdf"),
    path("forum/<int:year>/outcomes.docx", views.outcome_docx, name="outcome-docx"),
]
