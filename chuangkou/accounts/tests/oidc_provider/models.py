from django.conf import settings
from django.db import models


class IdentityProfile(models.Model):
    """What the identity provider knows about one of its users and releases as claims."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="identity_profile")
    real_name = models.CharField(max_length=30, blank=True)
    id_card_number = models.CharField(max_length=18, blank=True)
    phone_number = models.CharField(max_length=20, blank=True)
    phone_number_verified = models.BooleanField(default=False)
    email_verified = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.user.get_username()
