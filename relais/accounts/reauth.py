"""Re-authentication for sensitive actions: exports, staff and API-key management, MFA
changes. Recently (5 minutes): a passkey, or the password and a second factor.

Use ``require_recent_reauthentication(request)`` at the top of a view (it returns the
redirect to send, or None), or decorate the view with ``reauthentication_required``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from relais.accounts import sessions

View = Callable[..., HttpResponse]


def require_recent_reauthentication(request: HttpRequest) -> HttpResponse | None:
    """None when the session re-authenticated strongly just now; else where to do it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if sessions.strongly_reauthenticated(request):
        return None
    if not is_mfa_enabled(request.user):
        # Enrolling a first factor: the password, recently, is all there is to prove.
        if sessions.recently_proved_password(request):
            return None
        return redirect_to_login(request.get_full_path(), login_url="account_reauthenticate")
    if sessions.recently_proved_password(request):
        return redirect_to_login(request.get_full_path(), login_url="mfa_reauthenticate")
    return redirect_to_login(request.get_full_path(), login_url="account_reauthenticate")


def reauthentication_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return require_recent_reauthentication(request) or view(request, *args, **kwargs)

    return wrapper
