"""Routes of the pharmacist web app; each is declared in the permission table below."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from relais.access.policy import Action
from relais.access.routes import Public, Requires, SignedIn, register_routes
from relais.web.views import account, counter, dashboard, exports, followup, home, receipts

screens = [
    path("counter/", counter.counter, name="counter"),
    path("counter/validate/", counter.validate, name="counter_validate"),
    path("counter/pickup/", counter.pickup, name="counter_pickup"),
    path("counter/patient/", counter.returning, name="counter_returning"),
    path("followup/", followup.followup, name="followup"),
    path("followup/<uuid:screening_id>/", followup.screening, name="screening"),
    path("followup/<uuid:screening_id>/correct/", followup.correct, name="correct"),
    path("followup/<uuid:screening_id>/cancel/", followup.cancel, name="cancel"),
    path("followup/transmissions/<int:transmission_id>/replay/", followup.replay, name="replay"),
    path("receipt/", receipts.receipt, name="receipt"),
    path("exports/", exports.export, name="export"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("account/", account.account, name="account"),
    path("account/staff/", account.staff, name="staff"),
    path("account/staff/<int:membership_id>/deactivate/", account.deactivate, name="deactivate"),
    path("account/api-keys/", account.api_keys, name="api_keys"),
    path("account/api-keys/<int:key_id>/revoke/", account.revoke_key, name="revoke_key"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include((screens, "web"), namespace="web")),
]

register_routes(
    {
        "set_language": Public(),
        "web:counter": Requires(Action.SCREENING_CREATE),
        "web:counter_validate": Requires(Action.SCREENING_CREATE),
        "web:counter_pickup": Requires(Action.PREREGISTRATION_PICKUP),
        "web:counter_returning": Requires(Action.SCREENING_CREATE),
        "web:followup": Requires(Action.SCREENING_READ),
        "web:screening": Requires(Action.SCREENING_READ),
        "web:correct": Requires(Action.SCREENING_CORRECT),
        "web:cancel": Requires(Action.SCREENING_CANCEL),
        "web:replay": Requires(Action.TRANSMISSION_REPLAY),
        "web:receipt": Requires(Action.SCREENING_READ),
        "web:export": Requires(Action.SCREENING_EXPORT),
        "web:dashboard": Requires(Action.DASHBOARD_VIEW),
        "web:account": SignedIn(),
        "web:staff": Requires(Action.STAFF_MANAGE),
        "web:deactivate": Requires(Action.STAFF_MANAGE),
        "web:api_keys": Requires(Action.APIKEY_MANAGE),
        "web:revoke_key": Requires(Action.APIKEY_MANAGE),
    }
)
