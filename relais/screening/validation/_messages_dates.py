"""French and English texts for the date codes (split from messages.py for size)."""

from __future__ import annotations

DATE_MESSAGES: dict[str, dict[str, str]] = {
    "birth_date.required": {
        "fr": "La date de naissance est obligatoire.",
        "en": "The birth date is required.",
    },
    "birth_date.invalid": {
        "fr": "Date de naissance invalide (AAAA-MM-JJ).",
        "en": "Invalid birth date (YYYY-MM-DD).",
    },
    "birth_date.in_future": {
        "fr": "La date de naissance est dans le futur.",
        "en": "The birth date is in the future.",
    },
    "birth_date.too_old": {
        "fr": "La date de naissance remonte à plus de {max} ans.",
        "en": "The birth date is more than {max} years ago.",
    },
    "sampled_at.required": {
        "fr": "L'heure du prélèvement est obligatoire.",
        "en": "The sample time is required.",
    },
    "sampled_at.invalid": {"fr": "Heure du prélèvement invalide.", "en": "Invalid sample time."},
    "sampled_at.naive": {
        "fr": "L'heure du prélèvement doit préciser son fuseau horaire.",
        "en": "The sample time must include its time zone.",
    },
    "sampled_at.in_future": {
        "fr": "L'heure du prélèvement est dans le futur.",
        "en": "The sample time is in the future.",
    },
    "sampled_at.too_old": {
        "fr": "Le prélèvement date de plus de {days} jours.",
        "en": "The sample is more than {days} days old.",
    },
    "symptoms_onset.required": {
        "fr": "Indiquez la date de début des symptômes.",
        "en": "Give the date the symptoms started.",
    },
    "symptoms_onset.invalid": {
        "fr": "Date de début des symptômes invalide (AAAA-MM-JJ).",
        "en": "Invalid symptom onset date (YYYY-MM-DD).",
    },
    "symptoms_onset.without_symptoms": {
        "fr": "Date de début des symptômes saisie pour un patient sans symptômes.",
        "en": "Symptom onset date given for a patient without symptoms.",
    },
    "symptoms_onset.after_sample": {
        "fr": "Les symptômes ne peuvent pas commencer après le prélèvement.",
        "en": "Symptoms cannot start after the sample.",
    },
    "symptoms_onset.too_old": {
        "fr": "Les symptômes ont commencé plus de {days} jours avant le prélèvement.",
        "en": "Symptoms started more than {days} days before the sample.",
    },
}
