"""Waiting lines (排队): the M/M/c queue of queueing theory, with and without
customers who walk away when the wait is long.

A general tool that any case with a queue can reuse (a restaurant's tables, a
call centre's agents, a hotel's front desk). Every function is vectorised
over the arrival rate, so one call can solve a whole day hour by hour.

Units: rates are "per unit of time" in whatever unit you choose (per hour,
per minute); waits come back in that same unit.

Upper bounds (far above what a course needs, low enough that a typo cannot
hang the kernel): :data:`MAX_SERVERS` servers, :data:`MAX_ITERATIONS`
bisection steps, :data:`MAX_STEPS` Euler steps in :func:`fluid_queue`
(slots × substeps), :data:`MAX_VALUES` arrival rates per call.
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from ._checks import check_number, check_positive, check_values

__all__ = ["erlang_b", "erlang_c", "mmc", "mmc_walkaway", "fluid_queue",
           "MAX_SERVERS", "MAX_ITERATIONS", "MAX_STEPS", "MAX_VALUES"]

MAX_SERVERS = 10_000
"""Most servers (tables, agents) a queue may have: Erlang's formulas loop once per server."""
MAX_ITERATIONS = 1_000
"""Most bisection steps in :func:`mmc_walkaway` (40 already give 12 digits)."""
MAX_STEPS = 100_000
"""Most Euler steps (slots × substeps; scenarios run side by side) in :func:`fluid_queue`."""
MAX_VALUES = 1_000_000
"""Most arrival rates in one call."""


def _servers(servers) -> int:
    return check_number("servers", servers, low=1, high=MAX_SERVERS, integer=True)


def _load(name, values) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"`{name}` must be a number or a list of numbers >= 0, got {values!r:.80}")
    if np.ndim(values) == 0:
        values = [values]
    arr = check_values(name, values, allow_negative=False)
    if arr.size > MAX_VALUES:
        raise ValueError(f"`{name}` must hold at most {MAX_VALUES:,} values, got {arr.size:,}")
    return arr


