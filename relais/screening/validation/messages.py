"""French and English texts for every validation code.

Kept as data rather than gettext calls because these modules must work without Django
settings; the web layer may later wrap `render` in gettext. Texts never interpolate a
submitted value except a single refused character (`{character}`), and never a NIR.
"""

from __future__ import annotations

from collections.abc import Mapping

from relais.screening.validation._messages_dates import DATE_MESSAGES

__all__ = ["MESSAGES"]


def _text_family(prefix: str, fr_what: str, en_what: str) -> dict[str, dict[str, str]]:
    """The shared character/length codes of free-text fields (names, address parts)."""
    return {
        f"{prefix}.required": {
            "fr": f"{fr_what} est obligatoire.",
            "en": f"{en_what} is required.",
        },
        f"{prefix}.invalid": {"fr": f"{fr_what} est invalide.", "en": f"{en_what} is invalid."},
        f"{prefix}.too_long": {
            "fr": f"{fr_what} dépasse {{max}} caractères.",
            "en": f"{en_what} is longer than {{max}} characters.",
        },
        f"{prefix}.control_character": {
            "fr": f"{fr_what} contient un caractère de contrôle invisible.",
            "en": f"{en_what} contains an invisible control character.",
        },
        f"{prefix}.stray_mark": {
            "fr": f"{fr_what} contient un accent isolé, sans lettre.",
            "en": f"{en_what} contains an accent that is not on a letter.",
        },
        f"{prefix}.digit": {
            "fr": f"{fr_what} ne peut pas contenir de chiffre (« {{character}} »).",
            "en": f"{en_what} cannot contain digits (“{{character}}”).",
        },
        f"{prefix}.symbol": {
            "fr": f"{fr_what} ne peut pas contenir d'emoji ni de symbole (« {{character}} »).",
            "en": f"{en_what} cannot contain emoji or symbols (“{{character}}”).",
        },
        f"{prefix}.forbidden_character": {
            "fr": f"{fr_what} contient un caractère non autorisé (« {{character}} »).",
            "en": f"{en_what} contains a character that is not allowed (“{{character}}”).",
        },
    }


MESSAGES: Mapping[str, Mapping[str, str]] = {
    **_text_family("name", "Le nom", "The name"),
    "name.no_letter": {
        "fr": "Le nom doit contenir une lettre.",
        "en": "The name must contain a letter.",
    },
    "name.hyphen_at_edge": {
        "fr": "Le nom ne peut ni commencer ni finir par un trait d'union.",
        "en": "The name cannot start or end with a hyphen.",
    },
    "name.non_latin_script": {
        "fr": "Nom hors alphabet latin : vérifiez la translittération de la pièce d'identité.",
        "en": "Name not in the Latin alphabet: check the transliteration on the identity document.",
    },
    "first_names.too_many": {
        "fr": "Pas plus de {max} prénoms.",
        "en": "No more than {max} given names.",
    },
    **_text_family("address", "Ce champ d'adresse", "This address field"),
    "address.no_letter_or_digit": {
        "fr": "Ce champ d'adresse doit contenir une lettre ou un chiffre.",
        "en": "This address field must contain a letter or a digit.",
    },
    "country.invalid": {
        "fr": "Le pays doit être un code ISO à deux lettres (FR, BE…).",
        "en": "The country must be a two-letter ISO code (FR, BE…).",
    },
    **_text_family("postal_code", "Le code postal", "The postal code"),
    "postal_code.invalid_fr": {
        "fr": "Un code postal français compte 5 chiffres.",
        "en": "A French postal code has 5 digits.",
    },
    "nir.required": {"fr": "Le NIR est obligatoire.", "en": "The NIR is required."},
    "nir.bad_characters": {
        "fr": "Le NIR ne contient que des chiffres (et 2A ou 2B pour la Corse).",
        "en": "The NIR has digits only (and 2A or 2B for Corsica).",
    },
    "nir.missing_key": {
        "fr": "Il manque la clé du NIR (les 2 derniers chiffres).",
        "en": "The NIR key (last 2 digits) is missing.",
    },
    "nir.wrong_length": {
        "fr": "Le NIR compte {length} caractères, clé comprise.",
        "en": "The NIR has {length} characters, key included.",
    },
    "nir.bad_first_digit": {
        "fr": "Le premier chiffre du NIR doit être 1, 2, 3, 4, 7 ou 8.",
        "en": "The first digit of the NIR must be 1, 2, 3, 4, 7 or 8.",
    },
    "nir.bad_key": {"fr": "La clé du NIR est incorrecte.", "en": "The NIR key is wrong."},
    "nir.temporary": {
        "fr": "NIR provisoire (7 ou 8) : vérifiez s'il existe un NIR définitif.",
        "en": "Temporary NIR (7 or 8): check whether a permanent one exists.",
    },
    "nir.unusual_month": {
        "fr": "Le mois inscrit dans le NIR est inhabituel : vérifiez la saisie.",
        "en": "The month within the NIR is unusual: check the entry.",
    },
    "nir.sex_mismatch": {
        "fr": "Le sexe indiqué ne correspond pas au NIR.",
        "en": "The sex given does not match the NIR.",
    },
    "nir.birth_year_mismatch": {
        "fr": "L'année de naissance ne correspond pas au NIR.",
        "en": "The year of birth does not match the NIR.",
    },
    "nir.birth_month_mismatch": {
        "fr": "Le mois de naissance ne correspond pas au NIR.",
        "en": "The month of birth does not match the NIR.",
    },
    "no_nir_reason.required": {
        "fr": "Sans NIR, indiquez pourquoi.",
        "en": "Without a NIR, give the reason.",
    },
    "no_nir_reason.invalid": {
        "fr": "Motif d'absence de NIR inconnu.",
        "en": "Unknown reason for the missing NIR.",
    },
    "no_nir_reason.unexpected": {
        "fr": "Un NIR est saisi : retirez le motif d'absence de NIR.",
        "en": "A NIR is given: remove the reason for a missing NIR.",
    },
    "phone.required": {
        "fr": "Le téléphone est obligatoire.",
        "en": "The phone number is required.",
    },
    "phone.invalid": {"fr": "Numéro de téléphone invalide.", "en": "Invalid phone number."},
    "phone.not_mobile": {
        "fr": "Ce numéro n'est pas un mobile : le patient ne recevra pas de SMS.",
        "en": "This is not a mobile number: the patient will not get text messages.",
    },
    "email.required": {
        "fr": "L'adresse e-mail est obligatoire.",
        "en": "The e-mail address is required.",
    },
    "email.invalid": {"fr": "Adresse e-mail invalide.", "en": "Invalid e-mail address."},
    "contact.required": {
        "fr": "Indiquez un e-mail ou un téléphone pour prévenir le patient.",
        "en": "Give an e-mail address or a phone number to reach the patient.",
    },
    "sex.required": {"fr": "Le sexe est obligatoire.", "en": "Sex is required."},
    "sex.invalid": {"fr": "Le sexe doit être F, M ou U.", "en": "Sex must be F, M or U."},
    **DATE_MESSAGES,
}
