from .views import activities, organisation, plans, preparation

app_name = "groups"
urlpatterns = [
    *organisation.urlpatterns,
    *plans.urlpatterns,
    *activities.urlpatterns,
    *preparation.urlpatterns,
]
