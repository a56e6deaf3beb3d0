from django.urls import path

from . import offline, views

urlpatterns = [
    path("schools/", views.school_list, name="schools"),
    path("search/groups/", views.group_search, name="group_search"),
    path("school-years/", views.school_year_list, name="school_years"),
    path("school-years/new/", views.school_year_edit, name="school_year_new"),
    path("school-years/<id:pk>/edit/", views.school_year_edit, name="school_year_edit"),
    path("holidays/<id:pk>/remove/", views.holiday_remove, name="holiday_remove"),
    path("language/", views.language_switch, name="language"),
    path("files/", views.job_list, name="jobs"),
    path("files/<id:pk>/", views.job_detail, name="job"),
    path("files/<id:pk>/download/", views.job_download, name="job_download"),
    path("files/<id:pk>/retry/", views.job_retry_view, name="job_retry"),
    path("files/<id:pk>/regenerate/", views.job_regenerate, name="job_regenerate"),
    path("health/", views.health, name="health"),
    *offline.urlpatterns,
]
