from django.urls import path

from . import views

urlpatterns = [path("data-export/", views.data_export, name="data_export")]
