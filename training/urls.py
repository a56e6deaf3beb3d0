from . import views

app_name = "training"
urlpatterns = [*views.urlpatterns]
