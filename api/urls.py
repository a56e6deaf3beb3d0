from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import hours, reads

app_name = "api"

# The API answers a missing or bad token itself (401), never with the login page.
urlpatterns = [
    path("v1/schools/", login_not_required(reads.SchoolList.as_view()), name="schools"),
    path("v1/teachers/", login_not_required(reads.TeacherList.as_view()), name="teachers"),
    path(
        "v1/designations/", login_not_required(reads.DesignationList.as_view()), name="designations"
    ),
    path("v1/records/", login_not_required(reads.RecordList.as_view()), name="records"),
    path("v1/hours/", login_not_required(hours.HoursView.as_view()), name="hours"),
    path("v1/results/", login_not_required(reads.ResultList.as_view()), name="results"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
]
