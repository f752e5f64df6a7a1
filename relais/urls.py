from django.urls import include, path

from relais.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("relais.accounts.urls")),
    path("", include("relais.web.urls")),
    path("", include("relais.audit.urls")),
    path("", include("relais.screening.urls")),
    path("api/v1/", include("relais.api.urls")),
    path("billing/", include("relais.billing.urls")),
    path("privacy/", include("relais.privacy.urls")),
]

handler400 = "relais.web.errors.bad_request"
handler403 = "relais.web.errors.forbidden"
handler404 = "relais.web.errors.not_found"
handler500 = "relais.web.errors.server_error"
