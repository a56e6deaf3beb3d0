from . import views, views_mine, views_signin

app_name = "training"
urlpatterns = [*views.urlpatterns, *views_signin.urlpatterns, *views_mine.urlpatterns]
