"""EncryptedField: plaintext in Python, only tokens in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from relais.vault.errors import DecryptionError, VaultError
from relais.vault.fields import DataClass, EncryptedField, Sealed, encrypted_fields

from .probe import VaultProbe


def make(pharmacy_id: int = 1, **values: object) -> VaultProbe:
    defaults: dict[str, object] = {
        "last_name": "Dupont",
        "first_names": "Jeanne Marie",
        "birth_date": dt.date(1980, 2, 29),
        "result": "positive",
        "symptoms": {"fever": True, "onset": "2025-01-03"},
        "pregnant": False,
        "notes": "rappeler demain",
    }
    return VaultProbe.objects.create(pharmacy_id=pharmacy_id, **{**defaults, **values})


def raw_column(probe: VaultProbe, column: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM vault_test_probe WHERE id = %s", [probe.pk.hex])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores uuid natively
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM vault_test_probe WHERE id = %s", [probe.pk])  # noqa: S608
            row = cursor.fetchone()
    return bytes(row[0])


def test_model_code_reads_back_plaintext_of_every_kind(probe_model: type[VaultProbe]) -> None:
    probe = VaultProbe.objects.get(pk=make().pk)
    assert probe.last_name == "Dupont"
    assert probe.birth_date == dt.date(1980, 2, 29)
    assert probe.symptoms == {"fever": True, "onset": "2025-01-03"}
    assert probe.pregnant is False
    assert probe.notes == "rappeler demain"


def test_the_database_holds_only_tokens(probe_model: type[VaultProbe]) -> None:
    probe = make()
    for column in ("last_name", "first_names", "result", "notes", "symptoms"):
        stored = raw_column(probe, column)
        assert stored[0] == 1
        for secret in (b"Dupont", b"Jeanne", b"positive", b"rappeler", b"fever"):
            assert secret not in stored


def test_loaded_values_stay_sealed_until_read(probe_model: type[VaultProbe]) -> None:
    probe = VaultProbe.objects.get(pk=make().pk)
    assert isinstance(probe.__dict__["last_name"], Sealed)
    assert "Dupont" not in repr(probe.__dict__)
    assert probe.last_name == "Dupont"
    assert probe.__dict__["last_name"] == "Dupont"


def test_saving_keeps_unread_tokens_as_they_were(probe_model: type[VaultProbe]) -> None:
    probe = make()
    before = raw_column(probe, "notes")
    loaded = VaultProbe.objects.get(pk=probe.pk)
    loaded.last_name = "Martin"
    loaded.save()
    assert raw_column(probe, "notes") == before
    assert VaultProbe.objects.get(pk=probe.pk).last_name == "Martin"


def test_none_is_stored_as_null(probe_model: type[VaultProbe]) -> None:
    probe = VaultProbe.objects.get(pk=make(notes=None).pk)
    assert probe.notes is None
    assert VaultProbe.objects.filter(notes__isnull=True).count() == 1


def test_a_token_copied_to_another_row_is_refused_naming_record_and_field(
    probe_model: type[VaultProbe],
) -> None:
    source, target = make(), make(last_name="Martin")
    VaultProbe.objects.filter(pk=target.pk).update(last_name=raw_column(source, "last_name"))
    with pytest.raises(DecryptionError) as refused:
        _ = VaultProbe.objects.get(pk=target.pk).last_name
    assert str(target.pk) in str(refused.value)
    assert "'last_name'" in str(refused.value)
    assert "Dupont" not in str(refused.value)


def test_a_token_copied_to_another_field_is_refused(probe_model: type[VaultProbe]) -> None:
    probe = make()
    VaultProbe.objects.filter(pk=probe.pk).update(first_names=raw_column(probe, "last_name"))
    with pytest.raises(DecryptionError, match="'first_names'"):
        _ = VaultProbe.objects.get(pk=probe.pk).first_names


def test_a_tampered_column_is_refused(probe_model: type[VaultProbe]) -> None:
    probe = make()
    token = bytearray(raw_column(probe, "result"))
    token[-1] ^= 0xFF
    VaultProbe.objects.filter(pk=probe.pk).update(result=bytes(token))
    with pytest.raises(DecryptionError, match="'result'"):
        _ = VaultProbe.objects.get(pk=probe.pk).result


def test_querying_an_encrypted_field_with_plaintext_is_refused(
    probe_model: type[VaultProbe],
) -> None:
    with pytest.raises(TypeError, match="blind index"):
        list(VaultProbe.objects.filter(last_name="Dupont"))


def test_a_value_of_the_wrong_kind_is_refused_before_sealing(
    probe_model: type[VaultProbe],
) -> None:
    with pytest.raises(TypeError, match="date values"):
        make(birth_date="1980-02-29")


def test_copying_sealed_values_into_a_new_record_is_refused(
    probe_model: type[VaultProbe],
) -> None:
    loaded = VaultProbe.objects.get(pk=make().pk)
    copy = VaultProbe(pharmacy_id=1, last_name=loaded.__dict__["first_names"])
    with pytest.raises(VaultError, match="cannot be copied"):
        copy.save()


def test_the_field_declares_its_data_class_for_migrations() -> None:
    field = EncryptedField(DataClass.NIR, kind="str")
    _, path, _, kwargs = field.deconstruct()
    assert path == "relais.vault.fields.EncryptedField"
    assert kwargs["data_class"] is DataClass.NIR
    assert [f.name for f in encrypted_fields(VaultProbe)][:2] == ["last_name", "first_names"]


def test_the_record_period_comes_from_its_creation_month(probe_model: type[VaultProbe]) -> None:
    from relais.vault.models import DataKey

    created = dt.datetime(2024, 11, 30, 23, 30, tzinfo=dt.UTC)  # already December in Paris
    make(pharmacy_id=3, created_at=created)
    assert DataKey.objects.get(pharmacy_id=3).period == "2024-12"


def test_every_field_opens_to_what_decrypt_value_gives_for_its_full_context(
    probe_model: type[VaultProbe],
) -> None:
    from relais.vault.crypto import decrypt_value

    probe = VaultProbe.objects.get(pk=make().pk)
    sealed = {f.attname: probe.__dict__[f.attname] for f in encrypted_fields(VaultProbe)}
    for field in encrypted_fields(VaultProbe):
        token = sealed[field.attname].token
        assert getattr(probe, field.attname) == decrypt_value(field.context(probe), token)


def test_a_record_whose_keys_are_open_is_read_without_the_full_context_path(
    probe_model: type[VaultProbe], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The steady state of the relay worker: a DEK this process holds open is used directly.
    probe = VaultProbe.objects.get(pk=make().pk)  # sealing left the DEK open
    from relais.vault import crypto

    calls: list[object] = []
    lookup = crypto.key_for_decryption
    monkeypatch.setattr(crypto, "key_for_decryption", lambda *a: calls.append(a) or lookup(*a))
    assert (probe.last_name, probe.pregnant) == ("Dupont", False)
    assert calls == []


def test_a_record_whose_key_is_not_open_yet_is_read_through_the_keystore(
    probe_model: type[VaultProbe], monkeypatch: pytest.MonkeyPatch
) -> None:
    from relais.vault import crypto
    from relais.vault.keystore import clear_key_cache

    probe = VaultProbe.objects.get(pk=make().pk)
    clear_key_cache()
    calls: list[object] = []
    lookup = crypto.key_for_decryption
    monkeypatch.setattr(crypto, "key_for_decryption", lambda *a: calls.append(a) or lookup(*a))
    assert probe.notes == "rappeler demain"
    assert len(calls) == 1


def test_a_token_copied_from_another_pharmacys_row_is_refused(
    probe_model: type[VaultProbe],
) -> None:
    source, target = make(pharmacy_id=1), make(pharmacy_id=2, last_name="Martin")
    VaultProbe.objects.filter(pk=target.pk).update(last_name=raw_column(source, "last_name"))
    with pytest.raises(DecryptionError, match="belongs to another pharmacy"):
        _ = VaultProbe.objects.get(pk=target.pk).last_name


def test_fields_read_after_the_primary_key_changed_are_opened_for_the_new_key(
    probe_model: type[VaultProbe],
) -> None:
    import uuid

    probe = VaultProbe.objects.get(pk=make().pk)
    assert probe.last_name == "Dupont"  # the record's part of the associated data is kept
    probe.pk = uuid.uuid4()
    with pytest.raises(DecryptionError) as refused:
        _ = probe.first_names
    assert str(probe.pk) in str(refused.value)


def test_a_copied_or_pickled_record_carries_no_key_material(
    probe_model: type[VaultProbe],
) -> None:
    import copy
    import pickle

    probe = VaultProbe.objects.get(pk=make().pk)
    assert probe.last_name == "Dupont"  # its binding now holds the DEK it opened
    key = probe.__dict__["_vault_binding"][1].key
    assert key is not None
    state = probe.__getstate__()  # what pickling and deepcopy of a model instance take
    assert copy.deepcopy(state)["_vault_binding"][1].key is None
    assert key.dek not in pickle.dumps(state)
