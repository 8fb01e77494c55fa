"""casekit.queueing: Erlang B/C, M/M/c and the queue with walk-aways."""

import numpy as np
import pandas as pd
import pytest

from casekit import queueing as q


def test_erlang_b_and_c_textbook_values():
    # Two erlangs on three servers: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, C = 4/9.
    assert q.erlang_b(2.0, 3)[0] == pytest.approx(4 / 19)
    assert q.erlang_c(2.0, 3)[0] == pytest.approx(4 / 9)


def test_erlang_c_call_centre_value():
    # Classic call-centre example: 10 erlangs on 11 agents, P(wait) = 0.6821 (Erlang C tables).
    assert q.erlang_c(10.0, 11)[0] == pytest.approx(0.6821, abs=5e-4)


def test_mm1_is_the_one_server_case():
    # M/M/1: P(wait) = ρ, Wq = ρ / (μ − λ), Lq = ρ² / (1 − ρ).
    m = q.mmc(3.0, 4.0, 1).iloc[0]
    assert m["p_wait"] == pytest.approx(0.75)
    assert m["mean_wait"] == pytest.approx(0.75)
    assert m["mean_queue"] == pytest.approx(0.75**2 / 0.25)
    assert m["mean_time_in_system"] == pytest.approx(1.0)


def test_mmc_is_vectorised_and_overload_gives_infinite_wait():
    m = q.mmc([1.0, 2.0, 3.0, 4.0], 1.0, 3)
    assert list(m.columns) == ["arrival_rate", "utilisation", "p_wait", "mean_wait", "mean_queue",
                               "mean_time_in_system"]
    assert m["mean_wait"].iloc[:3].is_monotonic_increasing
    assert np.isinf(m["mean_wait"].iloc[3]) and m["p_wait"].iloc[3] == 1.0


def test_walkaway_without_walking_is_plain_mmc():
    w = q.mmc_walkaway([1.0, 2.0], 1.0, 3, walk_rate=0.0)
    m = q.mmc([1.0, 2.0], 1.0, 3)
    assert np.allclose(w["mean_wait"], m["mean_wait"])
    assert (w["walk_share"] == 0).all()


def test_walkaway_balance_and_formulas():
    w = q.mmc_walkaway([2.0, 5.0, 20.0], 1.0, 3, walk_rate=2.0)
    lam, x, share = w["arrival_rate"], w["joining_rate"], w["walk_share"]
    # Those who stay plus those who leave are all the arrivals.
    assert np.allclose(x, lam * (1 - share))
    # The walk share is C·k / (ν + k) at the joining rate.
    c = q.erlang_c(x.to_numpy(), 3)
    nu = 3.0 - x.to_numpy()
    assert np.allclose(share, c * 2.0 / (nu + 2.0))
    # Even a heavy overload settles below capacity.
    assert (w["utilisation"] < 1).all() and share.is_monotonic_increasing


def test_walkaway_mean_wait_matches_a_monte_carlo():
    # Waits 0 w.p. 1 − C, else Exp(ν); leave w.p. 1 − exp(−k w); mean wait of those who stay.
    w = q.mmc_walkaway(2.5, 1.0, 3, walk_rate=1.5).iloc[0]
    rng = np.random.default_rng(0)
    n = 400_000
    wait = np.where(rng.random(n) < w["p_wait"], rng.exponential(1 / w["wait_rate"], n), 0.0)
    stay = rng.random(n) >= 1 - np.exp(-1.5 * wait)
    assert wait[stay].mean() == pytest.approx(w["mean_wait"], rel=0.02)
    assert 1 - stay.mean() == pytest.approx(w["walk_share"], abs=0.005)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: q.erlang_c(2.0, 0), ValueError, r"`servers` must be a whole number in \[1, inf\), got 0"),
        (lambda: q.erlang_c(-1.0, 2), ValueError, r"`load` must contain no negative numbers"),
        (lambda: q.mmc(1.0, 0.0, 2), ValueError, r"`service_rate` must be a number in \(0, inf\), got 0"),
        (lambda: q.mmc("fast", 1.0, 2), TypeError, r"`arrival_rate` must be a list or Series of numbers"),
        (lambda: q.mmc_walkaway(5.0, 1.0, 3, walk_rate=0.0), ValueError,
         r"`arrival_rate` must stay below servers × service_rate \(3\)"),
        (lambda: q.mmc_walkaway(1.0, 1.0, 3, walk_rate=-1.0), ValueError, r"`walk_rate` must be a number in \[0, inf\)"),
        (lambda: q.mmc_walkaway(1.0, 1.0, 2.5, walk_rate=1.0), ValueError, r"`servers` must be a whole number"),
    ],
)
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_returns_frames():
    assert isinstance(q.mmc(1.0, 1.0, 2), pd.DataFrame)
    assert isinstance(q.mmc_walkaway(1.0, 1.0, 2, walk_rate=1.0), pd.DataFrame)
