from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation items that fit the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user.scope
    items = [(_("Home"), reverse("home"), "house")]
    if scope.is_superuser or scope.is_school_staff or scope.is_district_office:
        items.append((_("Teachers"), reverse("teachers:list"), "people"))
    if scope.is_superuser or scope.is_district_office:
        items.append((_("Schools"), reverse("schools"), "buildings"))
    if scope.is_superuser or scope.managed_school_ids:
        items.append((_("Import roster"), reverse("teachers:import"), "upload"))
    if hasattr(user, "teacher") and user.teacher is not None:
        items.append((_("My profile"), reverse("teachers:me"), "person-badge"))
    if scope.is_superuser or scope.is_district_office or scope.is_school_staff:
        items.append((_("School years"), reverse("school_years"), "calendar3"))
    items.append((_("My files"), reverse("jobs"), "file-earmark-arrow-down"))
    return {"nav_items": items, "scope": scope}
