"""RFC 9457 problem details: every error of the API — the endpoints', the edge's refusals
and the error pages under `/api/` — as `application/problem+json`.

Titles are chosen in the caller's language (French first, English on `Accept-Language: en`);
a problem never repeats submitted values, so it can carry no personal data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse
from django.utils import translation

from relais.core.context import current_request
from relais.core.fielderrors import FieldError
from relais.core.fielderrors import render as render_error

CONTENT_TYPE = "application/problem+json"

# slug → (status, French title, English title)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "malformed-request": (400, "Requête mal formée", "Malformed request"),
    "unauthenticated": (401, "Clé d'API absente ou invalide", "Missing or invalid API key"),
    "forbidden": (403, "Action non permise à cette clé", "Action not allowed for this key"),
    "pharmacy-suspended": (403, "Pharmacie suspendue", "Pharmacy suspended"),
    "not-found": (404, "Ressource introuvable", "Resource not found"),
    "method-not-allowed": (405, "Méthode non permise", "Method not allowed"),
    "idempotency-conflict": (
        409,
        "Clé d'idempotence déjà utilisée avec un autre contenu",
        "Idempotency key already used with a different body",
    ),
    "idempotency-in-progress": (
        409,
        "Requête identique en cours de traitement",
        "An identical request is still being processed",
    ),
    "body-too-large": (413, "Corps de requête trop volumineux", "Request body too large"),
    "unsupported-media-type": (
        415,
        "Type de contenu non pris en charge (application/json attendu)",
        "Unsupported media type (application/json expected)",
    ),
    "validation": (422, "Données invalides", "Invalid data"),
    "rate-limited": (429, "Trop de requêtes", "Too many requests"),
    "server-error": (500, "Erreur interne", "Internal error"),
}


def language() -> str:
    return "en" if (translation.get_language() or "fr").startswith("en") else "fr"


class ApiProblem(Exception):
    """Raised anywhere under the API; turned into a problem response by the handlers."""

    def __init__(
        self,
        slug: str,
        detail: str = "",
        *,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(slug)
        self.slug = slug
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})

    @property
    def status(self) -> int:
        return PROBLEMS[self.slug][0]


def problem_body(slug: str, detail: str = "", errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    status, title_fr, title_en = PROBLEMS[slug]
    lang = language()
    body: dict[str, Any] = {
        "type": f"urn:relais:problem:{slug}",
        "title": title_en if lang == "en" else title_fr,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    context = current_request()
    if context is not None:
        body["request_id"] = context.request_id
    listed = list(errors)
    if listed:
        body["errors"] = [field_error(e, lang) for e in listed]
    return body


# The API's own codes; every other code is the screening validators' (their texts).
API_MESSAGES: dict[str, dict[str, str]] = {
    "body.not_object": {"fr": "Un objet JSON est attendu.", "en": "A JSON object is expected."},
    "items.required": {
        "fr": "« items » doit être une liste non vide de dépistages.",
        "en": "'items' must be a non-empty list of screenings.",
    },
    "items.too_many": {
        "fr": "Au plus {max} dépistages par lot.",
        "en": "At most {max} screenings per batch.",
    },
    "reason.required": {
        "fr": "Le motif d'annulation est obligatoire.",
        "en": "The cancellation reason is required.",
    },
    "idempotency_key.invalid": {
        "fr": "La clé d'idempotence doit compter 1 à {max} caractères ASCII visibles.",
        "en": "The idempotency key must be 1 to {max} visible ASCII characters.",
    },
    "api_key.name_invalid": {
        "fr": "Le nom de la clé est obligatoire ({max} caractères au plus).",
        "en": "The key's name is required (at most {max} characters).",
    },
    "api_key.scopes_invalid": {
        "fr": "Choisissez au moins une portée parmi screenings:write et screenings:read.",
        "en": "Choose at least one scope among screenings:write and screenings:read.",
    },
    "api_key.expiry_past": {
        "fr": "La date d'expiration doit être dans le futur.",
        "en": "The expiry date must be in the future.",
    },
}
PARAMETER_MESSAGE = {"fr": "Paramètre invalide.", "en": "Invalid parameter."}


def message(error: FieldError, lang: str) -> str:
    texts = API_MESSAGES.get(error.code)
    if texts is None and error.code.startswith("parameter."):
        texts = PARAMETER_MESSAGE
    if texts is None:
        return render_error(error, lang)
    try:
        return texts[lang].format(**error.params)
    except (KeyError, IndexError, ValueError):
        return texts[lang]


def field_error(error: FieldError, lang: str) -> dict[str, str]:
    return {"field": error.field, "code": error.code, "detail": message(error, lang)}


def problem_response(problem: ApiProblem) -> HttpResponse:
    return respond(problem.slug, problem.detail, problem.errors, problem.headers)


def respond(
    slug: str,
    detail: str = "",
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = problem_body(slug, detail, errors)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=body["status"], content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if body["status"] == 401:  # noqa: PLR2004
        response["WWW-Authenticate"] = 'Bearer realm="relais"'
    return response
