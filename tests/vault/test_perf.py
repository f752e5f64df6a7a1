"""The benchmark entry point returns a positive per-record cost for the bench harness."""

from relais.vault.perf import measure_record_crypto


def test_measuring_record_crypto_reports_microseconds_per_record() -> None:
    figures = measure_record_crypto(50)
    assert figures["fields_per_record"] == 12
    assert 0 < figures["encrypt_us_per_record"] < figures["total_us_per_record"]
