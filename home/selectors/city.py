"""The city office's section: its districts (区县), each linking to that district's overview,
and the city overview comparing them."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from core.models import District, Role

from .todos import Action, Line, Section, counted


def city_section(*, user) -> Section:
    districts = list(
        District.objects.filter(pk__in=user.scope.city_district_ids)
        .annotate(school_count=Count("schools"))
        .order_by("code")
    )
    todo = counted(
        ngettext_lazy("%(count)d district in the city", "%(count)d districts in the city", "count"),
        total=len(districts),
        url=reverse("documents:city"),
        icon="bank",
        done_tone=True,
        lines=[
            Line(
                d.name,
                reverse("documents:district") + f"?district={d.pk}",
                ngettext("%(n)d school", "%(n)d schools", d.school_count) % {"n": d.school_count},
            )
            for d in districts
        ],
    )
    return Section(
        role=Role.CITY_OFFICE,
        title=_("City office"),
        todos=[todo],
        actions=[Action(_("Compare the districts"), reverse("documents:city"), "grid-3x3-gap")],
    )
