from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.pharmacies.actors import request_actor


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"actor": request_actor(request)})
