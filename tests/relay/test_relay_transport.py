"""What an HTTP answer of the platform means for each message of the request."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from relais.relay.transport import Ack, Answered, Failed, RefusedWhole, clean_reasons, interpret

ID = "6e0b1f0e-0000-4000-8000-000000000001"


def _ack(outcome: str, reference: str | None = "SIDEP-1", reasons: list[str] | None = None) -> dict:
    return {"message_id": ID, "outcome": outcome, "reference": reference, "reasons": reasons or []}


def test_an_accepted_message_carries_the_platform_reference() -> None:
    answer = interpret(httpx.Response(200, json={"acknowledgements": [_ack("accepted")]}))
    assert answer == Answered({ID: Ack(accepted=True, reference="SIDEP-1")})


def test_a_rejected_message_carries_the_platform_reasons() -> None:
    body = {"acknowledgements": [_ack("rejected", None, ["nir: invalid key"])]}
    answer = interpret(httpx.Response(200, json=body))
    assert answer == Answered({ID: Ack(accepted=False, reasons=("nir: invalid key",))})


def test_a_503_is_a_transient_failure_with_its_retry_after() -> None:
    answer = interpret(httpx.Response(503, headers={"Retry-After": "12"}, json={"reasons": []}))
    assert answer == Failed("http 503", 12.0)


def test_a_400_refuses_the_whole_request_with_reasons() -> None:
    answer = interpret(httpx.Response(400, json={"reasons": ["not a Bundle"]}))
    assert answer == RefusedWhole(("not a Bundle",))


def test_a_200_without_readable_acknowledgements_is_retried_not_trusted() -> None:
    assert interpret(httpx.Response(200, text="<html>proxy</html>")) == Failed(
        "unreadable acknowledgements"
    )
    bad = interpret(httpx.Response(200, json={"acknowledgements": [{"outcome": "accepted"}]}))
    assert isinstance(bad, Failed)


def test_an_authentication_failure_is_transient_so_nothing_is_rejected_by_mistake() -> None:
    assert interpret(httpx.Response(403, text="forbidden")) == Failed("http 403", None)


@given(st.lists(st.one_of(st.text(max_size=1000), st.integers(), st.none()), max_size=50))
def test_reasons_are_kept_as_bounded_texts(raw: list[object]) -> None:
    reasons = clean_reasons(raw)
    assert len(reasons) <= 20
    assert all(isinstance(reason, str) and len(reason) <= 300 for reason in reasons)
