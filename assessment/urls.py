from .views import duties, rounds

app_name = "assessment"
urlpatterns = [
    *duties.urlpatterns,
    *rounds.urlpatterns,
]
