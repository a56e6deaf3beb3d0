"""What the refusal page says for each reason (services.SSORefused)."""

from django.utils.translation import gettext_lazy as _

from core.forms import LoginForm

TEXTS = {
    "missing": (
        _("Your district account does not say who you are in Gugan"),
        _(
            "The identity service signed you in but did not send the staff number, email or "
            "phone that Gugan matches logins by. Ask your school's training office to pass "
            "this on to the district's identity service administrators."
        ),
    ),
    "unknown": (
        _("No Gugan login goes with your district account"),
        _(
            "Gugan found nobody with the details your district account sent. Ask your "
            "school's training office to add you to the roster and give you a login; they can "
            "also check that Gugan has the same staff number, email or phone as the district."
        ),
    ),
    "no_login": (
        _("You are on the roster but have no Gugan login yet"),
        _(
            "Your school has you on its roster, but nobody has given you a login. Ask your "
            "school's training office to create your login; then sign in again."
        ),
    ),
    "switched_off": (
        _("Your Gugan login is switched off"),
        LoginForm.error_messages["inactive"],
    ),
    "ambiguous": (
        _("Several Gugan logins match your district account"),
        _(
            "More than one login has the details your district account sent, so Gugan cannot "
            "tell which one is yours. Ask your school's training office to correct the roster."
        ),
    ),
    "unavailable": (
        _("The district's identity service did not answer"),
        _(
            "Gugan could not reach the identity service to confirm who you are. Try again in "
            "a few minutes; if it keeps failing, ask your school's training office."
        ),
    ),
    "failed": (
        _("Signing in through the district account did not work"),
        _(
            "The identity service did not confirm who you are. Try again from the login page; "
            "if it keeps failing, ask your school's training office."
        ),
    ),
}


def refusal_text(reason: str) -> tuple[str, str]:
    return TEXTS.get(reason, TEXTS["failed"])
