from .views import designations, planning, rounds

app_name = "backbone"
urlpatterns = [*designations.urlpatterns, *rounds.urlpatterns, *planning.urlpatterns]
