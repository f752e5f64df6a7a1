from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from relais.access.middleware import request_actor


def home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(request, "web/home.html", {"actor": actor})
