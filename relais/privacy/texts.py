"""French and English texts of the privacy codes (registered with `relais.core.fielderrors`)."""

from __future__ import annotations

from relais.core.fielderrors import Catalogue

PRIVACY_MESSAGES: Catalogue = {
    "subject.nir_or_email_required": {
        "fr": "Indiquez le NIR ou l'adresse e-mail de la personne.",
        "en": "Give the person's NIR or e-mail address.",
    },
    "subject.nothing_to_rectify": {
        "fr": "Aucun dépistage de cette personne n'est encore conservé : rien à rectifier.",
        "en": "No screening of this person is still held: nothing to rectify.",
    },
    "retention.out_of_bounds": {
        "fr": "La durée de conservation doit être comprise entre {minimum} et {maximum} jours.",
        "en": "The retention period must be between {minimum} and {maximum} days.",
    },
}
