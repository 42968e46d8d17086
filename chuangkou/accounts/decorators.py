"""Guards of the citizen pages: signed in as a citizen (not staff), at a given identity level."""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from chuangkou.sitecluster.queries import site_for_path

from .choices import IdentityLevel
from .queries import citizen_account_of, level_at_least

__all__ = ["citizen_required"]


def citizen_required(view=None, *, level: str = IdentityLevel.UNVERIFIED):
    """Anonymous visitors go to the citizen sign-in and come back; a signed-in user without a
    citizen account (staff) gets 403 explaining that staff accounts are not citizen accounts; a
    citizen below ``level`` gets 403 naming the level needed and how to reach it.
    ``request.citizen`` is the account inside the view."""

    def decorator(function):
        @wraps(function)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:sign_in')}?{query}")
            account = citizen_account_of(request.user)
            if account is None:
                return render(request, "accounts/not_a_citizen.html",
                              {"cluster_site": site_for_path("/")}, status=403)
            if not level_at_least(account.identity_level, level):
                return render(request, "accounts/level_required.html",
                              {"needed": IdentityLevel(level), "account": account,
                               "cluster_site": site_for_path("/")}, status=403)
            request.citizen = account
            return function(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
