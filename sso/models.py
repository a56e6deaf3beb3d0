from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Link(models.Model):
    """The identity a login was made from by SSO_ROLE_MAP (field and value), so the same
    person finds the same login next time even without a roster row to match."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_links",
        verbose_name=_("user"),
    )
    field = models.CharField(_("matched by"), max_length=20)
    value = models.CharField(_("value"), max_length=254)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")
        constraints = [
            models.UniqueConstraint(fields=["field", "value"], name="sso_link_unique_value")
        ]

    def __str__(self):
        return f"{self.field}={self.value} → {self.user}"
