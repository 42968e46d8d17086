from django.conf import settings

from .context import client_address, request_user


def client_address_from(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only from configured proxies."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(client_address_from(request))
        # request.user is lazy: it is only looked up if a receiver needs the actor.
        user_token = request_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            request_user.reset(user_token)
            client_address.reset(token)
