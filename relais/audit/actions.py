"""Every kind of audited event. Stored as text; the enumeration is the vocabulary."""

from enum import StrEnum


class AuditAction(StrEnum):
    # Personal data
    SCREENING_RECORDED = "screening.recorded"
    SCREENING_CORRECTED = "screening.corrected"
    SCREENING_CANCELLED = "screening.cancelled"
    SCREENING_VIEWED = "screening.viewed"
    SCREENINGS_LISTED = "screening.listed"
    SCREENINGS_EXPORTED = "screening.exported"
    RECEIPT_ISSUED = "screening.receipt_issued"
    PATIENT_FOUND = "patient.found"
    PREREGISTRATION_CREATED = "preregistration.created"
    PREREGISTRATION_PICKED_UP = "preregistration.picked_up"
    # Relay
    TRANSMISSION_ATTEMPTED = "transmission.attempted"
    TRANSMISSION_ACKNOWLEDGED = "transmission.acknowledged"
    TRANSMISSION_REJECTED = "transmission.rejected"
    TRANSMISSION_DEAD = "transmission.dead"
    TRANSMISSION_REPLAYED = "transmission.replayed"
    TRANSMISSIONS_VIEWED = "transmission.viewed"
    RELAY_HEALTH_VIEWED = "relay.health_viewed"
    # Authentication
    SIGN_IN_SUCCEEDED = "auth.sign_in_succeeded"
    SIGN_IN_FAILED = "auth.sign_in_failed"
    SECOND_FACTOR_SUCCEEDED = "auth.second_factor_succeeded"
    SECOND_FACTOR_FAILED = "auth.second_factor_failed"
    ACCOUNT_LOCKED = "auth.account_locked"
    SIGNED_OUT = "auth.signed_out"
    PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 (an event name)
    FACTOR_ADDED = "auth.factor_added"
    FACTOR_REMOVED = "auth.factor_removed"
    REAUTHENTICATED = "auth.reauthenticated"
    # Administration
    PHARMACY_CREATED = "admin.pharmacy_created"
    PHARMACY_SUSPENDED = "admin.pharmacy_suspended"
    PHARMACY_REACTIVATED = "admin.pharmacy_reactivated"
    STAFF_INVITED = "admin.staff_invited"
    STAFF_JOINED = "admin.staff_joined"
    STAFF_DEACTIVATED = "admin.staff_deactivated"
    API_KEY_CREATED = "admin.api_key_created"
    API_KEY_REVOKED = "admin.api_key_revoked"
    KEYS_INITIALISED = "admin.keys_initialised"
    KEYS_REENCRYPTED = "admin.keys_reencrypted"
    KEY_ROTATED = "admin.key_rotated"
    KEY_DESTROYED = "admin.key_destroyed"
    DEMO_DATA_CREATED = "admin.demo_data_created"
    # Oversight
    ACCESS_DENIED = "access.denied"
    AUDIT_VIEWED = "audit.viewed"
    ALERT_RAISED = "audit.alert_raised"
    DATA_PURGED = "privacy.data_purged"
    AUDIT_PURGED = "audit.purged"
    # Screening reference data and the public pre-registration link (issue 4)
    VALUESET_IMPORTED = "admin.valueset_imported"
    PREREGISTRATION_LINK_SHOWN = "preregistration.link_shown"
    # Audit oversight (issue 9)
    AUDIT_EXPORTED = "audit.exported"
    AUDIT_PATIENT_LOOKUP = "audit.patient_lookup"
    BREACH_REPORTED = "audit.breach_reported"
    BREACH_PERSONS_EXPORTED = "audit.breach_persons_exported"
    CANARY_REGISTERED = "audit.canary_registered"
    # Pharmacy software API (issue 8): a call's outcome, never its body
    API_CALL = "api.call"
    # Billing (issue 10): counts and amounts, never personal data
    BILLING_USAGE_RECORDED = "billing.usage_recorded"
    BILLING_CONTRACT_SET = "billing.contract_set"
    BILLING_STATEMENT_PREPARED = "billing.statement_prepared"
    BILLING_STATEMENT_ISSUED = "billing.statement_issued"
    BILLING_STATEMENT_PAID = "billing.statement_paid"
    BILLING_CREDIT_NOTE_ISSUED = "billing.credit_note_issued"
    BILLING_VIEWED = "billing.viewed"
    BILLING_STATEMENT_DOWNLOADED = "billing.statement_downloaded"
    BILLING_RECONCILED = "billing.reconciled"
    # Privacy (issue 11): ids and counts, never the data
    SUBJECT_EXPORTED = "privacy.subject_exported"
    SUBJECT_RECTIFIED = "privacy.subject_rectified"
    SUBJECT_ERASED = "privacy.subject_erased"
    SUBJECT_ERASURE_REFUSED = "privacy.subject_erasure_refused"
    RETENTION_WARNING_SENT = "privacy.retention_warning_sent"
    RETENTION_CONTRACT_SET = "privacy.retention_contract_set"
