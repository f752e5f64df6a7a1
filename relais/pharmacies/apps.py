from django.apps import AppConfig


class PharmaciesConfig(AppConfig):
    name = "relais.pharmacies"
    label = "pharmacies"
