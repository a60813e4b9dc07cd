from django.urls import path

from wsis.core.cache import public_page

from . import feeds, views

app_name = "stocktaking"

urlpatterns = [
    path("initiatives/", views.search, name="search"),
    path("initiatives/new/", views.create, name="create"),
    path("initiatives/mine/", views.mine, name="mine"),
    path("initiatives/import/", views.import_upload, name="import"),
    path("initiatives/import/template.<str:fmt>", views.import_template, name="import-template"),
    path("initiatives/export.<str:fmt>", views.export, name="export"),
    path("initiatives/exports/", views.export_job_list, name="export-jobs"),
    path("initiatives/exports/<int:pk>/", views.export_job_detail, name="export-job"),
    path("initiatives/exports/<int:pk>/download", views.export_job_download, name="export-job-download"),
    path("initiatives/<int:pk>/", views.detail, name="detail"),
    path("initiatives/<int:pk>/edit/", views.edit, name="edit"),
    path("initiatives/<int:pk>/progress/", views.progress, name="progress"),
    path("initiatives/<int:pk>/archive/", views.archive, name="archive"),
    path("initiatives/<int:pk>/translations/", views.translations, name="translations"),
    path("initiatives/<int:pk>/translations/<str:language>/", views.translation_edit, name="translation-edit"),
    path("initiatives/<int:pk>/translations/<str:language>/delete/", views.translation_delete,
         name="translation-delete"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_detail, name="moderation-detail"),
    path("moderation/<int:pk>/tags/", views.moderation_tags, name="moderation-tags"),
    path("moderation/data-quality/", views.data_quality, name="data-quality"),
    path("moderation/data-quality/prefilled/", views.prefilled_queue, name="prefilled-queue"),
    path("feeds/initiatives.atom", public_page(feeds.InitiativeFeed()), name="feed"),
]
