from .views import calendar, entries, workflow

app_name = "records"
urlpatterns = [*entries.urlpatterns, *workflow.urlpatterns, *calendar.urlpatterns]
