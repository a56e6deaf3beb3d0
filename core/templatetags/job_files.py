"""``{% export_owner %}``: the owner select of a list's export button, shown only to users who
have a choice (core.job_files)."""

from django import template

from core.job_files import OwnerForm

register = template.Library()


@register.inclusion_tag("core/_export_owner.html", takes_context=True)
def export_owner(context):
    form = OwnerForm(user=context["request"].user)
    return {"form": form}
