"""Personal-data fields, declared once and encrypted by construction.

``last_name = EncryptedField(DataClass.IDENTITY)`` stores a token (bytea/BLOB) while model
code reads and writes plaintext. Loading a row puts a ``Sealed`` token in the instance; the
field's descriptor opens it on first access and keeps the plaintext on the instance. Saving
seals plaintext with associated data (pharmacy, ``app.Model``, field name, primary key), and
writes untouched sealed values back as they were, without decrypting them.

Requirements on a model using it: a primary key set in Python before saving
(``UUIDField(default=uuid.uuid4)``), a ``pharmacy_id`` (or a ``vault_pharmacy_id``
property; ``PLATFORM_PHARMACY_ID`` for data that belongs to no pharmacy), and a stable
period: a ``vault_period`` property, else a ``created_at`` set in Python
(``default=timezone.now``, not ``auto_now_add``, which is filled after this field), else the
current month. Encrypted values cannot be queried: search through a blind index.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import functools
from typing import Any

from django import forms
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from relais.vault.codec import Plain
from relais.vault.crypto import RecordBinding, decrypt_field, encrypt_value
from relais.vault.envelope import Context
from relais.vault.errors import VaultError
from relais.vault.periods import current_period, period_of

PLATFORM_PHARMACY_ID = 0
# A record's period is a pure function of its (non-personal) creation time, and every field
# of a record asks for it: converting to Paris time each time cost more than the AES itself.
_period_of_creation = functools.lru_cache(maxsize=4096)(period_of)

_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "date": (dt.date,),
    "datetime": (dt.datetime,),
    "bool": (bool,),
    "int": (int,),
    "json": (dict, list),
}
_FORM_FIELDS: dict[str, type[forms.Field]] = {
    "str": forms.CharField,
    "date": forms.DateField,
    "datetime": forms.DateTimeField,
    "bool": forms.NullBooleanField,
    "int": forms.IntegerField,
    "json": forms.JSONField,
}


class DataClass(enum.StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    HEALTH = "health"
    NIR = "nir"
    SECRET = "secret"  # noqa: S105 - a data class, not a password
    FREE_TEXT = "free_text"


class Sealed:
    """A token read from the database and not opened yet. Its repr reveals nothing."""

    __slots__ = ("token",)

    def __init__(self, token: bytes) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<sealed>"


class EncryptedAttribute(DeferredAttribute):
    """Opens a sealed value on first access and caches the plaintext on the instance.

    A data descriptor (it defines ``__set__``), so it is consulted even when the instance
    dict already holds the value; Django's plain ``DeferredAttribute`` is not.
    """

    field: EncryptedField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            field = self.field
            value = decrypt_field(
                _binding(instance), field.name, value.token, lambda: field.context(instance)
            )
            instance.__dict__[field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):  # type: ignore[type-arg]
    descriptor_class = EncryptedAttribute
    description = "A personal-data value sealed with AES-256-GCM"

    def __init__(self, data_class: DataClass, kind: str = "str", **kwargs: Any) -> None:
        if kind not in _KIND_TYPES:
            raise ValueError(f"EncryptedField kind must be one of {sorted(_KIND_TYPES)}")
        self.data_class = DataClass(data_class)
        self.kind = kind
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(**kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["data_class"] = self.data_class
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "BinaryField"

    def context(self, instance: models.Model) -> Context:
        if instance.pk is None:
            raise VaultError(
                f"{instance._meta.label}.{self.name} needs a primary key set before saving "
                "(use UUIDField(primary_key=True, default=uuid.uuid4))"
            )
        return Context(
            pharmacy_id=record_pharmacy_id(instance),
            record_type=instance._meta.label,
            field=self.name,
            record_id=str(instance.pk),
            period=record_period(instance),
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(bytes(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            if add:
                raise VaultError(
                    f"{model_instance._meta.label}.{self.name}: a sealed value cannot be copied "
                    "into a new record; read the plaintext and assign it"
                )
            return value.token
        self._check_kind(value)
        return encrypt_value(self.context(model_instance), value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Sealed):
            value = value.token
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(
                f"{self.model._meta.label}.{self.name} is encrypted: it cannot be compared "
                "with a plaintext value; query a blind index instead"
            )
        return connection.Database.Binary(value)

    def value_to_string(self, obj: models.Model) -> str:
        """Serialisers (dumpdata) get the token, never the plaintext."""
        raw = obj.__dict__.get(self.attname)
        token = raw.token if isinstance(raw, Sealed) else self.pre_save(obj, add=False)
        return "" if token is None else base64.b64encode(token).decode("ascii")

    def formfield(self, **kwargs: Any) -> Any:
        """A plaintext form field of the right kind: forms never see tokens."""
        options = {"required": not self.blank, "label": self.verbose_name, **kwargs}
        options.pop("form_class", None)
        return _FORM_FIELDS[self.kind](**options)

    def _check_kind(self, value: Plain) -> None:
        types = _KIND_TYPES[self.kind]
        wrong_bool = isinstance(value, bool) and bool not in types
        wrong_date = isinstance(value, dt.datetime) and self.kind == "date"
        if not isinstance(value, types) or wrong_bool or wrong_date:
            raise TypeError(
                f"{self.model._meta.label}.{self.name} holds {self.kind} values, "
                f"not {type(value).__name__}"
            )


_BINDING = "_vault_binding"


def _binding(instance: models.Model) -> RecordBinding:
    """The record's part of its fields' associated data, encoded on the first field opened
    and kept on the instance (as the plaintexts are) while its primary key stays the same."""
    pk = instance.pk
    cached = instance.__dict__.get(_BINDING)
    if cached is not None and cached[0] == pk:
        binding: RecordBinding = cached[1]
        return binding
    if pk is None:  # the full context names the problem
        raise VaultError(f"{instance._meta.label} needs a primary key to open its fields")
    binding = RecordBinding.of(record_pharmacy_id(instance), instance._meta.label, str(pk))
    instance.__dict__[_BINDING] = (pk, binding)
    return binding


def record_pharmacy_id(instance: models.Model) -> int:
    pharmacy_id = getattr(instance, "vault_pharmacy_id", None)
    if pharmacy_id is None:
        pharmacy_id = getattr(instance, "pharmacy_id", None)
    if pharmacy_id is None:
        raise VaultError(f"{instance._meta.label} needs a pharmacy_id to encrypt its fields")
    return int(pharmacy_id)


def record_period(instance: models.Model) -> str:
    """The period fixing a record's DEK: it must not change over the record's life."""
    period = getattr(instance, "vault_period", None)
    if period:
        return str(period)
    created_at = getattr(instance, "created_at", None)
    if isinstance(created_at, dt.datetime):
        return _period_of_creation(created_at)
    return current_period()


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedField)]


def models_with_encrypted_fields() -> list[type[models.Model]]:
    """Every installed concrete model declaring at least one encrypted field (the registry)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if not model._meta.abstract and not model._meta.proxy and encrypted_fields(model)
    ]
