import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from relais.pharmacies.finess import InvalidFinessError, normalize_finess


@pytest.mark.parametrize("raw", ["690000013", "69 000 001 3", "130000029"])
def test_a_valid_finess_number_is_accepted_and_normalized(raw: str) -> None:
    assert normalize_finess(raw) == raw.replace(" ", "")


@pytest.mark.parametrize("raw", ["690000014", "69000001", "6900000133", "ABCDEFGHI", ""])
def test_an_invalid_finess_number_is_refused_with_a_clear_message(raw: str) -> None:
    with pytest.raises(InvalidFinessError) as error:
        normalize_finess(raw)
    assert "FINESS" in str(error.value)


@given(st.from_regex(r"\A[0-9]{8}\Z"))
def test_any_eight_digits_with_their_luhn_key_form_a_valid_finess(body: str) -> None:
    number = body + luhn.calc_check_digit(body)
    assert normalize_finess(number) == number
    wrong = body + str((int(number[-1]) + 1) % 10)
    with pytest.raises(InvalidFinessError):
        normalize_finess(wrong)


def test_a_corsican_finess_is_checked_with_its_letter_as_zero() -> None:
    body = "2A000001"
    number = body + luhn.calc_check_digit("20000001")
    assert normalize_finess(number.lower()) == number
