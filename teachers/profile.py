"""The parts of a teacher's page that the apps above the roster show: their designations, their
growth, the dossier to print. The roster knows none of them; each app registers its part (in a
``profile.py`` its AppConfig.ready() imports) and the page renders the parts in order."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Teacher

# The buttons beside the name and the cards under the profile on the teacher's page; the cards
# of the growth page (records' "My growth").
PLACES = ("actions", "sections", "growth")
PAGE_PLACES = ("actions", "sections")


@dataclass(frozen=True)
class ProfilePart:
    template: str
    # (request, teacher, the page's context) -> what the template needs beyond the page's
    context: Callable[[HttpRequest, Teacher, dict], dict]
    order: int
    place: str


PARTS: list[ProfilePart] = []


def profile_part(*, template: str, order: int, place: str = "sections"):
    """Register the decorated context function with the template it fills."""
    if place not in PLACES:
        raise ValueError(place)

    def register(context: Callable[[HttpRequest, Teacher, dict], dict]):
        part = ProfilePart(template, context, order, place)
        if part not in PARTS:
            PARTS.append(part)
        return context

    return register


def render_profile_parts(
    request: HttpRequest, teacher: Teacher, page: dict, places=PAGE_PLACES
) -> dict[str, list[SafeString]]:
    """Each place's parts as HTML, rendered with the page's context and the part's own
    (only the parts of ``places``: the teacher's page by default)."""
    rendered = {place: [] for place in places}
    for part in sorted(PARTS, key=lambda p: p.order):
        if part.place not in places:
            continue
        context = {**page, **part.context(request, teacher, page)}
        rendered[part.place].append(render_to_string(part.template, context, request=request))
    return rendered
