"""The provider's registered client and users. Plain constants, so the tests read them without
loading the provider's Django settings."""

from dataclasses import dataclass

CLIENT_ID = "chuangkou-portal"
CLIENT_SECRET = "portal-client-secret-for-tests-only"
# The Django test client's host: the provider sends the browser back to our callback there.
REDIRECT_URI = "http://testserver/yonghu/oidc/callback/"
SCOPES = "openid profile email phone"


@dataclass(frozen=True)
class ProviderUser:
    username: str
    password: str
    email: str
    email_verified: bool
    phone_number: str = ""
    phone_number_verified: bool = False
    real_name: str = ""
    id_card_number: str = ""


# A citizen whose identity the provider confirmed in person (实名核验): real name, resident ID
# number and verified contacts.
REAL_NAME_USER = ProviderUser(
    username="wangjianguo", password="Tongyi-Renzheng-2024", email="wang.jianguo@example.cn",
    email_verified=True, phone_number="+86 137 0000 1111", phone_number_verified=True,
    real_name="王建国", id_card_number="330106198506123013",
)
# A citizen registered with the provider online only: a verified e-mail address and a mobile
# number it never checked, no real-name claims.
CONTACT_USER = ProviderUser(
    username="liuyang", password="Tongyi-Renzheng-2025", email="liu.yang@example.cn",
    email_verified=True, phone_number="13600002222", phone_number_verified=False,
)
USERS = (REAL_NAME_USER, CONTACT_USER)


def seed_provider() -> None:
    """The confidential client (authorization code, PKCE, RS256 ID tokens, no consent screen)
    and the users with their profiles."""
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    from .models import IdentityProfile

    Application = get_application_model()
    Application.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "窗口政府门户",
            "client_secret": CLIENT_SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": REDIRECT_URI,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    for person in USERS:
        user, _ = get_user_model().objects.update_or_create(
            username=person.username, defaults={"email": person.email})
        user.set_password(person.password)
        user.save()
        IdentityProfile.objects.update_or_create(user=user, defaults={
            "real_name": person.real_name, "id_card_number": person.id_card_number,
            "phone_number": person.phone_number,
            "phone_number_verified": person.phone_number_verified,
            "email_verified": person.email_verified,
        })
