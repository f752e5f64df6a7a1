"""E-mail notices on account events: a new device, every credential change.

They say what happened and when, and what to do if it was not you; never a secret, a code,
a link that signs in, nor any patient data. Sent after the transaction commits, through
Django's mail (``MAILERS``); a mail failure is logged (without the address) and never undoes
the change.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger("relais.accounts")

SUBJECTS = {
    "new_device": "Relais : connexion depuis un nouvel appareil",
    "password_changed": "Relais : votre mot de passe a été modifié",
    "factor_added": "Relais : un facteur d'authentification a été ajouté",
    "factor_removed": "Relais : un facteur d'authentification a été retiré",
    "recovery_codes_generated": "Relais : de nouveaux codes de secours ont été générés",
    "factors_reset": "Relais : vos facteurs d'authentification ont été réinitialisés",
}


def notify(user: AbstractBaseUser, kind: str) -> None:
    """Queue the notice ``kind`` to ``user`` for after the commit."""
    subject = SUBJECTS[kind]
    address = str(getattr(user, "email", ""))
    body = render_to_string(
        "accounts/email/notice.txt", {"kind": kind, "when": timezone.localtime()}
    )
    user_id = user.pk

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:
            logger.warning("account notice %s to user %s could not be sent", kind, user_id)

    transaction.on_commit(deliver)


def send_invitation(address: str, link: str, *, reset: bool, hours: int) -> None:
    """The invitation itself: the only mail carrying a link, single-use and short-lived."""
    subject = (
        "Relais : réinitialisez l'accès à votre compte"
        if reset
        else "Relais : vous êtes invité(e) à rejoindre Relais"
    )
    body = render_to_string(
        "accounts/email/invitation.txt", {"link": link, "reset": reset, "hours": hours}
    )
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
