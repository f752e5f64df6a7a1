"""The processor's records, generated from the running configuration (never hand-kept).

``processing_record()`` is the record of processing activities a processor keeps under
GDPR art. 30(2); ``pharmacy_sheet()`` is the page a pharmacy (the controller) keeps to
show what its processor does for it. Both are Markdown; both read settings and code, so
they say what this deployment actually does: its retention periods, key provider,
database host, SI-DEP host, audit retention, hosting provider and DPO contact.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlparse

from django.conf import settings

from relais.pharmacies.models import Pharmacy, PharmacyStatus
from relais.privacy import schedule
from relais.vault.fields import encrypted_fields, models_with_encrypted_fields

PURPOSES = (
    "Relay each COVID-19 screening result recorded by a pharmacy to SI-DEP, the national "
    "screening information system (legal obligation of the pharmacy)",
    "Show the pharmacy the platform's answer, and issue the patient's receipt",
    "Bill the pharmacy per transmission (billing records hold no personal data)",
)
PERSONS = (
    "Patients screened in the pharmacies (and people who pre-register for a test)",
    "Pharmacy staff using Relais (e-mail address, name, role, sign-in events)",
)


# Shown on the sheets of a development install, which may leave both unset (production
# cannot: a system check refuses to start without them).
HOSTING_PLACEHOLDER = "HDS-certified host — set me (RELAIS_HOSTING_PROVIDER)"
DPO_PLACEHOLDER = "DPO contact — set me (RELAIS_DPO_CONTACT)"


def _hosting() -> str:
    return str(settings.RELAIS_HOSTING_PROVIDER or HOSTING_PLACEHOLDER)


def _dpo() -> str:
    return str(settings.RELAIS_DPO_CONTACT or DPO_PLACEHOLDER)


def _host(url: str) -> str:
    return urlparse(url).hostname or "not configured"


def _database() -> str:
    db = settings.DATABASES["default"]
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return "SQLite file on the application host (development and demo only)"
    return f"{engine} on host {db.get('HOST') or 'local socket'}"


def _key_provider() -> str:
    if settings.RELAIS_KEY_PROVIDER == "pkcs11":
        return f"HSM through PKCS#11 (token {settings.RELAIS_PKCS11_TOKEN_LABEL})"
    return "keyring file outside the database (development and demo only)"


def data_categories() -> list[str]:
    """Each data class of encrypted fields, with the records holding it (from the code)."""
    by_class: dict[str, set[str]] = defaultdict(set)
    for model in models_with_encrypted_fields():
        for field in encrypted_fields(model):
            by_class[str(field.data_class)].add(model._meta.label)
    return [f"{name}: {', '.join(sorted(labels))}" for name, labels in sorted(by_class.items())]


def security_measures() -> list[str]:
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    factors = ", ".join(getattr(settings, "MFA_SUPPORTED_TYPES", []))
    return [
        "Every personal-data field encrypted with AES-256-GCM, bound to its pharmacy, record "
        "and field; data keys per pharmacy and month wrapped by monthly key-encryption keys "
        f"held by: {_key_provider()}",
        "Crypto-shredding: a month's keys are destroyed once its data is past retention, so "
        "backups of that month cannot be decrypted",
        "Searches through HMAC-SHA256 blind indexes with per-pharmacy keys (no plain hash)",
        f"Passwords stored with Argon2id ({hasher}); multi-factor authentication mandatory "
        f"({factors}); re-authentication before exports",
        "Sessions expire after "
        f"{settings.RELAIS_SESSION_IDLE_SECONDS // 60} minutes idle; invitation-only accounts",
        "Append-only audit log of every access to personal data, sealed in a Merkle tree with "
        f"signed checkpoints (origin {settings.RELAIS_AUDIT_ORIGIN}), kept "
        f"{settings.RELAIS_AUDIT_RETENTION_DAYS} days",
        f"Mutual TLS to SI-DEP ({_host(settings.RELAIS_SIDEP_URL)})",
        "Exports built in memory and streamed, never written to disk; no directory listing",
    ]


def _retention_lines(pharmacy_id: int | None = None) -> list[str]:
    lines = [
        f"| {r.data} | {r.retention} | {r.starts} | {r.legal_basis} |" for r in schedule.schedule()
    ]
    if pharmacy_id is not None:
        days = schedule.screening_days(pharmacy_id)
        lines.append(
            f"| Screening personal data, this pharmacy's contract | {days} days | "
            "SI-DEP's final acknowledgement | contract |"
        )
    return ["| Data | Retention | From | Why |", "|---|---|---|---|", *lines]


def _bullets(items: list[str] | tuple[str, ...]) -> list[str]:
    return [f"- {item}" for item in items]


def processing_record() -> str:
    controllers = Pharmacy.objects.filter(status=PharmacyStatus.ACTIVE).count()
    lines = [
        "# Record of processing activities — processor (GDPR art. 30(2))",
        "",
        "## Processor",
        f"- Relais; data protection officer: {_dpo()}",
        f"- Hosting: {_hosting()}",
        f"- Database: {_database()}",
        "",
        "## Controllers",
        f"- {controllers} active pharmacies (each the controller of its own patients' data; "
        "per-pharmacy sheet: `relais compliance report --pharmacy FINESS`)",
        "",
        "## Categories of processing (purposes)",
        *_bullets(PURPOSES),
        "",
        "## Categories of persons",
        *_bullets(PERSONS),
        "",
        "## Categories of personal data (encrypted fields, by class)",
        *_bullets(data_categories()),
        "",
        "## Recipients",
        f"- SI-DEP, the national screening platform ({_host(settings.RELAIS_SIDEP_URL)})",
        "- No other recipient; the operator of Relais has no access to patient data",
        "",
        "## Transfers outside the European Union",
        "- None",
        "",
        "## Retention",
        *_retention_lines(),
        "",
        "## Security measures (art. 32)",
        *_bullets(security_measures()),
    ]
    return "\n".join(lines) + "\n"


def pharmacy_sheet(pharmacy: Pharmacy) -> str:
    lines = [
        f"# Compliance sheet — {pharmacy.name} (FINESS {pharmacy.finess})",
        "",
        "Your pharmacy is the data controller; Relais is your processor (GDPR art. 28).",
        "",
        "## What Relais does for you",
        *_bullets(PURPOSES),
        "",
        "## Where your data is hosted",
        f"- {_hosting()}",
        f"- Database: {_database()}; keys: {_key_provider()}",
        "- No transfer outside the European Union",
        "",
        "## How long it is kept",
        *_retention_lines(pharmacy.pk),
        "",
        "## How persons exercise their rights",
        "- An owner or pharmacist opens *Demandes d'exercice des droits* (/privacy/requests/), "
        "finds the person by NIR or e-mail, then exports (JSON or PDF), rectifies (a "
        "correction relayed to SI-DEP) or erases.",
        "- Erasure is refused, with its legal basis recorded, while SI-DEP has not "
        "acknowledged a screening (legal duty to report, GDPR art. 17(3)(b)).",
        "",
        "## Security measures",
        *_bullets(security_measures()),
        "",
        "## Contact",
        f"- Data protection officer of the processor: {_dpo()}",
    ]
    return "\n".join(lines) + "\n"
