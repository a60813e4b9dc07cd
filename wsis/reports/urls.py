from django.urls import path

from . import feeds, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("feeds/documents.atom", feeds.DocumentFeed(), name="feed"),
    path("reports/stocktaking/new/", views.stocktaking_new, name="stocktaking-new"),
    path("reports/documents/<int:pk>/", views.document_detail, name="document"),
    path("reports/documents/<int:pk>/narratives/", views.document_narratives, name="document-narratives"),
    path("reports/documents/<int:pk>/publish/", views.document_publish, name="document-publish"),
    path("reports/documents/<int:pk>/new-version/", views.document_new_version, name="document-new-version"),
    path("reports/documents/<int:pk>/file.<str:fmt>", views.document_file, name="document-file"),
]
