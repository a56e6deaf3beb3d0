"""What every endpoint may answer besides its items, so the schema documents each status."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

Error = inline_serializer("Error", {"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "FieldErrors",
    {"field": serializers.ListField(child=serializers.CharField(), required=False)},
)


def error_responses() -> dict:
    return {
        400: OpenApiResponse(FieldErrors, description="A query parameter is malformed."),
        401: OpenApiResponse(Error, description="No token, or it is unknown, revoked, expired."),
        403: OpenApiResponse(Error, description="The token's scope does not allow this."),
        404: OpenApiResponse(Error, description="No such page."),
        429: OpenApiResponse(Error, description="Too many requests: wait and try again."),
    }
