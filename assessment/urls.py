from .views import duties, monthly, rounds

app_name = "assessment"
urlpatterns = [
    *duties.urlpatterns,
    *rounds.urlpatterns,
    *monthly.urlpatterns,
]
