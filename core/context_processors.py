from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass
class NavItem:
    label: str
    url: str = ""
    icon: str = ""
    children: list["NavItem"] = field(default_factory=list)
    active: bool = False

    def is_active(self, path: str) -> bool:
        if self.children:
            return any(child.is_active(path) for child in self.children)
        return path == self.url or (self.url != "/" and path.startswith(self.url))


def navigation(request):
    """The navigation that fits the user's roles: one place, so every page agrees."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user.scope
    staff = scope.is_superuser or scope.is_school_staff or scope.is_district_office
    manager = scope.is_superuser or bool(scope.managed_school_ids)
    # Everyone with a role at a school (teachers too: the 公示 is for them) has the notices in
    # the top bar; the district office finds them under Backbone.
    notices_on_top = bool(scope.school_roles) or scope.is_superuser
    items = [NavItem(_("Home"), reverse("home"), "house")]
    if scope.is_city_office and not staff:
        # Read only: the districts of the city compared, and each district as its office reads it.
        items.append(
            NavItem(
                _("City"),
                icon="bank",
                children=[
                    NavItem(_("City overview"), reverse("documents:city"), "grid-3x3-gap"),
                    NavItem(_("District overview"), reverse("documents:district"), "grid"),
                    NavItem(_("Schools"), reverse("schools"), "buildings"),
                    NavItem(_("Teacher roster"), reverse("teachers:list"), "people"),
                    NavItem(_("Backbone roster"), reverse("backbone:roster"), "award"),
                    NavItem(_("School years"), reverse("school_years"), "calendar3"),
                    NavItem(_("Selection rounds"), reverse("backbone:rounds"), "trophy"),
                    NavItem(_("Public notices"), reverse("backbone:notices"), "megaphone"),
                ],
            )
        )
    elif scope.is_city_office:
        items.append(NavItem(_("City overview"), reverse("documents:city"), "bank"))
    if staff:
        roster = [NavItem(_("Teacher roster"), reverse("teachers:list"), "people")]
        if manager:
            roster.append(NavItem(_("Import roster"), reverse("teachers:import"), "upload"))
        roster.append(NavItem(_("School years"), reverse("school_years"), "calendar3"))
        if scope.is_superuser or scope.is_district_office:
            roster.append(NavItem(_("Schools"), reverse("schools"), "buildings"))
            roster.append(
                NavItem(_("District overview"), reverse("documents:district"), "grid-3x3-gap")
            )
        if manager or scope.is_district_office:
            roster.append(NavItem(_("Data export"), reverse("data_export"), "file-earmark-zip"))
        items.append(NavItem(_("Teachers"), icon="people", children=roster))
        backbone = [
            NavItem(_("Backbone roster"), reverse("backbone:roster"), "award"),
            NavItem(_("Selection rounds"), reverse("backbone:rounds"), "trophy"),
        ]
        if not notices_on_top:
            # The district office runs district rounds and has no school role: their public
            # notices sit beside the rounds, where it looks for them.
            backbone.append(NavItem(_("Public notices"), reverse("backbone:notices"), "megaphone"))
        backbone += [
            NavItem(_("Reserve pool"), reverse("backbone:reserve"), "hourglass-split"),
            NavItem(_("Eligibility"), reverse("backbone:eligibility"), "check2-square"),
            NavItem(_("Eligibility rules"), reverse("backbone:rules"), "sliders"),
            NavItem(_("Annual grades"), reverse("backbone:grades"), "journal-check"),
            NavItem(_("Targets"), reverse("backbone:targets"), "bullseye"),
        ]
        items.append(NavItem(_("Backbone"), icon="award", children=backbone))
    if manager or scope.is_district_office:
        items.append(
            NavItem(
                _("Allowances"),
                icon="cash-coin",
                children=[
                    NavItem(_("Allowance sheet"), reverse("recognition:sheet"), "cash-stack"),
                    NavItem(_("Rewards"), reverse("recognition:rewards"), "gift"),
                    NavItem(_("Allowance rates"), reverse("recognition:rates"), "sliders"),
                ],
            )
        )
    records = []
    is_teacher = getattr(user, "teacher", None) is not None
    if is_teacher:
        records += [
            NavItem(_("My growth"), reverse("records:growth"), "graph-up-arrow"),
            NavItem(_("Log class observations"), reverse("records:observations_quick"), "eye"),
        ]
    if is_teacher:
        records.append(NavItem(_("My training"), reverse("training:mine"), "person-video3"))
    if manager:
        records.append(NavItem(_("Verification queue"), reverse("records:queue"), "check2-all"))
    if staff:
        records.append(NavItem(_("Training programmes"), reverse("training:programmes"), "easel"))
        records.append(
            NavItem(_("Exemptions from hours"), reverse("records:exemptions"), "hourglass-bottom")
        )
    if manager or scope.is_district_office:
        records.append(
            NavItem(_("Hours from the platform"), reverse("bureau_hours_import"), "cloud-download")
        )
    if scope.school_roles or scope.is_district_office or scope.is_superuser:
        records.append(
            NavItem(_("Open-class calendar"), reverse("records:calendar"), "calendar-week")
        )
    if is_teacher or staff or scope.led_group_ids:
        records.append(NavItem(_("Groups"), reverse("groups:list"), "diagram-3"))
    if scope.school_roles or scope.is_district_office or scope.is_superuser:
        records.append(NavItem(_("Competitions"), reverse("contests:contests"), "trophy-fill"))
        records.append(
            NavItem(_("Lesson studies"), reverse("records:lesson_studies"), "arrow-repeat")
        )
        records.append(NavItem(_("Shared library"), reverse("contests:library"), "collection"))
    if records:
        items.append(NavItem(_("Records"), icon="journal-text", children=records))
    mentoring = []
    if is_teacher or staff:
        mentoring.append(NavItem(_("Pairings"), reverse("mentoring:list"), "people-fill"))
    if staff:
        mentoring += [
            NavItem(_("Compliance overview"), reverse("mentoring:overview"), "speedometer2"),
            NavItem(_("Mentor load"), reverse("mentoring:mentors"), "person-lines-fill"),
        ]
    if mentoring:
        items.append(NavItem(_("Mentoring"), icon="people-fill", children=mentoring))
    assessment = []
    if staff:
        assessment += [
            NavItem(_("Duties"), reverse("assessment:duties_grid"), "list-check"),
            NavItem(_("Assessment rounds"), reverse("assessment:rounds"), "clipboard-check"),
            NavItem(_("Duty settings"), reverse("assessment:duty_templates"), "gear"),
        ]
    if scope.is_superuser or scope.school_ids_with({Role.PRINCIPAL}):
        assessment.append(NavItem(_("Flagged designations"), reverse("assessment:flagged"), "flag"))
    if manager or scope.is_district_office:
        assessment.append(
            NavItem(
                _("Open a new school year"), reverse("assessment:open_school_year"), "calendar-plus"
            )
        )
    if staff:
        assessment.append(
            NavItem(
                _("Yearly review report"), reverse("documents:yearly"), "file-earmark-bar-graph"
            )
        )
    if is_teacher:
        assessment += [
            NavItem(_("My duties"), reverse("assessment:my_duties"), "list-check"),
            NavItem(_("Duty report (述职)"), reverse("assessment:duty_report"), "file-text"),
        ]
    if scope.school_roles or scope.is_superuser:
        assessment.append(
            NavItem(_("Assessment results"), reverse("assessment:results_list"), "award")
        )
    if manager or scope.is_district_office:
        assessment += [
            NavItem(_("Honours (评优评先)"), reverse("honours:lists"), "patch-check"),
            NavItem(_("Priority lists"), reverse("honours:priority"), "sort-down"),
            NavItem(_("Performance pay"), reverse("honours:pay"), "cash-coin"),
            NavItem(_("Monthly checks"), reverse("assessment:monthly_checks"), "calendar-month"),
        ]
    if is_teacher:
        assessment += [
            NavItem(_("My honours"), reverse("honours:mine"), "patch-check"),
            NavItem(_("My monthly checks"), reverse("assessment:monthly_mine"), "calendar-month"),
        ]
    if assessment:
        items.append(NavItem(_("Assessment"), icon="clipboard-check", children=assessment))
    if is_teacher:
        items.append(NavItem(_("My profile"), reverse("teachers:me"), "person-badge"))
        if not staff:
            items.append(NavItem(_("Selection rounds"), reverse("backbone:rounds"), "trophy"))
    if notices_on_top:
        # "Notices", not "Public notices": the English menu must fit 1280 px (公示栏 in Chinese).
        items.append(NavItem(_("Notices"), reverse("backbone:notices"), "megaphone"))
    items.append(NavItem(_("My files"), reverse("jobs"), "file-earmark-arrow-down"))
    links = [leaf for item in items for leaf in (item.children or [item])]
    for item in items:
        item.active = item.is_active(request.path)
    return {"nav_items": items, "nav_links": links[1:], "scope": scope}
