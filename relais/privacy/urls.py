"""Routes of the privacy pages; each is declared in the permission table below.

No route carries an identifier of a person: NIR, e-mail and patient ids travel in POST
bodies only.
"""

from django.urls import path

from relais.access.policy import Action
from relais.access.routes import Requires, register_routes
from relais.privacy import views

app_name = "privacy"

urlpatterns = [
    path("requests/", views.requests_page, name="requests"),
    path("requests/export/", views.export, name="export"),
    path("requests/rectify/", views.rectify, name="rectify"),
    path("requests/erase/", views.erase, name="erase"),
]

register_routes(
    {
        "privacy:requests": Requires(Action.SUBJECT_REQUEST),
        "privacy:export": Requires(Action.SUBJECT_REQUEST),
        "privacy:rectify": Requires(Action.SUBJECT_REQUEST),
        "privacy:erase": Requires(Action.SUBJECT_REQUEST),
    }
)
