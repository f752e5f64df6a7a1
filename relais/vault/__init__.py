"""Vault: envelope encryption of personal data at rest.

Every personal-data field is sealed with AES-256-GCM under a data key (DEK) per pharmacy
and month; DEKs are stored only wrapped by a key-encryption key (KEK) per month held by a
key provider outside the database (keyring file for the demo, an HSM through PKCS#11 in
production). A stolen database, backup or log therefore holds only ciphertext, and
destroying a month's KEK shreds every copy of that month's data.
"""
