from .views import contests, entries, judging, library, printing

app_name = "contests"
urlpatterns = [
    *contests.urlpatterns,
    *entries.urlpatterns,
    *judging.urlpatterns,
    *printing.urlpatterns,
    *library.urlpatterns,
]
