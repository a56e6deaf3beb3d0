from . import (
    views,
    views_applications,
    views_assessment,
    views_calendar,
    views_feedback,
    views_mine,
    views_signin,
)
from .needs import views as views_needs
from .report import views as views_report

app_name = "training"
urlpatterns = [
    *views.urlpatterns,
    *views_signin.urlpatterns,
    *views_mine.urlpatterns,
    *views_assessment.urlpatterns,
    *views_feedback.urlpatterns,
    *views_report.urlpatterns,
    *views_needs.urlpatterns,
    *views_applications.urlpatterns,
    *views_calendar.urlpatterns,
]
