"""Smoke tests of the benchmark harness itself (rendering, ratios, parsing); nothing timed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import cpu
from bench.figures import Figure, Limit, Unavailable, ratio
from bench.loadgen import count_created
from bench.payloads import birth_date_for, nir_for, submission
from bench.report import render_table, write_run
from bench.scenarios._available import missing_attributes, missing_command, missing_module
from bench.scenarios._writer import merge
from bench.scenarios.relay import fifo_latencies, throughput
from bench.stats import percentile

PG = Limit("pg_single_tps", "psycopg 1 row/tx", 2000.0, "rows/s", higher_is_better=True)
AES = Limit("aes_gcm_us", "AES-256-GCM", 50.0, "µs/record", higher_is_better=False)


def test_a_rate_ratio_is_relais_divided_by_the_limit() -> None:
    figure = Figure("API", "req/s", 500.0, "req/s", higher_is_better=True, limit=PG)
    assert figure.ratio == pytest.approx(0.25)


def test_a_cost_ratio_is_the_limit_divided_by_relais() -> None:
    figure = Figure("Crypto", "µs", 200.0, "µs/record", higher_is_better=False, limit=AES)
    assert figure.ratio == pytest.approx(0.25)


def test_a_limit_of_the_opposite_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        ratio(10.0, AES, higher_is_better=True)


def test_targets_are_met_according_to_their_direction() -> None:
    fast = Figure("A", "rate", 600.0, "req/s", higher_is_better=True, target=500.0)
    slow = Figure("A", "p99", 120.0, "ms", higher_is_better=False, target=100.0)
    assert (fast.met, slow.met) == (True, False)


def test_the_table_shows_value_target_limit_ratio_and_unavailable_reasons() -> None:
    figures = [Figure("API", "req/s", 500.0, "req/s", True, target=400.0, limit=PG)]
    missing = [Unavailable("Relay", "`relais worker` command does not exist yet")]
    table = render_table(figures, missing, {PG.key: PG})
    row = next(line for line in table.splitlines() if line.startswith("| API"))
    assert [c.strip() for c in row.strip("|").split("|")] == [
        "API",
        "req/s",
        "500",
        "req/s",
        "≥ 400",
        "yes",
        "2,000 rows/s (psycopg 1 row/tx)",
        "0.25",
    ]
    assert "- **Relay**: `relais worker` command does not exist yet" in table


def test_writing_a_run_keeps_only_the_latest_run_files(tmp_path: Path) -> None:
    (tmp_path / "20200101T000000Z.json").write_text("{}")
    write_run("20300101T000000Z", "table", "latest", {"a": 1}, results_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["20300101T000000Z.json", "20300101T000000Z.md", "latest.md"]
    assert json.loads((tmp_path / "20300101T000000Z.json").read_text()) == {"a": 1}


def test_percentiles_use_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile([], 99)) == (50, 99, 0)


def test_batch_outcomes_are_counted_wherever_the_response_nests_them() -> None:
    document = {"items": [{"outcome": "created"}, {"outcome": "invalid"}, {"status": "created"}]}
    assert count_created(document) == 2


def test_throughput_runs_from_first_to_last_acceptance() -> None:
    samples = [(0.0, 10), (1.0, 10), (2.0, 110), (3.0, 1010), (4.0, 1010)]
    assert throughput(samples, baseline=10) == (pytest.approx(900.0), 1000)


def test_end_to_end_latency_matches_the_kth_submission_with_the_kth_acceptance() -> None:
    samples = [(10.0, 0), (10.5, 1), (11.2, 3)]
    assert fifo_latencies([10.0, 10.1, 10.2], samples, base=0) == pytest.approx([0.5, 1.1, 1.0])


def test_merged_writer_reports_add_counts_and_keep_the_worst_percentiles() -> None:
    one = {
        "requests": 2,
        "ok": 2,
        "statuses": {"created": 2},
        "elapsed_s": 1.0,
        "records_created": 2,
        "ok_started_at": [2.0, 1.0],
        "latency_ms": {"p50": 1.0, "p90": 2.0, "p99": 3.0, "max": 4.0},
    }
    two = {**one, "latency_ms": {"p50": 5.0, "p90": 6.0, "p99": 7.0, "max": 8.0}}
    merged = merge([one, two])
    assert (merged["records_created"], merged["latency_ms"]["p99"]) == (4, 7.0)
    assert merged["ok_started_at"] == [1.0, 1.0, 2.0, 2.0]


def test_availability_probes_name_what_is_missing() -> None:
    assert missing_module("relais.no_such_app") == "relais.no_such_app not installed yet"
    assert missing_attributes("relais.vault.perf", "measure_record_crypto") is None
    assert (
        missing_attributes("relais.vault.perf", "nope")
        == "relais.vault.perf.nope does not exist yet"
    )
    assert (
        missing_command("no-such-command") == "`relais no-such-command` command does not exist yet"
    )


@given(st.integers(min_value=0, max_value=50_000_000))
def test_synthetic_nirs_carry_a_valid_key_and_match_the_birth_date(index: int) -> None:
    born = birth_date_for(index)
    nir = nir_for(index, born)
    assert len(nir) == 15
    assert int(nir[13:]) == 97 - int(nir[:13]) % 97
    assert (nir[1:3], nir[3:5]) == (f"{born.year % 100:02d}", f"{born.month:02d}")


def test_synthetic_patients_pass_relais_own_validation() -> None:
    import datetime as dt

    from relais.screening.validation.identity import validate_patient

    today = dt.date(2026, 1, 15)
    for index in (0, 1, 999, 123_456, 30_000_017):
        body = submission(index, "1232", dt.datetime(2026, 1, 15, tzinfo=dt.UTC))
        patient, _warnings = validate_patient(body["patient"], today=today)
        assert patient.nir == body["patient"]["nir"]


def test_the_encryption_scenario_runs_and_pairs_its_figure_with_the_aes_limit() -> None:
    from typing import cast

    from bench import limits
    from bench.context import RunContext
    from bench.scenarios import crypto
    from bench.stack import Stack

    aes = limits.measure_aes_gcm(50)
    ctx = RunContext(cast(Stack, None), quick=True, limits={aes.key: aes})
    assert crypto.available() is None
    figures = crypto.run(ctx, quick=True)
    assert figures[0].limit == aes
    assert figures[0].ratio is not None
    assert 0 < figures[0].ratio < 10


def test_a_latency_target_is_not_met_when_requests_failed() -> None:
    figure = Figure("API", "p99", 50.0, "ms", False, target=100.0, disqualified="non-2xx: 3")
    assert figure.met is False


def test_cpu_spent_counts_each_group_from_its_first_snapshot_and_new_processes_from_zero() -> None:
    before = {10: ("server", 4.0), 11: ("postgresql", 1.0)}
    after = {10: ("server", 6.5), 11: ("postgresql", 1.25), 12: ("postgresql", 0.5)}

    assert cpu.spent(before, after) == {"server": 2.5, "postgresql": 0.75}


def test_a_cpu_snapshot_reads_this_machines_processes() -> None:
    snapshot = cpu.snapshot()  # the machine's PostgreSQL server is running (CI uses it)
    assert "postgresql" in {group for group, _seconds in snapshot.values()}
    assert all(seconds >= 0 for _group, seconds in snapshot.values())


def test_the_floor_load_sends_keyed_gets_of_its_path_and_counts_no_records() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bench.loadgen import Plan, closed_loop

    seen: list[tuple[str, str, str | None, str | None]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = self.headers
            seen.append(
                (self.command, self.path, headers["Authorization"], headers["Idempotency-Key"])
            )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/screenings"
        plan = Plan(url, "rls_key", "1232", 0, 0, get_path="/healthz")
        tally = closed_loop(plan, concurrency=1, seconds=0.2)
    finally:
        server.shutdown()
        server.server_close()
    assert seen
    assert set(seen) == {("GET", "/healthz", "Bearer rls_key", None)}
    assert tally.statuses["200"] == len(seen)
    assert tally.records_created == 0
