"""Names: Unicode clean-up, what is accepted and refused, given names, identity index."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors, render
from relais.screening.validation.names import (
    blind_index_normal_identity,
    name_warnings,
    normalize_first_names,
    normalize_name,
)

ACCENTED = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæñáíóúõãøåßłšžčřABCÉÈÊËÀÇÔÎÏÛÙÜŸŒÆÑ"
latin_words = st.text(alphabet=ACCENTED, min_size=1, max_size=12)
compound_names = st.lists(latin_words, min_size=1, max_size=4).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "-", "'"]), min_size=len(words) - 1, max_size=len(words) - 1
    ).map(lambda seps: words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True)))
)


def codes(exc: pytest.ExceptionInfo[ValidationErrors]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


@given(st.text(max_size=60))
def test_normalizing_any_accepted_text_is_idempotent(raw: str) -> None:
    try:
        once = normalize_name(raw, "last_name")
    except ValidationErrors as exc:
        assert all(e.field == "last_name" for e in exc.errors)
        return
    assert normalize_name(once, "last_name") == once
    assert unicodedata.is_normalized("NFC", once)


@given(compound_names)
def test_accented_and_compound_latin_names_round_trip_unchanged(name: str) -> None:
    assert normalize_name(name, "last_name") == unicodedata.normalize("NFC", name)
    assert name_warnings(name, "last_name") == []


@given(compound_names)
def test_a_decomposed_spelling_gives_the_same_name_as_the_composed_one(name: str) -> None:
    decomposed = unicodedata.normalize("NFD", name)
    assert normalize_name(decomposed, "last_name") == normalize_name(name, "last_name")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ève-Marie", "Ève-Marie"),
        ("N\u2019Diaye", "N'Diaye"),
        ("N\u02bcDiaye", "N'Diaye"),
        ("  de  La Tour\td'Auvergne ", "de La Tour d'Auvergne"),
        ("Müller-Lüdenscheidt", "Müller-Lüdenscheidt"),
        ("Müller \u2013 Lüdenscheidt", "Müller-Lüdenscheidt"),
        ("Zoe\u0308", "Zoë"),
        ("Jose\u0301 Mari\u0301a", "José María"),
        ("Dupont--Durand", "Dupont--Durand"),
        ("Nguyễn", "Nguyễn"),
        ("Jean\u00a0Pierre", "Jean Pierre"),
        ("\u200fمحمد\u200e", "محمد"),
        ("Ali\u202eCE\u202c", "AliCE"),
        ("Zo\u200bë", "Zoë"),
        ("Anne\u00admarie", "Annemarie"),
    ],
)
def test_real_world_spellings_are_cleaned_to_their_canonical_form(raw: str, expected: str) -> None:
    assert normalize_name(raw, "last_name") == expected


@pytest.mark.parametrize(
    ("raw", "code", "shown"),
    [
        ("Jean😀", "name.symbol", "😀"),
        ("Jean👍🏽", "name.symbol", "👍"),
        ("R2D2", "name.digit", "2"),
        ("Marie$", "name.symbol", "$"),
        ("Marie!", "name.forbidden_character", "!"),
        ("Ma\u0007rie", "name.control_character", None),
        ("Ma\x1crie", "name.control_character", None),
        ("Ma\ue000rie", "name.control_character", None),
        ("\u0301Marie", "name.stray_mark", None),
        ("'-'", "name.no_letter", None),
        ("-Marie", "name.hyphen_at_edge", None),
        ("Marie -", "name.hyphen_at_edge", None),
        ("", "name.required", None),
        ("\u200b\u200f ", "name.required", None),
        (None, "name.required", None),
        (42, "name.invalid", None),
        ("a" * 101, "name.too_long", None),
        ("a" * 5000, "name.too_long", None),
    ],
)
def test_refused_names_get_a_clear_code_and_message(
    raw: object, code: str, shown: str | None
) -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_name(raw, "last_name")
    assert codes(exc) == [("last_name", code)]
    message = render(exc.value.errors[0], "fr")
    assert message and "{" not in message
    if shown is not None:
        assert shown in message
        assert shown in render(exc.value.errors[0], "en")


def test_an_emoji_is_refused_with_a_message_that_says_emoji() -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_name("Zoë 🎉", "last_name")
    assert "emoji" in render(exc.value.errors[0], "fr")
    assert "emoji" in render(exc.value.errors[0], "en")


def test_one_hundred_characters_is_the_longest_name_accepted() -> None:
    assert len(normalize_name("a" * 100, "last_name")) == 100


def test_a_name_in_another_script_is_accepted_with_a_transliteration_warning() -> None:
    name = normalize_name("Παπαδόπουλος", "last_name")
    warnings = name_warnings(name, "last_name")
    assert [(w.field, w.code, w.severity) for w in warnings] == [
        ("last_name", "name.non_latin_script", "warning")
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jean, Pierre, Marie", ("Jean", "Pierre", "Marie")),
        ("Jean Pierre", ("Jean Pierre",)),
        ("Ève-Marie,", ("Ève-Marie",)),
        (["José María", "Zoë"], ("José María", "Zoë")),
        (("Awa",), ("Awa",)),
    ],
)
def test_several_given_names_are_kept_in_order(raw: object, expected: tuple[str, ...]) -> None:
    assert normalize_first_names(raw) == expected


def test_every_bad_given_name_is_reported_by_its_position() -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_first_names(["Jean", "", "P1erre", "😀"])
    assert codes(exc) == [("first_names.1", "name.digit"), ("first_names.2", "name.symbol")]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "name.required"),
        (" , ,", "name.required"),
        ([], "name.required"),
        (7, "name.invalid"),
    ],
)
def test_missing_given_names_are_refused(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_first_names(raw)
    assert codes(exc) == [("first_names", code)]


def test_more_than_twenty_given_names_are_refused() -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_first_names(["Anne"] * 21)
    assert codes(exc) == [("first_names", "first_names.too_many")]


@given(st.lists(compound_names, min_size=1, max_size=5))
def test_normalizing_given_names_is_idempotent(names: list[str]) -> None:
    assume(all(n.strip() for n in names))
    once = normalize_first_names(names)
    assert normalize_first_names(list(once)) == once


BORN = date(1984, 5, 2)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("de La Tour d'Auvergne", "DELATOUR D AUVERGNE"),
        ("Müller-Lüdenscheidt", "MULLER LUDENSCHEIDT"),
        ("Œuvray", "OEUVRAY"),
        ("N'Diaye", "NDIAYE"),
        ("Straße", "STRASSE"),
        ("Jose\u0301", "José"),
    ],
)
def test_the_identity_index_ignores_case_accents_and_punctuation(one: str, other: str) -> None:
    assert blind_index_normal_identity(one, BORN) == blind_index_normal_identity(other, BORN)


@given(compound_names)
def test_the_identity_index_is_stable_under_upper_case_and_accent_stripping(name: str) -> None:
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    index = blind_index_normal_identity(name, BORN)
    assert index == blind_index_normal_identity(stripped.upper(), BORN)
    assert index.endswith("|1984-05-02")
    assert index.split("|")[0].isalpha()


def test_the_identity_index_tells_different_people_apart() -> None:
    assert blind_index_normal_identity("Martin", BORN) != blind_index_normal_identity(
        "Martin", date(1984, 5, 3)
    )
    assert blind_index_normal_identity("Martin", BORN) != blind_index_normal_identity(
        "Martine", BORN
    )
