from .views import district, duties, rounds, sheets, yearly

app_name = "assessment"
urlpatterns = [
    *duties.urlpatterns,
    *rounds.urlpatterns,
    *sheets.urlpatterns,
    *yearly.urlpatterns,
    *district.urlpatterns,
]
