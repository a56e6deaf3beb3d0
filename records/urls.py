from .views import calendar, entries, exemptions, lessonstudy, workflow

app_name = "records"
urlpatterns = [
    *entries.urlpatterns,
    *workflow.urlpatterns,
    *calendar.urlpatterns,
    *lessonstudy.urlpatterns,
    *exemptions.urlpatterns,
]
