"""Which identity level (身份等级) a citizen's personal data gives them."""

from .choices import IdentityLevel

__all__ = ["identity_level_for"]


def identity_level_for(*, email_verified: bool, mobile_verified: bool,
                       real_name_verified: bool) -> str:
    """Real-name when a name and ID number were confirmed (by staff or the government identity
    provider); verified contact when a mobile number or e-mail address answered a code;
    unverified otherwise."""
    if real_name_verified:
        return IdentityLevel.REAL_NAME
    if email_verified or mobile_verified:
        return IdentityLevel.VERIFIED_CONTACT
    return IdentityLevel.UNVERIFIED
