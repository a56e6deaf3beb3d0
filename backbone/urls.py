from .views import designations, planning, recusal, rounds

app_name = "backbone"
urlpatterns = [
    *designations.urlpatterns,
    *rounds.urlpatterns,
    *recusal.urlpatterns,
    *planning.urlpatterns,
]
