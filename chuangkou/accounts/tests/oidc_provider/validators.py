from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import IdentityProfile


class IdentityClaimsValidator(OAuth2Validator):
    """Releases the profile's claims the way a government identity provider does: contacts with
    their verified flags under the ``email`` and ``phone`` scopes, the real name and resident ID
    number under ``profile``, and only for users whose identity it has confirmed."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "id_card_number": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        profile = IdentityProfile.objects.filter(user=user).first()
        claims = {}
        if user.email:
            claims["email"] = user.email
            claims["email_verified"] = bool(profile and profile.email_verified)
        if profile is None:
            return claims
        if profile.phone_number:
            claims["phone_number"] = profile.phone_number
            claims["phone_number_verified"] = profile.phone_number_verified
        if profile.real_name and profile.id_card_number:
            claims["name"] = profile.real_name
            claims["id_card_number"] = profile.id_card_number
        return claims