def erlang_b(load, servers) -> np.ndarray:
    """Erlang's loss formula B(c, a): the share of arrivals that find all
    ``servers`` busy when blocked customers are lost.

    Parameters
    ----------
    load : float or sequence of floats >= 0
        Offered load a = λ / μ in erlangs (arrival rate × mean service time).
    servers : int in [1, MAX_SERVERS]
        Number of servers c (tables, agents...).

    Returns
    -------
    numpy array, one value per load.

    Notes
    -----
    Computed with the stable recursion B(0) = 1,
    B(k) = a·B(k−1) / (k + a·B(k−1)) (e.g. Gross & Harris, *Fundamentals of
    Queueing Theory*).

    Examples
    --------
    >>> round(float(erlang_b(2.0, 3)[0]), 4)
    0.2105
    """
    a = _load("load", load)
    c = _servers(servers)
    b = np.ones_like(a)
    for k in range(1, c + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def erlang_c(load, servers) -> np.ndarray:
    """Erlang's delay formula C(c, a): the probability that an arriving
    customer has to wait in an M/M/c queue (Poisson arrivals, exponential
    service, c servers, no one leaves).

    Returns 1 where the load is at or above the number of servers (the queue
    then grows without limit).

    Notes
    -----
    C = c·B / (c − a·(1 − B)) with B the Erlang B value (Erlang 1917; any
    queueing textbook, e.g. Hillier & Lieberman, *Introduction to Operations
    Research*, ch. 17).

    Examples
    --------
    Two erlangs of load on three servers: 4/9 of arrivals wait.

    >>> round(float(erlang_c(2.0, 3)[0]), 4)
    0.4444
    """
    a = _load("load", load)
    c = _servers(servers)
    b = erlang_b(a, c)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = c * b / (c - a * (1.0 - b))
    return np.where(a >= c, 1.0, out)


def mmc(arrival_rate, service_rate, servers) -> pd.DataFrame:
    """Steady-state measures of an M/M/c queue.

    Parameters
    ----------
    arrival_rate : float or sequence >= 0
        λ, customers per unit of time.
    service_rate : float > 0
        μ, customers one server finishes per unit of time (1 / mean service time).
    servers : int in [1, MAX_SERVERS]

    Returns
    -------
    DataFrame, one row per arrival rate, with ``arrival_rate``,
    ``utilisation`` (ρ = λ / cμ), ``p_wait`` (Erlang C), ``mean_wait``
    (Wq, time in the queue, same time unit as the rates), ``mean_queue``
    (Lq = λ·Wq, customers waiting) and ``mean_time_in_system`` (Wq + 1/μ).
    Where ρ >= 1 the waits are infinite.

    Notes
    -----
    Wq = C / (cμ − λ); waiting times are 0 with probability 1 − C and
    otherwise exponential with rate cμ − λ.

    Examples
    --------
    An M/M/1 queue with λ = 3, μ = 4: Wq = ρ / (μ − λ) = 0.75.

    >>> float(mmc(3.0, 4.0, 1)["mean_wait"].iloc[0])
    0.75
    """
    lam = _load("arrival_rate", arrival_rate)
    mu = check_positive("service_rate", service_rate)
    c = _servers(servers)
    p = erlang_c(lam / mu, c)
    nu = c * mu - lam
    with np.errstate(divide="ignore"):
        wq = np.where(nu > 0, p / np.where(nu > 0, nu, 1.0), np.inf)
    return pd.DataFrame({
        "arrival_rate": lam,
        "utilisation": lam / (c * mu),
        "p_wait": p,
        "mean_wait": wq,
        "mean_queue": lam * wq,
        "mean_time_in_system": wq + 1.0 / mu,
    })


def _walk_share(p_wait, nu, k):
    # Share who leave when a wait w (0 w.p. 1 − C, else Exp(nu)) makes them
    # leave with probability 1 − exp(−k·w):  C·k / (nu + k).
    return p_wait * k / (nu + k)


def mmc_walkaway(arrival_rate, service_rate, servers, *, walk_rate, iterations=40) -> pd.DataFrame:
    """An M/M/c queue whose customers may walk away on hearing the wait.

    A customer who would wait w leaves at once with probability
    1 − exp(−k·w), where ``walk_rate`` k is 1 / (patience). Those who stay
    join the queue, so the queue sees a smaller "joining" rate λ_j; the
    function finds the λ_j at which the two agree.

    Parameters
    ----------
    arrival_rate : float or sequence >= 0
        λ, customers arriving per unit of time (before any walk away).
    service_rate : float > 0
        μ per server.
    servers : int in [1, MAX_SERVERS]
    walk_rate : float >= 0
        k, in 1 / (time unit). 0 means nobody walks away (plain M/M/c).
    iterations : int in [1, MAX_ITERATIONS]
        Bisection steps (40 gives about 12 significant digits).

    Returns
    -------
    DataFrame, one row per arrival rate: ``arrival_rate``, ``joining_rate``
    (λ_j), ``walk_share`` (share of arrivals who leave), ``utilisation``
    (λ_j / cμ), ``p_wait`` (Erlang C at λ_j), ``wait_rate`` (ν = cμ − λ_j:
    waits are exponential with this rate when there is a wait) and
    ``mean_wait`` (mean wait of those who stay).

    Notes
    -----
    Waits follow the M/M/c law at the joining rate: 0 with probability
    1 − C, else exponential with rate ν = cμ − λ_j. Then

    * share who walk away: C·k / (ν + k),
    * mean wait of those who stay: C·ν / (ν + k)² ÷ (1 − C·k / (ν + k)),

    and λ_j solves λ_j = λ·(1 − walk share(λ_j)) (one root in (0, min(λ, cμ)),
    found by bisection). This is an approximation: the waits of a queue
    with balking are not exactly those of the M/M/c queue at the same
    joining rate. Used hour by hour it is the "stationary independent period
    by period" (SIPP) method (Green, Kolesar & Soares 2001, *Operations
    Research* 49(4)), which is rough when service lasts longer than the hour.

    Examples
    --------
    Nobody walks away and the queue is stable: the plain M/M/c answer.

    >>> row = mmc_walkaway(3.0, 4.0, 1, walk_rate=0.0).iloc[0]
    >>> float(row["walk_share"]), float(row["mean_wait"])
    (0.0, 0.75)
    """
    lam = _load("arrival_rate", arrival_rate)
    mu = check_positive("service_rate", service_rate)
    c = _servers(servers)
    k = check_positive("walk_rate", walk_rate, allow_zero=True)
    n_it = check_number("iterations", iterations, low=1, high=MAX_ITERATIONS, integer=True)
    cap = c * mu
    if k == 0 and np.any(lam >= cap):
        raise ValueError(
            f"`arrival_rate` must stay below servers × service_rate ({cap:g}) when `walk_rate` is 0 "
            f"(nobody leaves, so the queue would grow without end); got {lam.max():g}"
        )

    def walk(x):
        p = erlang_c(x / mu, c)
        return _walk_share(p, cap - x, k), p

    lo = np.zeros_like(lam)
    hi = np.minimum(lam, cap * (1 - 1e-12))
    if k == 0:
        x = lam.copy()
    else:
        for _ in range(n_it):
            mid = 0.5 * (lo + hi)
            w, _ = walk(mid)
            too_high = mid - lam * (1.0 - w) > 0
            hi = np.where(too_high, mid, hi)
            lo = np.where(too_high, lo, mid)
        x = 0.5 * (lo + hi)
    share, p = walk(x)
    nu = cap - x
    stay = 1.0 - share
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_wait = np.where(stay > 0, p * nu / (nu + k) ** 2 / np.where(stay > 0, stay, 1.0), 0.0)
    return pd.DataFrame({
        "arrival_rate": lam,
        "joining_rate": x,
        "walk_share": np.where(lam > 0, share, 0.0),
        "utilisation": x / cap,
        "p_wait": p,
        "wait_rate": nu,
        "mean_wait": mean_wait,
    })


# --------------------------------------------------------------------------
# A queue that changes through the day: the fluid (PSFFA) approximation
# --------------------------------------------------------------------------

_OCCUPANCY_TABLES: dict = {}


def _occupancy_table(c):
    """Steady-state M/M/c relation between utilisation ρ and the mean number
    in the system L(ρ) = cρ + C(c, cρ)·ρ / (1 − ρ), on a grid dense near 1,
    with Erlang C at each ρ. Cached per number of servers."""
    if c not in _OCCUPANCY_TABLES:
        s = np.linspace(0.0, 1.0, 4001)
        rho = 1.0 - 10.0 ** (-7.0 * s)          # 0 … 1 − 1e−7
        p = erlang_c(c * rho, c)
        lq = p * rho / (1.0 - rho)
        _OCCUPANCY_TABLES[c] = (c * rho + lq, rho, p)
    return _OCCUPANCY_TABLES[c]


def fluid_queue(arrival_rates, service_rate, servers, *, slot, substeps=3, walk_rate=0.0) -> dict:
    """An M/M/c queue through a day whose arrival rate changes slot by slot,
    by the pointwise-stationary fluid-flow approximation (PSFFA).

    Unlike :func:`mmc`, the queue carries over: when arrivals exceed
    capacity for a few hours, the backlog builds up, and it is served off
    after the peak. In a steady hour with utilisation below 1 it settles at
    the Erlang C answer of :func:`mmc`.

    Parameters
    ----------
    arrival_rates : 1-D or 2-D array of floats >= 0
        λ per unit of time in each slot; 2-D means one row per scenario
        (e.g. one row per day), solved together. The queue starts empty.
    service_rate : float > 0
        μ per server, per unit of time.
    servers : int in [1, MAX_SERVERS]
    slot : float > 0
        Length of a slot, in the same time unit.
    substeps : int >= 1
        Euler steps per slot (substeps × slots at most :data:`MAX_STEPS`).
    walk_rate : float >= 0
        k: a customer told the expected wait W leaves at once with
        probability 1 − exp(−k·W); 0 means nobody leaves.

    Returns
    -------
    dict of arrays of shape (scenarios, slots) (1-D input gives 1 row):
    ``arrivals`` and ``joined`` (customers in the slot), ``walk_share``
    (1 − joined / arrivals), ``wait`` (mean expected wait of those who
    join in the slot, time unit of the rates), ``p_wait`` (mean chance a
    joiner waits), ``waiting`` (joiners who wait, customers), ``queue``
    (customers waiting at the end of the slot), ``busy`` (busy servers at
    the end of the slot) and ``served`` (customers finishing in the slot).

    Notes
    -----
    The state x(t) is the expected number in the system. PSFFA (Wang,
    Tipper & Banerjee 1996, "A simple approximation for modeling
    nonstationary queues", Proc. IEEE INFOCOM '96,
    doi:10.1109/INFCOM.1996.497901; reviewed in Green, Kolesar & Whitt 2007,
    *Production and Operations Management* 16(1)) lets the servers work at
    the utilisation ρ(x) that a steady M/M/c queue with x customers in the
    system would have: dx/dt = λ_join(t) − cμ·ρ(x), where x = cρ + Lq(ρ),
    Lq = C·ρ / (1 − ρ) (Erlang C). Waiting customers Lq = x − cρ; the
    expected wait of a newcomer W = Lq / (cμρ) (Little's law), which is
    Erlang C's Wq in steady state and the backlog ÷ capacity in overload.
    λ_join = λ·exp(−k·W).

    Examples
    --------
    Three servers, λ = 2, μ = 1, long enough to settle: Erlang C's Wq = 4/9.

    >>> out = fluid_queue([2.0] * 200, 1.0, 3, slot=0.5)
    >>> round(float(out["wait"][0, -1]), 3)
    0.444
    """
    rule = "`arrival_rates` must be a 1-D or 2-D array of numbers >= 0"
    if isinstance(arrival_rates, (str, bytes, dict, pd.DataFrame)):
        raise TypeError(f"{rule}, got {arrival_rates!r:.80} ({type(arrival_rates).__name__})")
    try:
        lam = np.asarray(arrival_rates, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{rule}, got {arrival_rates!r:.80} ({type(arrival_rates).__name__})") from None
    if lam.ndim not in (1, 2) or lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError(f"{rule}, got {arrival_rates!r:.80}")
    lam = np.atleast_2d(lam)
    mu = check_positive("service_rate", service_rate)
    c = _servers(servers)
    dt_slot = check_positive("slot", slot)
    n_sub = check_number("substeps", substeps, low=1, high=MAX_STEPS, integer=True)
    k = check_positive("walk_rate", walk_rate, allow_zero=True)
    if lam.shape[1] * n_sub > MAX_STEPS:
        raise ValueError(f"`substeps` × the number of slots in `arrival_rates` must be at most {MAX_STEPS:,} "
                         f"Euler steps, got {n_sub} × {lam.shape[1]:,}")
    if lam.size > MAX_VALUES:
        raise ValueError(f"`arrival_rates` must hold at most {MAX_VALUES:,} values, got {lam.size:,}")
    big_l, rho_g, p_g = _occupancy_table(c)
    cap = c * mu
    h = dt_slot / n_sub
    n, m = lam.shape
    x = np.zeros(n)
    names = ("arrivals", "joined", "wait", "p_wait", "waiting", "queue", "busy", "served")
    out = {name: np.zeros((n, m)) for name in names}
    if n <= _FEW_ROWS:
        table = (big_l.tolist(), rho_g.tolist(), p_g.tolist())
        for row in range(n):
            _fluid_row(lam[row].tolist(), row, out, c=c, cap=cap, slot=dt_slot, substeps=n_sub, walk_rate=k,
                       table=table)
    else:
        for j in range(m):
            lj = lam[:, j]
            joined = np.zeros(n)
            wait_sum = np.zeros(n)
            waiting = np.zeros(n)
            served = np.zeros(n)
            for _ in range(n_sub):
                rho = np.interp(x, big_l, rho_g, right=1.0)
                p = np.interp(x, big_l, p_g, right=1.0)
                lq = np.maximum(x - c * rho, 0.0)
                w = lq / (cap * np.maximum(rho, 1e-12))
                join = lj * np.exp(-k * w) if k > 0 else lj
                joined += join * h
                wait_sum += join * h * w
                waiting += join * h * p
                served += cap * rho * h
                x = np.maximum(x + h * (join - cap * rho), 0.0)
            rho = np.interp(x, big_l, rho_g, right=1.0)
            out["arrivals"][:, j] = lj * dt_slot
            out["joined"][:, j] = joined
            with np.errstate(invalid="ignore", divide="ignore"):
                out["wait"][:, j] = np.where(joined > 0, wait_sum / np.where(joined > 0, joined, 1.0), 0.0)
                out["p_wait"][:, j] = np.where(joined > 0, waiting / np.where(joined > 0, joined, 1.0), 0.0)
            out["waiting"][:, j] = waiting
            out["queue"][:, j] = np.maximum(x - c * rho, 0.0)
            out["busy"][:, j] = c * rho
            out["served"][:, j] = served
    arr = out["arrivals"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["walk_share"] = np.where(arr > 0, 1.0 - out["joined"] / np.where(arr > 0, arr, 1.0), 0.0)
    return out


_FEW_ROWS = 8
"""Up to this many scenarios, :func:`fluid_queue` steps each one with plain
floats (:func:`_fluid_row`): array calls on a few values cost far more than
the arithmetic."""


def _interp(x, xp, fp, right):
    # np.interp(x, xp, fp, right=right) for one float, step for step (same search, same formula,
    # so the same bits): xp increasing, x not NaN.
    if x > xp[-1]:
        return right
    if x < xp[0]:
        return fp[0]
    j = bisect.bisect_right(xp, x) - 1
    if j == len(xp) - 1 or xp[j] == x:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    y = slope * (x - xp[j]) + fp[j]
    if y != y:
        y = slope * (x - xp[j + 1]) + fp[j + 1]
        if y != y and fp[j] == fp[j + 1]:
            y = fp[j]
    return y


def _fluid_row(lam, row, out, *, c, cap, slot, substeps, walk_rate, table):
    # One scenario of fluid_queue (row `row` of `out`), the same Euler steps as its array loop
    # in the same order of operations, with floats; exp stays numpy's.
    big_l, rho_g, p_g = table
    h = slot / substeps
    x = 0.0
    cols = {name: [] for name in ("arrivals", "joined", "wait", "p_wait", "waiting", "queue", "busy", "served")}
    for lj in lam:
        joined = wait_sum = waiting = served = 0.0
        for _ in range(substeps):
            rho = _interp(x, big_l, rho_g, 1.0)
            p = _interp(x, big_l, p_g, 1.0)
            lq = x - c * rho
            lq = lq if lq >= 0.0 else 0.0
            w = lq / (cap * (rho if rho >= 1e-12 else 1e-12))
            join = lj * float(np.exp(-walk_rate * w)) if walk_rate > 0 else lj
            joined += join * h
            wait_sum += join * h * w
            waiting += join * h * p
            served += cap * rho * h
            x = x + h * (join - cap * rho)
            x = x if x >= 0.0 else 0.0
        rho = _interp(x, big_l, rho_g, 1.0)
        queue = x - c * rho
        cols["arrivals"].append(lj * slot)
        cols["joined"].append(joined)
        cols["wait"].append(wait_sum / joined if joined > 0 else 0.0)
        cols["p_wait"].append(waiting / joined if joined > 0 else 0.0)
        cols["waiting"].append(waiting)
        cols["queue"].append(queue if queue >= 0.0 else 0.0)
        cols["busy"].append(c * rho)
        cols["served"].append(served)
    for name, values in cols.items():
        out[name][row] = values
