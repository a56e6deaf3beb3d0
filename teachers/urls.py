from django.urls import path

from . import import_views, views

app_name = "teachers"
urlpatterns = [
    path("", views.teacher_list, name="list"),
    path("export/", views.teacher_export, name="export"),
    path("new/", views.teacher_create, name="create"),
    path("me/", views.my_profile, name="me"),
    path("import/", import_views.roster_import_upload, name="import"),
    path("import/confirm/", import_views.roster_import_confirm, name="import_confirm"),
    path("<id:pk>/", views.teacher_detail, name="detail"),
    path("<id:pk>/edit/", views.teacher_edit, name="edit"),
    path("<id:pk>/account/", views.teacher_account, name="account"),
]
