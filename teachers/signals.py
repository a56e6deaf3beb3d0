from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Teacher
from .services import teacher_roles_end


@receiver(post_save, sender=Teacher)
def leaver_loses_roles(sender, instance, **kwargs):
    """Every path that marks a teacher as left (the edit form, the roster import, the admin,
    a service) saves the teacher: this is the one place their roles at the school end."""
    if not instance.is_active and instance.user_id is not None:
        teacher_roles_end(teacher=instance)
