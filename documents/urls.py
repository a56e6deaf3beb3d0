"""The documents' pages keep the paths they had under the apps whose data they print (other
systems script against them); config/urls.py includes this module at the root."""

from django.urls import include, path

from .views import city, district, dossier, evidence, handbook, round_notice, sheets, yearly

app_name = "documents"
urlpatterns = [
    path("teachers/dossiers/", dossier.dossier_batch, name="dossier_batch"),
    path("teachers/<id:pk>/dossier/", dossier.dossier_request, name="dossier"),
    path("teachers/<id:pk>/handbook/", handbook.handbook_request, name="handbook"),
    path("teachers/<id:pk>/evidence/", evidence.evidence_request, name="evidence"),
    *round_notice.urlpatterns,
    path(
        "assessment/",
        include(sheets.urlpatterns + yearly.urlpatterns + district.urlpatterns + city.urlpatterns),
    ),
]
