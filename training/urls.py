from . import (
    views,
    views_applications,
    views_assessment,
    views_calendar,
    views_mine,
    views_signin,
)

app_name = "training"
urlpatterns = [
    *views.urlpatterns,
    *views_signin.urlpatterns,
    *views_mine.urlpatterns,
    *views_assessment.urlpatterns,
    *views_applications.urlpatterns,
    *views_calendar.urlpatterns,
]
