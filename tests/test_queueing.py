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


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.95])
def test_fluid_queue_settles_at_erlang_c(rho):
    # A steady arrival rate below capacity: the transient model converges to the M/M/c answer.
    c, mu = 10, 1.0
    lam = rho * c * mu
    out = q.fluid_queue([lam] * 800, mu, c, slot=0.25)
    m = q.mmc(lam, mu, c).iloc[0]
    assert out["wait"][0, -1] == pytest.approx(m["mean_wait"], rel=0.01)
    assert out["queue"][0, -1] == pytest.approx(m["mean_queue"], rel=0.01)
    assert out["p_wait"][0, -1] == pytest.approx(m["p_wait"], rel=0.01)
    assert out["busy"][0, -1] == pytest.approx(lam / mu, rel=0.01)


def test_fluid_queue_builds_a_backlog_in_overload_and_serves_it_off():
    # 3 hours at 3 × capacity, then nobody arrives: the list grows by about λ − cμ an hour
    # (once the servers are full), then falls by about cμ an hour.
    c, mu = 20, 0.5                     # capacity cμ = 10 an hour
    rates = np.r_[np.full(12, 30.0), np.zeros(40)]
    out = q.fluid_queue(rates, mu, c, slot=0.25)
    queue = out["queue"][0]
    assert np.all(np.diff(queue[:12]) > 0)
    assert (queue[11] - queue[7]) == pytest.approx(20.0, rel=0.1)
    assert 20.0 * 3 - c <= queue[11] <= 20.0 * 3
    assert (queue[11] - queue[15]) == pytest.approx(10.0, rel=0.1)
    # All who joined are served by the end, and the expected wait is the list ÷ capacity.
    assert 0.97 * out["joined"].sum() <= out["served"].sum() <= out["joined"].sum()
    assert out["wait"][0, 11] == pytest.approx(queue[10] / 10.0, rel=0.15)


def test_fluid_queue_walkaways_follow_the_quoted_wait_and_rows_are_independent():
    rates = np.array([np.full(48, 15.0), np.full(48, 5.0)])
    out = q.fluid_queue(rates, 0.5, 20, slot=0.25, walk_rate=1.0)
    assert out["walk_share"].shape == (2, 48)
    # Overloaded row: walk-aways rise with the wait; light row: hardly anyone waits or leaves.
    assert out["walk_share"][0, -1] > 0.2 and out["walk_share"][1].max() < 0.01
    one = q.fluid_queue(rates[1], 0.5, 20, slot=0.25, walk_rate=1.0)
    assert np.allclose(one["queue"][0], out["queue"][1])
    # Leaving limits the backlog: it settles where those who join, λ·exp(−k·W), equal those served,
    # which is at most cμ, so W ≥ ln(λ / cμ) / k.
    assert out["joined"][0, -1] == pytest.approx(out["served"][0, -1], rel=0.01)
    assert out["joined"][0, -1] == pytest.approx(15.0 * 0.25 * np.exp(-out["wait"][0, -1]), rel=0.01)
    assert np.log(15.0 / 10.0) < out["wait"][0, -1] < 2 * np.log(15.0 / 10.0)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: q.erlang_c(2.0, 0), ValueError, r"`servers` must be a whole number in \[1, 10000\], got 0"),
        (lambda: q.erlang_c(-1.0, 2), ValueError, r"`load` must contain no negative numbers"),
        (lambda: q.mmc(1.0, 0.0, 2), ValueError, r"`service_rate` must be a number in \(0, inf\), got 0"),
        (lambda: q.mmc("fast", 1.0, 2), TypeError, r"`arrival_rate` must be a number or a list of numbers"),
        (lambda: q.mmc_walkaway(5.0, 1.0, 3, walk_rate=0.0), ValueError,
         r"`arrival_rate` must stay below servers × service_rate \(3\)"),
        (lambda: q.mmc_walkaway(1.0, 1.0, 3, walk_rate=-1.0), ValueError, r"`walk_rate` must be a number in \[0, inf\)"),
        (lambda: q.mmc_walkaway(1.0, 1.0, 2.5, walk_rate=1.0), ValueError, r"`servers` must be a whole number"),
        (lambda: q.fluid_queue([1.0, -2.0], 1.0, 3, slot=1.0), ValueError,
         r"`arrival_rates` must be a 1-D or 2-D array of numbers >= 0"),
        (lambda: q.fluid_queue("busy", 1.0, 3, slot=1.0), TypeError, r"`arrival_rates` must be"),
        (lambda: q.fluid_queue([1.0], 1.0, 3, slot=0), ValueError, r"`slot` must be a number in \(0, inf\), got 0"),
        (lambda: q.fluid_queue([1.0], 1.0, 3, slot=1.0, walk_rate=-1), ValueError, r"`walk_rate` must be a number"),
        (lambda: q.fluid_queue([1.0], 1.0, 3, slot=1.0, substeps=0), ValueError, r"`substeps` must be a whole number"),
    ],
)
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_returns_frames():
    assert isinstance(q.mmc(1.0, 1.0, 2), pd.DataFrame)
    assert isinstance(q.mmc_walkaway(1.0, 1.0, 2, walk_rate=1.0), pd.DataFrame)


