from django.db.models.signals import post_save
from django.dispatch import receiver

from backbone.models import Designation

from .services import mentor_rewards_propose


@receiver(post_save, sender=Designation)
def apprentice_designated(sender, instance, created, raw=False, **kwargs):
    """A designation made: its mentors get a reward proposed, for the principal to decide."""
    if created and not raw:
        mentor_rewards_propose(designation=instance)
