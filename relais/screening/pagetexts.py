"""Texts of the pre-registration pages, French first, English on request.

Kept as data like the validation catalogue (patients choose English with `?lang=en` or
their browser's language), so the public page is complete without compiled catalogues.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest

LANGS = ("fr", "en")

TEXTS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "title": "Pré-enregistrement pour un dépistage",
        "intro": "Saisissez votre identité avant votre test : à l'officine, montrez le code.",
        "last_name": "Nom de naissance",
        "first_names": "Prénom(s), séparés par des virgules",
        "sex": "Sexe",
        "sex_F": "Femme",
        "sex_M": "Homme",
        "sex_U": "Non précisé",
        "birth_date": "Date de naissance",
        "nir": "Numéro de sécurité sociale (NIR)",
        "no_nir_reason": "Sans NIR, pourquoi ?",
        "reason_": "—",
        "reason_foreign_resident": "Je réside à l'étranger",
        "reason_newborn": "Nouveau-né",
        "reason_undocumented": "Pas de couverture sociale",
        "reason_not_provided_by_patient": "Je ne le connais pas",
        "email": "Adresse e-mail",
        "phone": "Téléphone mobile",
        "address_line": "Adresse",
        "postal_code": "Code postal",
        "city": "Ville",
        "country": "Pays (code à deux lettres)",
        "submit": "Obtenir mon code",
        "fix": "Corrigez les champs signalés ; les autres sont conservés.",
        "done": "Votre code",
        "done_help": "Montrez ce code (ou le QR code) au comptoir. Il expire dans 48 heures.",
        "privacy": "Vos données sont chiffrées et effacées après 48 heures si vous ne venez pas.",
        "too_many": "Trop de demandes depuis cette connexion. Merci de réessayer un peu plus tard.",
        "poster_title": "Pré-enregistrez-vous avant votre test",
        "poster_help": "Scannez ce QR code ou ouvrez l'adresse ci-dessous.",
        "pickup_title": "Récupérer un pré-enregistrement",
        "code": "Code du patient",
        "find": "Rechercher",
        "not_found": "Aucun pré-enregistrement valide pour ce code.",
        "record": "Enregistrer le dépistage",
        "recorded": "Dépistage enregistré.",
        "existing": "Ce dépistage était déjà enregistré.",
    },
    "en": {
        "title": "Pre-registration for a screening test",
        "intro": "Enter your identity before your test; at the pharmacy, show the code.",
        "last_name": "Last name (at birth)",
        "first_names": "Given name(s), comma-separated",
        "sex": "Sex",
        "sex_F": "Female",
        "sex_M": "Male",
        "sex_U": "Not stated",
        "birth_date": "Date of birth",
        "nir": "French social security number (NIR)",
        "no_nir_reason": "No NIR: why?",
        "reason_": "—",
        "reason_foreign_resident": "I live abroad",
        "reason_newborn": "Newborn",
        "reason_undocumented": "No social security cover",
        "reason_not_provided_by_patient": "I do not know it",
        "email": "E-mail address",
        "phone": "Mobile phone",
        "address_line": "Address",
        "postal_code": "Postal code",
        "city": "City",
        "country": "Country (two-letter code)",
        "submit": "Get my code",
        "fix": "Please fix the fields marked; the others are kept.",
        "done": "Your code",
        "done_help": "Show this code (or the QR code) at the counter. It expires in 48 hours.",
        "privacy": "Your data is encrypted and erased after 48 hours if you do not come.",
        "too_many": "Too many requests from this connection. Please try again a little later.",
        "poster_title": "Pre-register before your test",
        "poster_help": "Scan this QR code or open the address below.",
        "pickup_title": "Pick up a pre-registration",
        "code": "Patient's code",
        "find": "Search",
        "not_found": "No valid pre-registration for this code.",
        "record": "Record the screening",
        "recorded": "Screening recorded.",
        "existing": "This screening was already recorded.",
    },
}


def language(request: HttpRequest) -> str:
    """`?lang=` first, then the language negotiated from Accept-Language, else French."""
    asked = request.GET.get("lang", "")
    if asked in LANGS:
        return asked
    negotiated = str(getattr(request, "LANGUAGE_CODE", "fr"))[:2]
    return negotiated if negotiated in LANGS else "fr"
