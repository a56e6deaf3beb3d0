"""The read endpoints: each lists what its user's pages show (api.selectors), a page at a
time, ordered by id."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from .. import filters, selectors, serializers
from .schema import error_responses


class ScopedList(generics.ListAPIView):
    """A list through one selector of api.selectors, called with the token's user."""

    selector = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no user, only the model
            return self.serializer_class.Meta.model.objects.none()
        return type(self).selector(user=self.request.user)

    @classmethod
    def documented(cls, summary: str, description: str = ""):
        serializer = cls.serializer_class
        return extend_schema(
            summary=summary,
            description=description,
            responses={200: serializer(many=True), **error_responses()},
        )(cls)


def _list(name, selector, serializer, filterset, summary, description=""):
    view = type(
        name,
        (ScopedList,),
        {
            "selector": staticmethod(selector),
            "serializer_class": serializer,
            "filterset_class": filterset,
            "__doc__": summary,
        },
    )
    return view.documented(summary, description)


SchoolList = _list(
    "SchoolList",
    selectors.schools,
    serializers.SchoolSerializer,
    filters.SchoolFilter,
    "Schools",
    "The schools whose staff or district office the user belongs to.",
)
TeacherList = _list(
    "TeacherList",
    selectors.teachers,
    serializers.TeacherSerializer,
    filters.TeacherFilter,
    "Teachers",
    "The teachers whose profile the user may open, with their staff number. Phone, email and "
    "birth date are null where the user may not see them.",
)
DesignationList = _list(
    "DesignationList",
    selectors.designations,
    serializers.DesignationSerializer,
    filters.DesignationFilter,
    "Backbone designations",
)
RecordList = _list(
    "RecordList",
    selectors.verified_records,
    serializers.RecordSerializer,
    filters.RecordFilter,
    "Verified records",
    "Only verified records: drafts and records awaiting verification are not listed.",
)
ResultList = _list(
    "ResultList",
    selectors.posted_results,
    serializers.ResultSerializer,
    filters.ResultFilter,
    "Posted assessment results",
    "Grades of posted rounds (公示), as the results page shows them: never a score.",
)
