"""Document labels of the closed vocabularies, in the reader's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

# Documents show times as the pharmacy reads its clock.
PARIS = ZoneInfo("Europe/Paris")


def kind_label(kind: str) -> str:
    return {
        "rapid_antigen": _("Test antigénique rapide"),
        "rt_pcr": _("Prélèvement RT-PCR"),
        "supervised_self_test": _("Autotest supervisé"),
    }.get(kind, kind)


def result_label(result: str) -> str:
    return {
        "positive": _("Positif"),
        "negative": _("Négatif"),
        "not_interpretable": _("Non interprétable"),
    }.get(result, result)
