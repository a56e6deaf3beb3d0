from . import views, views_signin

app_name = "training"
urlpatterns = [*views.urlpatterns, *views_signin.urlpatterns]
