"""Django's password checks in Gugan's words (settings.AUTH_PASSWORD_VALIDATORS): the rules are
Django's, the sentences a teacher reads on the password page are ours (Django's Chinese reads
"这个密码全部是数字的。")."""

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return (
            ngettext(
                "This password is too short: use at least %d character.",
                "This password is too short: use at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too close to your %(verbose_name)s: choose another one.")

    def get_help_text(self):
        return _("Not close to your name, username or email address.")


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common: choose one that is harder to guess.")

    def get_help_text(self):
        return _("Not a common password.")


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits: add letters or other characters.")

    def get_help_text(self):
        return _("Not digits only.")
