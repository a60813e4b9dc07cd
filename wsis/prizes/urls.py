from django.urls import path

from . import views

app_name = "prizes"

urlpatterns = [
    path("prizes/", views.home, name="home"),
    path("prizes/methodology/", views.methodology, name="methodology"),
    path("prizes/<int:year>/", views.contest_detail, name="contest"),
    path("prizes/<int:year>/enter/", views.enter, name="enter"),
    path("prizes/<int:year>/my-votes/", views.my_votes, name="my-votes"),
    path("prizes/<int:year>/categories/<slug:slug>/", views.category_detail, name="category"),
    path("prizes/<int:year>/categories/<slug:slug>/vote/", views.vote, name="vote"),
    path("prizes/<int:year>/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("prizes/<int:year>/entries/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("prizes/<int:year>/entries/<int:pk>/score/", views.score, name="score"),
    path("prizes/<int:year>/review/", views.review, name="review"),
    path("prizes/<int:year>/review/conflicts/", views.conflict_declare, name="conflict-declare"),
    path("prizes/<int:year>/integrity/", views.integrity, name="integrity"),
    path("prizes/<int:year>/integrity/votes/", views.integrity_votes, name="integrity-votes"),
    path("prizes/<int:year>/selection/", views.selection, name="selection"),
    path("prizes/<int:year>/selection/experts/", views.expert_assign, name="expert-assign"),
    path("prizes/<int:year>/selection/finalists/", views.finalists_select, name="finalists-select"),
    path("prizes/<int:year>/selection/publish/", views.publish, name="publish"),
    path("prizes/<int:year>/selection/<slug:slug>/", views.confirm, name="confirm"),
    path("prizes/<int:year>/results/", views.results, name="results"),
    path("prizes/<int:year>/results/success-stories/", views.success_stories, name="success-stories"),
    path("prizes/<int:year>/results/<slug:slug>/", views.category_results, name="category-results"),
]
