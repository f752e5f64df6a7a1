from django.db import models
from django.utils.translation import gettext_lazy as _


class PharmacyRole(models.TextChoices):
    OWNER = "owner", _("Pharmacien titulaire")
    PHARMACIST = "pharmacist", _("Pharmacien")
    TECHNICIAN = "technician", _("Préparateur")


class PlatformRole(models.TextChoices):
    NONE = "", _("Aucun")
    OPERATOR = "operator", _("Opérateur")
    AUDITOR = "auditor", _("Auditeur")
