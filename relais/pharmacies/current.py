"""Which pharmacy a page acts for: one of the actor's own, never taken on trust from input."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from relais.access.policy import Action, pharmacies_for
from relais.pharmacies.actors import request_actor

SESSION_KEY = "web_pharmacy"


def current_pharmacy(request: HttpRequest, action: Action) -> int:
    """The pharmacy chosen in this session if the actor may do `action` there, else the
    first one where it may; 404 when there is none (the route table let a role through
    that holds the action in no active pharmacy)."""
    allowed = pharmacies_for(request_actor(request), action)
    if not allowed:
        raise Http404
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in allowed else allowed[0]
