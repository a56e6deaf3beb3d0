from . import views, views_compliance

app_name = "mentoring"
urlpatterns = [*views.urlpatterns, *views_compliance.urlpatterns]
