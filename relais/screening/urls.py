from django.urls import path

from relais.access.policy import Action
from relais.access.routes import Public, Requires, register_routes
from relais.screening import views

app_name = "screening"

urlpatterns = [
    path("p/<slug:slug>/", views.preregister, name="prereg_public"),
    path("screening/preregistration/poster/", views.poster, name="prereg_poster"),
    path("screening/preregistration/pickup/", views.pickup, name="prereg_pickup"),
]

register_routes(
    {
        "screening:prereg_public": Public(),
        "screening:prereg_poster": Requires(Action.PREREGISTRATION_PICKUP),
        "screening:prereg_pickup": Requires(Action.PREREGISTRATION_PICKUP),
    }
)
