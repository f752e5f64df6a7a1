"""Any valid canonical screening builds a schema-valid FHIR bundle and an hl7apy-valid
ORU^R01, and a receiver reads back the same message id, action, result and NIR."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

from relais.relay.messages import (
    CanonicalScreening,
    Patient,
    Pharmacy,
    Practitioner,
    build_fhir_bundle,
    build_hl7_oru,
    parse_fhir_bundle,
    parse_hl7,
)
from relais.relay.messages.codes import ACTIONS, RESULTS, TEST_KINDS
from relais.relay.messages.hl7_parse import unescape

NAME_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), include_characters="|^&~\\'-"
)
names = st.text(NAME_ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
accented = st.sampled_from(["Zoë", "N'Diaye", "Le Goff-Ménard", "Ørsted", "D'Artagnan", "Ĳssel"])


@st.composite
def nirs(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from(["2A", "2B", "75", "13", "97", "99"]))
    month = draw(st.sampled_from(["01", "06", "12", "20", "42", "99"]))
    body = (
        draw(st.sampled_from("12"))
        + f"{draw(st.integers(0, 99)):02d}"
        + month
        + department
        + f"{draw(st.integers(1, 999)):03d}{draw(st.integers(1, 999)):03d}"
    )
    return body + stdnum_nir.calc_check_digits(body)


patients = st.builds(
    Patient,
    last_name=names | accented,
    first_names=st.lists(names | accented, min_size=1, max_size=3).map(tuple),
    sex=st.sampled_from(["F", "M", "U"]),
    birth_date=st.dates(date(1900, 1, 1), date(2021, 1, 1)),
    nir=st.none() | nirs(),
    email=st.none() | st.just("x@example.org"),
    phone=st.none() | st.just("+33612345678"),
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-3))])
sampled = st.datetimes(
    datetime(2020, 3, 1),  # noqa: DTZ001 - bounds are naive by hypothesis' API
    datetime(2023, 1, 1),  # noqa: DTZ001
    timezones=zones,
)


@st.composite
def screenings(draw: st.DrawFn) -> CanonicalScreening:
    symptoms = draw(st.booleans())
    return CanonicalScreening(
        message_id=str(draw(st.uuids())),
        screening_id=draw(names),
        version=draw(st.integers(1, 9)),
        action=draw(st.sampled_from(ACTIONS)),
        pharmacy=Pharmacy(finess="130000128", name=draw(names)),
        practitioner=Practitioner(name=draw(names), rpps=draw(st.none() | st.just("10001234567"))),
        patient=draw(patients),
        test_kind=draw(st.sampled_from(TEST_KINDS)),
        device_name=draw(names),
        device_id=draw(st.none() | names),
        sampled_at=draw(sampled),
        result=draw(st.sampled_from(RESULTS)),
        symptoms=symptoms,
        symptoms_onset=draw(st.none() | st.dates(date(2020, 1, 1))) if symptoms else None,
    )


@given(st.lists(screenings(), min_size=1, max_size=4, unique_by=lambda s: s.message_id))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_screening_builds_a_valid_bundle_that_reads_back(
    items: list[CanonicalScreening],
) -> None:
    bundle = build_fhir_bundle(items, validate="full")

    parsed = parse_fhir_bundle(bundle)

    assert [p.message_id for p in parsed] == [i.message_id for i in items]
    assert [(p.action, p.result, p.nir) for p in parsed] == [
        (i.action, i.result, i.patient.nir) for i in items
    ]
    assert [p.sampled_at for p in parsed] == [i.sampled_at for i in items]


@given(screenings())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_screening_builds_an_hl7_message_that_reads_back(item: CanonicalScreening) -> None:
    message = build_hl7_oru(item, validate=True)

    (parsed,) = parse_hl7(message)

    assert (parsed.message_id, parsed.action, parsed.result) == (
        item.message_id,
        item.action,
        item.result,
    )
    assert parsed.nir == item.patient.nir
    pid = next(s for s in message.split("\r") if s.startswith("PID|")).split("|")
    assert unescape(pid[5].split("^")[0]) == item.patient.last_name
    assert message.count("\r") == len(message.rstrip("\r").split("\r"))
