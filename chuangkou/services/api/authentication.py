"""``Authorization: Bearer ck_…``: the key a system administrator issued to a department's
back-office system (业务系统对接). The API answers 401 without a valid active key and 429 when a
key makes more than ``SERVICES_API_REQUESTS_PER_MINUTE`` requests in a minute."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import BasePermission

from chuangkou.core.ratelimit import count_hit

from ..actions.integration import API_KEY_PREFIX, back_office_key_digest, record_back_office_use
from ..models import BackOfficeSystem

__all__ = ["BackOfficeKeyAuthentication", "IsBackOfficeSystem"]

DEFAULT_REQUESTS_PER_MINUTE = 120
KEY_MAX_LENGTH = 200


class BackOfficeKeyAuthentication(BaseAuthentication):
    """The request acts as ``request.auth`` (a ``BackOfficeSystem``); ``request.user`` stays
    anonymous, so no staff right can ever come from a key."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Authorization 头格式应为：Bearer ck_…"))
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("接口密钥无效。")) from None
        if not key.startswith(API_KEY_PREFIX) or len(key) > KEY_MAX_LENGTH:
            raise AuthenticationFailed(_("接口密钥无效。"))
        digest = back_office_key_digest(key)
        system = (BackOfficeSystem.objects.select_related("body")
                  .filter(key_digest=digest).first())
        if system is None:
            raise AuthenticationFailed(_("接口密钥无效或已更换。"))
        if not system.is_active:
            raise AuthenticationFailed(_("该业务系统已停用。"))
        limit = getattr(settings, "SERVICES_API_REQUESTS_PER_MINUTE", DEFAULT_REQUESTS_PER_MINUTE)
        # Keyed by the digest, not the row: a new key starts a fresh count.
        if count_hit(f"services-backoffice-api:{digest[:24]}", window_seconds=60) > limit:
            raise Throttled(wait=60, detail=_("调用过于频繁：每个接口密钥每分钟最多%(limit)d次。")
                            % {"limit": limit})
        record_back_office_use(system=system)
        return AnonymousUser(), system

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="chuangkou-services"'


class IsBackOfficeSystem(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, BackOfficeSystem)


class BackOfficeKeyScheme(OpenApiAuthenticationExtension):
    target_class = BackOfficeKeyAuthentication
    name = "backOfficeKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http", "scheme": "bearer", "bearerFormat": "ck_<prefix><secret>",
            "description": str(_("系统管理员在管理后台“业务系统对接”中为部门业务系统发放的接口密钥，"
                                 "只显示一次。")),
        }
