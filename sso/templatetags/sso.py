from django import template
from django.conf import settings

from sso.protocols import LDAP, buttons, enabled

register = template.Library()


@register.inclusion_tag("sso/_buttons.html", takes_context=True)
def sso_buttons(context):
    """The single sign-on buttons of the login page, keeping where the visitor was going."""
    request = context["request"]
    return {
        "buttons": buttons(request.GET.get("next", "")),
        "password_login": settings.PASSWORD_LOGIN,
        "ldap": enabled(LDAP),
    }
