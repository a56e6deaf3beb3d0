"""``/api/v1/hours/``: the training-hours ledger (GET) and the hours the bureau's platform
pushes (POST, a token of scope hours)."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import filters, selectors
from ..bureau.entries import CREATED, UNCHANGED, UPDATED, PushedEntrySerializer, hours_push
from ..bureau.sources import external_id_of
from ..permissions import HoursScope
from ..serializers import HoursEntrySerializer
from .reads import ScopedList
from .schema import Error, error_responses


class PushSerializer(serializers.Serializer):
    entries = PushedEntrySerializer(many=True)


PushResult = inline_serializer(
    "PushResult",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "entries": inline_serializer(
            "PushedEntryResult",
            {
                "external_id": serializers.CharField(),
                "id": serializers.IntegerField(),
                "action": serializers.ChoiceField([CREATED, UPDATED, UNCHANGED]),
            },
            many=True,
        ),
    },
)
PushErrors = inline_serializer(
    "PushErrors",
    {
        "entries": serializers.ListField(
            child=serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
        ),
        "detail": serializers.CharField(required=False),
    },
)
EXAMPLE = {
    "entries": [
        {
            "external_id": "JXJY-2025-000123",
            "school": "A001",
            "staff_no": "T0001",
            "name": "李明",
            "course": "新课标背景下的大单元教学",
            "date": "2025-10-18",
            "hours": "6",
            "school_based": False,
            "organiser_level": "district",
        }
    ]
}


class HoursView(ScopedList):
    selector = staticmethod(selectors.ledger)
    serializer_class = HoursEntrySerializer
    filterset_class = filters.HoursFilter
    permission_classes = [HoursScope]

    @extend_schema(
        summary="Training-hours ledger",
        description="Verified training records, whoever entered them: the teacher (verified by "
        "the school), the session register, or the bureau's platform (credited_from).",
        responses={200: HoursEntrySerializer(many=True), **error_responses()},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Push training hours",
        description="A batch of entries from the continuing-education platform. Every entry is "
        "checked first; one bad entry and nothing of the batch is written (400, errors in the "
        "entry's place). Sending an entry again changes nothing: its external_id keys it.",
        request=PushSerializer,
        responses={
            200: PushResult,
            400: OpenApiResponse(PushErrors, description="Entries with field errors."),
            401: OpenApiResponse(Error),
            403: OpenApiResponse(Error),
            413: OpenApiResponse(Error, description="Too many entries in one batch."),
            429: OpenApiResponse(Error),
        },
        examples=[OpenApiExample("One entry", value=EXAMPLE, request_only=True)],
    )
    def post(self, request, *args, **kwargs):
        data = request.data
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            return Response(
                {"entries": [], "detail": _("Send {“entries”: [...]} with at least one entry.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if len(entries) > settings.API_PUSH_MAX_ENTRIES:
            return Response(
                {
                    "detail": _("At most %(n)d entries per batch.")
                    % {"n": settings.API_PUSH_MAX_ENTRIES}
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        checked = hours_push(user=request.user, entries=entries)
        if not checked.ok:
            return Response(
                {"entries": checked.errors, "detail": _("Nothing of the batch was written.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": checked.count(CREATED),
                "updated": checked.count(UPDATED),
                "unchanged": checked.count(UNCHANGED),
                "entries": [
                    {
                        "external_id": external_id_of(p.values["source"]),
                        "id": p.record_id,
                        "action": p.action,
                    }
                    for p in checked.planned
                ],
            }
        )