# -- issue #14 item 11: sizes and loop counts have documented upper bounds ----

@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: q.erlang_b(2.0, 10**9), "servers"),
        (lambda: q.erlang_c(2.0, q.MAX_SERVERS + 1), "servers"),
        (lambda: q.mmc(2.0, 1.0, 10**9), "servers"),
        (lambda: q.mmc_walkaway(2.0, 1.0, 3, walk_rate=1.0, iterations=10**9), "iterations"),
        (lambda: q.mmc_walkaway(2.0, 1.0, 10**9, walk_rate=1.0), "servers"),
        (lambda: q.fluid_queue([1.0], 1.0, 10**9, slot=1.0), "servers"),
        (lambda: q.fluid_queue([1.0, 2.0], 1.0, 3, slot=1.0, substeps=10**9), "substeps"),
        (lambda: q.fluid_queue([1.0] * 100, 1.0, 3, slot=1.0, substeps=q.MAX_STEPS // 100 + 1), "substeps"),
        (lambda: q.fluid_queue([[1.0] * 24] * 364, 1.0, 3, slot=1.0, substeps=3), None),
    ],
)
def test_sizes_above_the_bound_are_refused_at_once(call, name):
    import time
    t = time.perf_counter()
    if name is None:  # exactly at the bound: allowed
        call()
    else:
        with pytest.raises(ValueError, match=f"`{name}`.* must"):
            call()
        assert time.perf_counter() - t < 1.0


def test_largest_allowed_queue_is_quick():
    import time
    t = time.perf_counter()
    out = q.mmc([5000.0, 9000.0], 1.0, q.MAX_SERVERS)
    assert time.perf_counter() - t < 5.0
    assert out["p_wait"].between(0, 1).all()


@pytest.mark.parametrize("bad", [{"a": 1}, object(), [[1.0], [1.0, 2.0]]])
def test_fluid_queue_arrival_rates_named(bad):
    with pytest.raises((TypeError, ValueError), match="`arrival_rates` must be"):
        q.fluid_queue(bad, 1.0, 3, slot=1.0)


@pytest.mark.parametrize("walk_rate", [0.0, 1.5])
def test_fluid_queue_few_rows_give_the_same_bits_as_many(walk_rate):
    # Up to q._FEW_ROWS scenarios are stepped with floats, more with arrays: one scenario
    # solved alone must give exactly the numbers it gets among many (overload and idle slots included).
    rng = np.random.default_rng(7)
    lam = rng.gamma(1.0, 8.0, size=(q._FEW_ROWS + 3, 40)) * (rng.random((q._FEW_ROWS + 3, 40)) > 0.2)
    many = q.fluid_queue(lam, 1.2, 5, slot=0.25, walk_rate=walk_rate)
    for i in range(lam.shape[0]):
        one = q.fluid_queue(lam[i], 1.2, 5, slot=0.25, walk_rate=walk_rate)
        for name, values in many.items():
            assert one[name][0].tobytes() == values[i].tobytes(), (name, i)
