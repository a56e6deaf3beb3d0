from django.db.models.signals import post_save
from django.dispatch import receiver

from core.models import District

from .services.tiers import tiers_ensure_defaults


@receiver(post_save, sender=District)
def district_gets_default_tiers(sender, instance, created, **kwargs):
    if created:
        tiers_ensure_defaults(district=instance)
