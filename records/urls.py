from .views import calendar, entries, lessonstudy, workflow

app_name = "records"
urlpatterns = [
    *entries.urlpatterns,
    *workflow.urlpatterns,
    *calendar.urlpatterns,
    *lessonstudy.urlpatterns,
]
