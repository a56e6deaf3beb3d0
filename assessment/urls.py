from .views import district, duties, rounds, yearly

app_name = "assessment"
urlpatterns = [
    *duties.urlpatterns,
    *rounds.urlpatterns,
    *yearly.urlpatterns,
    *district.urlpatterns,
]
