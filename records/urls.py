from .views import calendar, entries, exemptions, workflow

app_name = "records"
urlpatterns = [
    *entries.urlpatterns,
    *workflow.urlpatterns,
    *calendar.urlpatterns,
    *exemptions.urlpatterns,
]
