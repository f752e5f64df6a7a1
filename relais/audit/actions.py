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
