"""French and English texts for the screening-level codes, on top of the identity ones.

Registered with `relais.core.fielderrors` by the app's `ready`, like the identity ones:
codes are stable, params never carry personal data, French first.
"""

from __future__ import annotations

from collections.abc import Mapping

SCREENING_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "patient.required": {
        "fr": "L'identité du patient est obligatoire.",
        "en": "The patient's identity is required.",
    },
    "patient.invalid": {"fr": "Identité du patient invalide.", "en": "Invalid patient identity."},
    "test_kind.required": {
        "fr": "Le type de test est obligatoire.",
        "en": "The test kind is required.",
    },
    "test_kind.invalid": {
        "fr": "Type de test inconnu (test antigénique, RT-PCR ou autotest supervisé).",
        "en": "Unknown test kind (rapid antigen, RT-PCR or supervised self-test).",
    },
    "device_id.required": {
        "fr": "Un test antigénique doit indiquer le dispositif utilisé (liste européenne).",
        "en": "A rapid antigen test must name the device used (EU list).",
    },
    "device_id.unknown": {
        "fr": "Ce dispositif ne figure pas dans la liste européenne importée.",
        "en": "This device is not in the imported EU list.",
    },
    "device_id.inactive": {
        "fr": "Ce dispositif n'est plus autorisé (retiré de la liste européenne).",
        "en": "This device is no longer authorised (removed from the EU list).",
    },
    "device_id.unexpected": {
        "fr": "Un prélèvement RT-PCR n'indique pas de dispositif.",
        "en": "An RT-PCR sample names no device.",
    },
    "result.required": {"fr": "Le résultat est obligatoire.", "en": "The result is required."},
    "result.invalid": {
        "fr": "Le résultat doit être positif, négatif ou non interprétable.",
        "en": "The result must be positive, negative or not interpretable.",
    },
    "symptoms.required": {
        "fr": "Indiquez si le patient a des symptômes.",
        "en": "Say whether the patient has symptoms.",
    },
    "symptoms.invalid": {"fr": "Réponse invalide (oui ou non).", "en": "Invalid answer (yes/no)."},
    "consent.required": {
        "fr": "Sans le consentement du patient, le résultat ne peut pas être transmis.",
        "en": "Without the patient's consent, the result cannot be transmitted.",
    },
    "consent.invalid": {"fr": "Réponse invalide (oui ou non).", "en": "Invalid answer (yes/no)."},
    "external_ref.invalid": {
        "fr": "Référence externe invalide (100 caractères imprimables au plus).",
        "en": "Invalid external reference (at most 100 printable characters).",
    },
    "notes.too_long": {
        "fr": "Le motif dépasse {max} caractères.",
        "en": "The reason is longer than {max} characters.",
    },
    "notes.control_character": {
        "fr": "Le motif contient un caractère de contrôle invisible.",
        "en": "The reason contains an invisible control character.",
    },
    "screening.duplicate": {
        "fr": "Un autre dépistage de ce patient a déjà ce type et cette heure de prélèvement.",
        "en": "Another screening of this patient already has this kind and sample time.",
    },
    "screening.cancelled": {
        "fr": "Ce dépistage est annulé : il ne peut plus être modifié.",
        "en": "This screening is cancelled: it can no longer be changed.",
    },
    "changes.empty": {"fr": "Aucune modification.", "en": "No change."},
    "code.invalid": {"fr": "Code invalide.", "en": "Invalid code."},
    "status.invalid": {"fr": "Statut inconnu.", "en": "Unknown status."},
    "cursor.invalid": {"fr": "Curseur de page invalide.", "en": "Invalid page cursor."},
    "period.invalid": {
        "fr": "Période invalide : la fin doit suivre le début.",
        "en": "Invalid period: the end must come after the start.",
    },
    "period.too_many": {
        "fr": "Plus de {max} dépistages sur cette période : réduisez-la.",
        "en": "More than {max} screenings in this period: shorten it.",
    },
}
