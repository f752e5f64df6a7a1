"""A whole patient: real-world identities round-trip, every error is collected."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors, render
from relais.screening.validation.identity import NO_NIR_REASONS, validate_patient
from relais.screening.validation.messages import MESSAGES

TODAY = date(2022, 1, 10)


def nir(body13: str) -> str:
    numeric = body13[:5] + {"2A": "19", "2B": "18"}.get(body13[5:7], body13[5:7]) + body13[7:]
    return body13 + f"{97 - int(numeric) % 97:02d}"


def patient(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "last_name": "Martin",
        "first_names": ["Claire"],
        "sex": "F",
        "birth_date": "1984-05-02",
        "nir": nir("2840575123456"),
        "email": "claire.martin@exemple.fr",
        "phone": "06 12 34 56 78",
        "address": {"line": "3 place du Marché", "postal_code": "69003", "city": "Lyon"},
    }
    return base | overrides


IDENTITIES = [
    # (submitted overrides, expected last name, expected first names, expected nir)
    ({"last_name": "N\u2019Diaye", "first_names": "Awa, Fatou"}, "N'Diaye", ("Awa", "Fatou"), None),
    ({"first_names": "Ève-Marie"}, "Martin", ("Ève-Marie",), None),
    (
        {"last_name": "de La Tour d'Auvergne", "first_names": ["Zoë"]},
        "de La Tour d'Auvergne",
        ("Zoë",),
        None,
    ),
    (
        {"last_name": "Müller-Lüdenscheidt", "sex": "M", "nir": nir("1840575123456")},
        "Müller-Lüdenscheidt",
        ("Claire",),
        None,
    ),
    (
        {
            "last_name": "Garci\u0301a",
            "first_names": "Jose\u0301 Mari\u0301a",
            "sex": "M",
            "nir": nir("1840575123456"),
        },
        "García",
        ("José María",),
        None,
    ),
    # born in Corse-du-Sud and in Haute-Corse
    (
        {"nir": "2 84 05 2A 004 123 " + nir("284052A004123")[-2:]},
        "Martin",
        ("Claire",),
        nir("284052A004123"),
    ),
    ({"nir": nir("284052B004123").lower()}, "Martin", ("Claire",), nir("284052B004123")),
    # born abroad
    ({"nir": nir("2840599350123")}, "Martin", ("Claire",), nir("2840599350123")),
    # incomplete civil-status records: fictitious months
    ({"nir": nir("2842099350123")}, "Martin", ("Claire",), nir("2842099350123")),
    ({"nir": nir("2849999350123")}, "Martin", ("Claire",), nir("2849999350123")),
    # full-width digits as typed with a Japanese keyboard layout
    (
        {"nir": "".join(chr(ord(c) + 0xFEE0) for c in nir("2840575123456"))},
        "Martin",
        ("Claire",),
        nir("2840575123456"),
    ),
]


@pytest.mark.parametrize(("overrides", "last_name", "first_names", "expected_nir"), IDENTITIES)
def test_real_world_identities_round_trip_without_warnings(
    overrides: dict[str, Any],
    last_name: str,
    first_names: tuple[str, ...],
    expected_nir: str | None,
) -> None:
    clean, warnings = validate_patient(patient(**overrides), today=TODAY)
    assert (clean.last_name, clean.first_names) == (last_name, first_names)
    assert clean.nir == (expected_nir or clean.nir)
    assert clean.birth_date == date(1984, 5, 2)
    assert warnings == []
    again, _ = validate_patient(
        patient(
            last_name=clean.last_name,
            first_names=list(clean.first_names),
            sex=clean.sex,
            nir=clean.nir,
        ),
        today=TODAY,
    )
    assert again == clean


@pytest.mark.parametrize("reason", sorted(NO_NIR_REASONS))
def test_a_patient_without_nir_is_accepted_with_a_reason(reason: str) -> None:
    clean, _ = validate_patient(patient(nir=None, no_nir_reason=reason), today=TODAY)
    assert (clean.nir, clean.no_nir_reason) == (None, reason)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"nir": ""}, "no_nir_reason.required"),
        ({"nir": None, "no_nir_reason": "lost"}, "no_nir_reason.invalid"),
        ({"no_nir_reason": "newborn"}, "no_nir_reason.unexpected"),
    ],
)
def test_the_nir_and_its_absence_reason_must_agree(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_patient(patient(**overrides), today=TODAY)
    assert [(e.field, e.code) for e in exc.value.errors] == [("no_nir_reason", code)]


def test_every_invalid_field_gets_its_own_error_and_valid_ones_none() -> None:
    bad_nir = nir("2840575123456")[:-2] + "00"
    data = patient(
        last_name="Mart1n",
        first_names=["Claire", "😀"],
        sex="X",
        birth_date="2030-01-01",
        nir=bad_nir,
        email="not-an-email",
        phone="12",
        address={"postal_code": "6900", "city": "Lyon", "country": "FR"},
    )
    with pytest.raises(ValidationErrors) as exc:
        validate_patient(data, today=TODAY)
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("last_name", "name.digit"),
        ("first_names.1", "name.symbol"),
        ("sex", "sex.invalid"),
        ("birth_date", "birth_date.in_future"),
        ("nir", "nir.bad_key"),
        ("email", "email.invalid"),
        ("phone", "phone.invalid"),
        ("address.postal_code", "postal_code.invalid_fr"),
    ]
    rendered = " ".join(render(e, lang) for e in exc.value.errors for lang in ("fr", "en"))
    assert bad_nir not in rendered and bad_nir not in str(exc.value)
    assert not re.search(r"\d{13}", rendered)


def test_an_empty_submission_lists_every_required_field() -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_patient({}, today=TODAY)
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("last_name", "name.required"),
        ("first_names", "name.required"),
        ("sex", "sex.required"),
        ("birth_date", "birth_date.required"),
        ("no_nir_reason", "no_nir_reason.required"),
        ("email", "contact.required"),
        ("phone", "contact.required"),
    ]


def test_one_contact_is_enough() -> None:
    by_mail, _ = validate_patient(patient(phone=None), today=TODAY)
    by_phone, _ = validate_patient(patient(email=" "), today=TODAY)
    assert (by_mail.email, by_mail.phone) == ("claire.martin@exemple.fr", None)
    assert (by_phone.email, by_phone.phone) == (None, "+33612345678")


def test_coherence_landline_and_script_remarks_are_warnings_not_errors() -> None:
    clean, warnings = validate_patient(
        patient(
            sex="m", birth_date="1985-06-02", phone="01 23 45 67 89", first_names="Claire, Ελένη"
        ),
        today=TODAY,
    )
    assert clean.sex == "M"
    assert {(w.field, w.code) for w in warnings} == {
        ("phone", "phone.not_mobile"),
        ("first_names.1", "name.non_latin_script"),
        ("nir", "nir.sex_mismatch"),
        ("nir", "nir.birth_year_mismatch"),
        ("nir", "nir.birth_month_mismatch"),
    }
    assert all(w.severity == "warning" for w in warnings)
    assert clean.nir is not None
    assert all(clean.nir not in render(w, lang) for w in warnings for lang in ("fr", "en"))


def test_rtl_marks_are_stripped_and_decomposed_accents_composed() -> None:
    clean, _ = validate_patient(
        patient(last_name="\u200fHe\u0301lou\u0308\u200e", first_names=["\u202bAmi\u0301r\u202c"]),
        today=TODAY,
    )
    assert (clean.last_name, clean.first_names) == ("Héloü", ("Amír",))


def test_the_patient_repr_hides_personal_data() -> None:
    clean, _ = validate_patient(patient(), today=TODAY)
    shown = repr(clean) + str(clean)
    assert clean.nir is not None
    assert "Martin" not in shown and clean.nir not in shown


FIELDS = ["last_name", "first_names", "sex", "birth_date", "nir", "no_nir_reason"]
FIELDS += ["email", "phone", "address"]
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=8,
)


@given(st.dictionaries(st.sampled_from(FIELDS), ANY_VALUE))
def test_any_submission_is_either_clean_or_refused_with_catalogued_codes(
    data: dict[str, Any],
) -> None:
    try:
        clean, warnings = validate_patient(data, today=TODAY)
    except ValidationErrors as exc:
        assert exc.errors
        assert all(e.code in MESSAGES and e.severity == "error" for e in exc.errors)
        assert {e.field.split(".")[0] for e in exc.errors} <= set(FIELDS)
        return
    assert clean.last_name and clean.first_names
    assert all(w.code in MESSAGES and w.severity == "warning" for w in warnings)
