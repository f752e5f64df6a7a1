"""`Cache-Control: no-store` on every page of a signed-in session.

Any such page may show personal data (a name, a result, a masked NIR); no browser cache,
back-button snapshot or shared proxy may keep a copy. Static files never reach this point
(WhiteNoise answers them first), so they stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
