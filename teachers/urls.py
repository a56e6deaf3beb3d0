from django.urls import path

from . import career_views, import_views, views

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
    path("<id:pk>/career/", career_views.teacher_career, name="career"),
    path("posts/", career_views.posts_overview, name="posts_overview"),
    path("posts/<id:pk>/end/", career_views.post_end, name="post_end"),
    path("posts/<id:pk>/remove/", career_views.post_remove, name="post_remove"),
    path("titles/<id:pk>/remove/", career_views.title_remove, name="title_remove"),
]
