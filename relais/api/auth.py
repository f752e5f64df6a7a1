"""Ninja's bearer scheme: it names the API's security in the OpenAPI document and hands the
caller to the endpoints as `request.auth`. It decides nothing: the edge's gate
(`relais.http.api_gate`) authenticated the key and checked its scope before ninja ran."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from relais.http.api_gate import admitted_caller
from relais.pharmacies.apikeys.authentication import ApiCaller


class ApiKeyAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiCaller | None:
        return admitted_caller(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        return admitted_caller(request)
