"""The hotel satisfaction guarantee (酒店“不满意不付费”): one hotel-year of
stays, and the same guests under different guarantee designs.

A hotel board proposes that a guest who is not fully satisfied pays nothing
for the stay; most managers object. This module simulates a year of stays
and evaluates policies on the *same* simulated guests (common random numbers,
共同随机数): every random number is drawn once by :func:`draw_stays` and kept,
so that two policies, or two positions of a slider, differ only because the
policy differs, never because of new luck.

Main pieces
-----------
* :func:`draw_stays` draws one hotel-year (a :class:`HotelDraws`).
* :class:`Policy` describes a design: guarantee or not, refund share,
  condition (none / report during the stay / one claim per guest), staff
  empowered to fix problems on the spot, root-cause fixing from claim data.
* :func:`evaluate_policy`, :func:`compare_policies` give refunds, honest and
  opportunistic claims, extra bookings, repeat stays and profit.
* :func:`guarantee_decomposition` splits a design's gain over today's hotel
  into what the practices alone bring (empowered staff, root-cause fixing)
  and what the guarantee adds on top of them.
* :func:`breakeven_cheating_rate` finds the cheating rate at which the
  guarantee stops paying (exact on the draws; ``None`` when it never pays,
  printed by :func:`format_breakeven`); :func:`guarantee_roi` is the
  back-of-envelope closed form.
* :func:`guarantee_own_gain` is the case's headline figure as a function of
  the named assumptions in :data:`ASSUMPTIONS`; :func:`how_sure` runs
  :func:`casekit.sensitivity.tornado` on it.
* :func:`hart_criteria` scores a design on Hart's (1988) five criteria.
* :func:`make_hotel_stays` gives the year as a tidy DataFrame (one row per
  stay), :func:`whatif_guarantee` and :func:`build_guarantee_widget` the
  notebook's what-if panel.

Calibration
-----------
At the default (Hampton-like) settings the model gives about 4 refunded
room-nights per 1,000 sold (Hampton Inn, hotelinteractive.com) and about 7
USD of repeat business from claimants per USD refunded (Hampton 1989–99:
more than USD 41 million against more than USD 6 million, company release on
hospitalitynet.org). Cheating does not depend on the refund share (Wirtz &
Kum 2004). Loyalty after a problem follows TARP (1986) through
:data:`casekit.metrics.TARP_LOYALTY`. Every other figure is an assumption,
named below; those that drive the profit have a plausible range in
:data:`ASSUMPTIONS`.

Two horizons
------------
``profit`` is a cautious one-hotel, one-year view: this year's contribution,
less next year's margin from guests that failures drive away, less refunds
and programme costs. ``repeat_business_from_claimants`` is Hampton's measure:
all later stays, chain-wide and over the guest's lifetime, of guests whose
claim was paid; it is gross, not the extra business the guarantee caused.

Two baselines
-------------
A guarantee forces practices a hotel could adopt without it: empowered staff
and root-cause fixing. Against today's hotel (:data:`NO_GUARANTEE`) a
Hampton-like design gets credit for both; against the same hotel with the
same practices but no promise (:data:`PRACTICES_ONLY`) only the promise
itself is measured. Break-evens default to the second, fairer baseline.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import i18n
from ._checks import (
    check_bool,
    check_choice,
    check_number,
    check_positive,
    check_probability,
    check_seed,
)
from .datasets import Dataset
from .i18n import t
from .metrics import TARP_LOYALTY, expected_lifetime
from .sensitivity import Assumption

__all__ = [
    "SEGMENTS",
    "DEPARTMENTS",
    "CONDITIONS",
    "CLAIM_TYPES",
    "STAY_SCHEMA",
    "HotelDraws",
    "Policy",
    "NO_GUARANTEE",
    "HAMPTON_LIKE",
    "PRACTICES_ONLY",
    "practices_of",
    "DESIGNS",
    "draw_stays",
    "stays_frame",
    "make_hotel_stays",
    "evaluate_policy",
    "compare_policies",
    "breakeven_cheating_rate",
    "format_breakeven",
    "NEVER_PAYS",
    "guarantee_decomposition",
    "DECOMPOSITION_STEPS",
    "guarantee_own_gain",
    "how_sure",
    "ASSUMPTIONS",
    "OTHER_ASSUMPTIONS",
    "ASSUMPTION_LABELS",
    "guarantee_gain_curve",
    "guarantee_roi",
    "HART_CRITERIA",
    "hart_criteria",
    "hart_table",
    "segment_reactions",
    "whatif_guarantee",
    "build_guarantee_widget",
    "plot_gain_curve",
    "plot_segment_reactions",
    "plot_design_gains",
    "THREE_POLICIES",
    "design_label",
    "policy_table",
    "POLICY_COLUMNS",
    "DESIGN_COLUMNS",
    "decomposition_table",
    "refunds_by_department",
    "department_table",
    "reactions_table",
    "segment_value_table",
    "tarp_table",
    "hart_breakeven_table",
    "refused_claim_satisfaction",
    "backlash_table",
    "first_stays_table",
    "how_sure_table",
    "say_how_sure",
    "DATASETS",
    "HOTEL_SEED",
    "DATASET_ROOMS",
]

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

SEGMENTS = ("business", "leisure", "group")
DEPARTMENTS = ("front_desk", "housekeeping", "maintenance", "noise", "breakfast")
CONDITIONS = ("none", "report", "one_claim")
"""Conditions on the guarantee: ``none`` (unconditional), ``report`` (the
guest must report the problem during the stay, so staff can fix it) and
``one_claim`` (one paid claim per guest)."""
CLAIM_TYPES = ("none", "honest", "opportunistic")

DAYS_IN_YEAR = 365

# --------------------------------------------------------------------------
# Parameters, with where each figure comes from
# --------------------------------------------------------------------------

SEGMENT_MIX = (0.50, 0.38, 0.12)
"""Share of stays by segment (business, leisure, group). Assumption for a
midscale, Hampton-like hotel whose core guests are travelling for work."""

EXTRA_NIGHTS = (0.6, 1.0, 1.4)
"""Nights per stay = 1 + Poisson(mean) by segment: about 1.6, 2.0 and 2.4
nights. Assumption."""

BASE_RATE = (90.0, 80.0, 65.0)
"""Average room rate per night by segment (USD). A midscale average daily
rate of about USD 80; groups get a discount. Assumption."""

RATE_SPREAD = 0.10
"""Spread of room rates around the segment average (lognormal sigma).
Assumption."""

STAYS_PER_GUEST = (2.5, 1.2, 1.0)
"""Average stays per guest at this hotel within a year, by segment; sets how
often the same guest id appears, and how many stays at this hotel a guest
who comes back brings in the next 12 months. Assumption."""

FAILURE_RATES = (0.030, 0.040, 0.030, 0.030, 0.020)
"""Chance that a department fails a stay (front desk, housekeeping,
maintenance, noise, breakfast): about one stay in seven has at least one
problem. Assumption, calibrated with :data:`INVOKE_RATE` to Hampton's four
refunds per 1,000 room-nights."""

P_REPORT = (0.45, 0.45, 0.30)
"""Chance that a guest with a problem tells staff during the stay, by
segment. Assumption (TARP: most unhappy customers never complain)."""

P_REPORT_PROMPTED = 0.70
"""Chance of reporting during the stay when the guarantee *requires* it
(the condition is printed on the key card and at the desk). Assumption."""

P_FIX = 0.35
"""Chance that staff fix a reported problem on the spot when they must ask
a manager first. Assumption."""

P_FIX_EMPOWERED = 0.70
"""Chance of a fix on the spot when front-line staff are empowered to act
(Hart 1988: a guarantee works by making the firm fix failures; the size of
the effect is an assumption)."""

INVOKE_RATE = (0.035, 0.045, 0.015)
"""Share of guests left unhappy who ask for their money back under the
guarantee, by segment. Calibrated so the stay-weighted average is near
TARP's 1 complaint in 27 unhappy customers (``metrics.TARP_COMPLAINT_RATE``):
leisure guests pay from their own pocket and ask most; business guests'
firms pay; a group member rarely claims for the group. Assumption."""

P_COMPLAIN = tuple(round(a / 2, 4) for a in INVOKE_RATE)
"""Without a guarantee, the share of unhappy guests who complain after
checking out (half as many as would invoke a guarantee). Assumption."""

CHEATING_RATE = 0.001
"""Opportunistic claims per stay without a real problem (0.1%). The studies
give no universal cheating rate (Wirtz & Kum 2004 [S]); "1–2% of customers
are cheats" is folklore [F]. Default assumption; a slider in the notebook."""

CHEAT_WEIGHT = (0.6, 1.3, 1.3)
"""Relative cheating by segment: more opportunistic claims in one-off
transactions (Wirtz & McColl-Kennedy 2010 [S]): business guests, who come
back often, cheat less. The weights (average about 1) are assumptions."""

CHEAT_STAY_SHARE = 0.5
"""An opportunistic guest fakes a claim on half of the stays where he could.
Cheating is a trait of a few guests, not luck of a stay. Assumption."""

REPORT_DETERRENCE = 0.5
"""With the report-during-stay condition a cheater must stage a complaint
while staff can still check it, which halves opportunistic claims.
Assumption."""

BASE_RETURN = (0.75, 0.40, 0.15)
"""Chance that a guest with no problem comes back within 12 months, by
segment (hotels are often said to keep about 55% of their guests, a vendor
benchmark of folklore grade). Assumption."""

STAYS_PER_YEAR = (7.0, 1.5, 1.0)
"""Stays a year, anywhere in the chain, of a guest who keeps coming back,
by segment (Hampton counted repeat business across its chain). Assumption,
calibrated so that repeat business from claimants is about 7 times the
refunds at the default settings, as Hampton found for 1989–99."""

REPEAT_STAYS = tuple(round(s * expected_lifetime(r), 3) for s, r in zip(STAYS_PER_YEAR, BASE_RETURN))
"""Later stays of a guest who comes back = stays a year × expected lifetime
1 / (1 − r) (``casekit.metrics.expected_lifetime``): 28, 2.5 and 1.2 stays.
Undiscounted, as Hampton counted its repeat business."""

LOYALTY_REFERENCE = float(TARP_LOYALTY.loc["resolved_quickly", "small_loss"])
"""TARP loyalty rates are scaled so that a problem fixed quickly keeps a
guest as well as no problem at all (0.95 → factor 1)."""

MARGIN = 0.70
"""Contribution margin of a room-night: revenue minus cleaning, laundry,
amenities and commissions. Assumption for a midscale hotel."""

FIX_COST = 15.0
"""Cost of fixing a problem on the spot (a free breakfast, a room change,
staff time), currency units per fix. Assumption."""

EMPOWER_COST_PER_ROOM = 40.0
"""Yearly cost of training and backing empowered staff, per room.
Assumption."""

ROOT_CAUSE_CUT = 0.30
"""With root-cause fixing from claim data, failure rates fall steadily over
the year to 30% below their starting level by year end (Hart 1988: a
guarantee forces analysis of failures; the size is an assumption)."""

ROOT_CAUSE_COST_PER_ROOM = 60.0
"""Yearly cost of the root-cause programme (analysis, repairs), per room.
Assumption."""

DEMAND_UPLIFT = 0.02
"""Extra room-nights won by advertising an unconditional full guarantee, as
a share of room-nights sold. Hampton attributed USD 18 million of 1991 revenue to the
guarantee (Hart 1993 [M]); the 2% is an assumption."""

UPLIFT_BY_CONDITION = {"none": 1.0, "report": 0.8, "one_claim": 0.9}
"""Share of the demand uplift kept by a conditional promise: Hart (1988):
a guarantee should be unconditional and easy to invoke. Assumption."""

ASSUMPTIONS = {
    "cheating_rate": Assumption(
        CHEATING_RATE, 0.0, 0.02, "share of stays without a problem",
        "No study gives a universal rate (Wirtz & Kum 2004); from none to the folklore '1–2% are cheats'."),
    "demand_uplift": Assumption(
        DEMAND_UPLIFT, 0.0, 0.04, "share of room-nights sold",
        "Extra bookings a full, unconditional promise wins. Hampton credited USD 18 million of 1991 revenue "
        "to its guarantee (Hart 1993); from none to twice the default."),
    "margin": Assumption(
        MARGIN, 0.60, 0.80, "share of room revenue",
        "Contribution margin of a midscale room-night; assumed."),
    "failure_scale": Assumption(
        1.0, 0.7, 1.5, "× the failure rates",
        "Multiplies FAILURE_RATES (about one stay in seven with a problem); assumed, calibrated jointly with "
        "the invocation rates to Hampton's 4 refunds per 1,000."),
    "invoke_scale": Assumption(
        1.0, 0.5, 2.0, "× the invocation rates",
        "Multiplies INVOKE_RATE (near TARP's 1 complaint in 27 unhappy customers); half to double."),
    "report_scale": Assumption(
        1.0, 0.7, 1.3, "× the reporting rates",
        "Multiplies P_REPORT, the chance a guest with a problem tells staff during the stay; assumed."),
    "p_fix": Assumption(
        P_FIX, 0.20, 0.50, "share of reported problems",
        "Fixed on the spot when staff must ask a manager first; assumed."),
    "p_fix_empowered": Assumption(
        P_FIX_EMPOWERED, 0.50, 0.85, "share of reported problems",
        "Fixed on the spot by empowered staff (Hart 1988 gives the mechanism, not the size); assumed."),
    "root_cause_cut": Assumption(
        ROOT_CAUSE_CUT, 0.10, 0.50, "share of failures removed by year end",
        "Effect of fixing root causes from failure data (Hart 1988 gives the mechanism, not the size); assumed."),
    "stays_next_year_scale": Assumption(
        1.0, 0.6, 1.4, "× stays at this hotel next year",
        "Multiplies STAYS_PER_GUEST in the value of a guest kept or lost (the draws do not change); assumed."),
    "return_scale": Assumption(
        1.0, 0.8, 1.2, "× the chance of coming back",
        "Multiplies BASE_RETURN (business 75%, leisure 40%, group 15%); assumed."),
    "fix_cost": Assumption(
        FIX_COST, 5.0, 30.0, "USD per fix",
        "A free breakfast, a room change or staff time; assumed."),
    "empower_cost_per_room": Assumption(
        EMPOWER_COST_PER_ROOM, 20.0, 80.0, "USD per room a year",
        "Training and backing empowered staff; assumed."),
    "root_cause_cost_per_room": Assumption(
        ROOT_CAUSE_COST_PER_ROOM, 30.0, 120.0, "USD per room a year",
        "Analysis of failures and repairs; assumed."),
    "p_report_prompted": Assumption(
        P_REPORT_PROMPTED, 0.50, 0.90, "share of guests with a problem",
        "Reporting when the guarantee requires it (report-during-stay design only); assumed."),
    "report_deterrence": Assumption(
        REPORT_DETERRENCE, 0.25, 0.75, "share of cheats who still claim",
        "Cheats who still claim when they must report during the stay (report-during-stay design only); assumed."),
}
"""The assumed parameters that drive the profit, with a plausible range and
why (``sensitivity.Assumption``). Names ending in ``_scale`` multiply a
per-segment or per-department tuple defined above; the others are the
constants of the same name in lower case (or ``cheating_rate``,
``demand_uplift``, ``margin``, ``failure_scale``, the arguments of
:func:`evaluate_policy`). :func:`guarantee_own_gain` takes every one of them
by name. Figures calibrated to a source (TARP's loyalty rates, the refund
rate and repeat-to-refund ratio) have no range here. Assumptions that shape
the sample or a single design are in :data:`OTHER_ASSUMPTIONS`."""

OTHER_ASSUMPTIONS = {
    "occupancy": Assumption(
        0.70, 0.55, 0.85, "share of room-nights sold",
        "A midscale hotel's year; sets how many stays are drawn (default of draw_stays); assumed."),
    "rate_spread": Assumption(
        RATE_SPREAD, 0.05, 0.20, "lognormal sigma",
        "Spread of room rates around the segment average; assumed."),
    "cheat_stay_share": Assumption(
        CHEAT_STAY_SHARE, 0.25, 1.0, "share of a cheat's stays",
        "How many of his stays a cheat claims on; with the cheating rate fixed it changes only how "
        "concentrated cheating is, not how much there is; assumed."),
    "uplift_kept_report": Assumption(
        UPLIFT_BY_CONDITION["report"], 0.5, 1.0, "share of the demand uplift",
        "Extra bookings kept by a report-during-stay promise (Hart 1988: conditions weaken a promise); assumed."),
    "uplift_kept_one_claim": Assumption(
        UPLIFT_BY_CONDITION["one_claim"], 0.6, 1.0, "share of the demand uplift",
        "Extra bookings kept by a one-claim-per-guest promise; assumed."),
}
"""Assumed parameters that shape the simulated sample or a single design
rather than the comparison of :data:`HAMPTON_LIKE` with its practices, with
their plausible ranges. Changing them means drawing a new year
(:func:`draw_stays`) or changing a design, so they are not in
:func:`how_sure`. The segment mix, nights per stay, room rates and the
satisfaction scores are assumptions too; they describe the sample and do not
decide any conclusion."""

ASSUMPTION_LABELS = {
    "cheating_rate": "cheating rate",
    "demand_uplift": "extra bookings from the promise",
    "margin": "margin per room-night",
    "failure_scale": "failure rates",
    "invoke_scale": "share of unhappy guests who claim",
    "report_scale": "share who report during the stay",
    "p_fix": "fix rate, manager approval",
    "p_fix_empowered": "fix rate, empowered staff",
    "root_cause_cut": "failures removed by root-cause fixing",
    "stays_next_year_scale": "stays of a kept guest next year",
    "return_scale": "chance a guest comes back",
    "fix_cost": "cost of a fix",
    "empower_cost_per_room": "cost of empowerment",
    "root_cause_cost_per_room": "cost of root-cause fixing",
    "p_report_prompted": "reporting when required",
    "report_deterrence": "cheats who still claim when they must report",
}
"""Short human labels of :data:`ASSUMPTIONS` for tables and charts."""

_KNOBS = ("invoke_scale", "report_scale", "p_fix", "p_fix_empowered", "root_cause_cut", "stays_next_year_scale",
          "return_scale", "fix_cost", "empower_cost_per_room", "root_cause_cost_per_room", "p_report_prompted",
          "report_deterrence")
# The model's internal parameters at their default values (the arguments
# cheating_rate, demand_uplift, margin and failure_scale are passed apart).
_DEFAULT_KNOBS = {k: float(ASSUMPTIONS[k].value) for k in _KNOBS}


# Mean satisfaction (1–5) after the stay by what happened; assumptions.
_SAT_NO_PROBLEM = 4.6
_SAT_FIXED = 4.3
_SAT_REFUND_FULL, _SAT_REFUND_NONE = 3.8, 2.3
_SAT_UNRESOLVED = 2.0
_SAT_SILENT = 2.4
_SAT_REFUSED = 1.6
_SAT_NOISE = 0.5

# Outcome codes (internal)
_NO_PROBLEM, _FIXED, _REFUNDED, _UNRESOLVED, _SILENT = range(5)


# --------------------------------------------------------------------------
# Draws
# --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class HotelDraws:
    """Every random number of one hotel-year, drawn once.

    Policies are evaluated on these arrays (one entry per stay unless said
    otherwise), so comparisons use the same guests and the same luck.

    Attributes
    ----------
    n_rooms, occupancy, year : the hotel and the year simulated
    segment : int array (0 business, 1 leisure, 2 group)
    guest : int array, guest index 0..n_guests-1 (numbered by first stay)
    day : int array, day of the year of check-in (0 = 1 January)
    nights : int array
    rate : float array, room rate per night
    u_fail : float array (stays × departments)
    u_report, u_fix, u_voice, u_cheat, u_return, z_sat : float arrays
    u_guest : float array per guest (cheating trait)
    guest_segment : int array per guest
    """

    n_rooms: int
    occupancy: float
    year: int
    segment: np.ndarray
    guest: np.ndarray
    day: np.ndarray
    nights: np.ndarray
    rate: np.ndarray
    u_fail: np.ndarray
    u_report: np.ndarray
    u_fix: np.ndarray
    u_voice: np.ndarray
    u_cheat: np.ndarray
    u_return: np.ndarray
    z_sat: np.ndarray
    u_guest: np.ndarray
    guest_segment: np.ndarray

    @property
    def n_stays(self) -> int:
        return int(self.segment.size)

    @property
    def n_guests(self) -> int:
        return int(self.u_guest.size)

    @property
    def room_nights(self) -> int:
        return int(self.nights.sum())

    @functools.cached_property
    def revenue(self) -> np.ndarray:
        """Room revenue of each stay (rate × nights)."""
        return self.rate * self.nights

    @functools.cached_property
    def _guest_order(self):
        # Stays sorted by guest, then check-in: to find each guest's first claim.
        order = np.lexsort((np.arange(self.n_stays), self.day, self.guest))
        g = self.guest[order]
        start = np.r_[True, g[1:] != g[:-1]]
        start_pos = np.maximum.accumulate(np.where(start, np.arange(g.size), 0))
        return order, start_pos

    @functools.cached_property
    def _cheat_threshold(self) -> np.ndarray:
        # A guest cheats when cheating_rate exceeds u_guest * share / weight.
        w = np.asarray(CHEAT_WEIGHT)[self.guest_segment]
        return self.u_guest * CHEAT_STAY_SHARE / w

    @functools.cached_property
    def _cheat_order(self) -> np.ndarray:
        return np.argsort(self._cheat_threshold, kind="stable")

    def summary(self) -> str:
        """The hotel-year in one line of the current language (what a notebook
        shows for ``draws``; ``repr`` stays the code form)."""
        from . import formatting  # noqa: PLC0415

        return t("hotel.say.draws", rooms=formatting.count(self.n_rooms),
                 occupancy=formatting.share(self.occupancy, decimals=0), year=self.year,
                 stays=formatting.count(self.n_stays), guests=formatting.count(self.n_guests),
                 nights=formatting.count(self.room_nights))

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's display of the object
        p.text(self.summary())

    def __repr__(self) -> str:
        return (f"HotelDraws(n_rooms={self.n_rooms}, occupancy={self.occupancy:g}, year={self.year}, "
                f"stays={self.n_stays:,}, guests={self.n_guests:,}, room_nights={self.room_nights:,})")


def _check_mix(name, mix):
    try:
        arr = np.asarray(mix, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be three shares (business, leisure, group), got {mix!r}") from None
    if arr.shape != (3,) or np.any(arr < 0) or not np.isfinite(arr).all() or not math.isclose(arr.sum(), 1.0, abs_tol=1e-9):
        raise ValueError(f"`{name}` must be three shares >= 0 adding up to 1 (business, leisure, group), got {mix!r}")
    return arr


MAX_ROOMS = 5_000
"""Most rooms a simulated hotel may have (a year of stays is drawn per room; the course uses 200)."""

def draw_stays(n_rooms=200, *, occupancy=0.70, seed=None, year=2025, segment_mix=SEGMENT_MIX) -> HotelDraws:
    """Draw one hotel-year of stays and every random number its outcomes need.

    Parameters
    ----------
    n_rooms : int >= 1
        Rooms in the hotel.
    occupancy : float in (0, 1]
        Share of room-nights sold over the year (70% by default, an
        assumption for a midscale hotel).
    seed : None, int >= 0 or numpy Generator
    year : int
        Calendar year of the check-in dates.
    segment_mix : three shares adding up to 1
        Stays by segment (business, leisure, group).

    Returns
    -------
    HotelDraws

    Notes
    -----
    Stays are drawn until the year's room-nights, n_rooms × 365 ×
    occupancy, are sold; check-in days are spread evenly over the year (the
    model does not track which room is free on which night). The random
    numbers are drawn in a fixed order from one generator, so the same seed
    gives the same hotel-year on every machine.

    Examples
    --------
    >>> d = draw_stays(100, seed=1)
    >>> d.room_nights == round(100 * 365 * 0.70)
    True
    """
    _ck.check_at_most("n_rooms", n_rooms, MAX_ROOMS)
    n_rooms = check_number("n_rooms", n_rooms, low=1, integer=True)
    occ = check_probability("occupancy", occupancy, allow_zero=False)
    rng = check_seed("seed", seed)
    year = check_number("year", year, low=1900, high=2100, integer=True)
    mix = _check_mix("segment_mix", segment_mix)

    target = int(round(n_rooms * DAYS_IN_YEAR * occ))
    if target < 1:
        raise ValueError(f"`n_rooms × 365 × occupancy` must be at least one room-night, got {n_rooms} × 365 × {occ:g}")
    # A pool of candidate stays (each at least one night, so `target` is enough).
    pool_seg = rng.choice(3, size=target, p=mix)
    pool_nights = 1 + rng.poisson(np.asarray(EXTRA_NIGHTS)[pool_seg])
    cum = np.cumsum(pool_nights)
    n = int(np.searchsorted(cum, target, side="left")) + 1
    segment = pool_seg[:n].astype(np.int64)
    nights = pool_nights[:n].astype(np.int64)
    nights[-1] -= cum[n - 1] - target      # the last stay ends the year's sales exactly
    if nights[-1] < 1:                      # pragma: no cover (cannot happen: cum[n-2] < target)
        nights[-1] = 1

    day = np.sort(rng.integers(0, DAYS_IN_YEAR, n))
    rate = np.round(np.asarray(BASE_RATE)[segment] * np.exp(RATE_SPREAD * rng.standard_normal(n)
                                                            - RATE_SPREAD**2 / 2), 2)

    # Guests: each segment has its own pool; frequent guests appear several times.
    raw = np.empty(n, dtype=np.int64)
    offset = 0
    for s in range(3):
        idx = np.flatnonzero(segment == s)
        size = max(1, int(math.ceil(idx.size / STAYS_PER_GUEST[s])))
        raw[idx] = offset + rng.integers(0, size, idx.size)
        offset += size
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    guest = rank[inverse]
    guest_segment = np.empty(first.size, dtype=np.int64)
    guest_segment[guest] = segment

    return HotelDraws(
        n_rooms=n_rooms, occupancy=occ, year=year,
        segment=segment, guest=guest, day=day.astype(np.int64), nights=nights, rate=rate,
        u_fail=rng.random((n, len(DEPARTMENTS))),
        u_report=rng.random(n), u_fix=rng.random(n), u_voice=rng.random(n),
        u_cheat=rng.random(n), u_return=rng.random(n), z_sat=rng.standard_normal(n),
        u_guest=rng.random(first.size), guest_segment=guest_segment,
    )


# --------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    """A guarantee design (or none).

    Parameters
    ----------
    guarantee : bool
        Whether the hotel offers "not fully satisfied, pay nothing".
    refund_share : float in (0, 1]
        Share of the stay's room revenue refunded (1 = full refund).
    condition : {"none", "report", "one_claim"}
        ``report``: only problems reported during the stay qualify (guests
        are told so, and report more); ``one_claim``: one paid claim per
        guest a year.
    empowered : bool
        Front-line staff may fix problems on the spot without asking.
    root_cause : bool
        Claim data are analysed and root causes fixed: failure rates fall
        over the year.

    Examples
    --------
    >>> Policy(refund_share=0.5, condition="report").label
    'guarantee, 50% refund, report during stay'
    """

    guarantee: bool = True
    refund_share: float = 1.0
    condition: str = "none"
    empowered: bool = False
    root_cause: bool = False

    def __post_init__(self):
        check_bool("guarantee", self.guarantee)
        check_number("refund_share", self.refund_share, low=0.0, high=1.0, low_open=True)
        check_choice("condition", self.condition, CONDITIONS)
        check_bool("empowered", self.empowered)
        check_bool("root_cause", self.root_cause)

    @property
    def label(self) -> str:
        if not self.guarantee:
            parts = ["no guarantee"]
        else:
            parts = ["guarantee", f"{self.refund_share:.0%} refund"]
            if self.condition == "report":
                parts.append("report during stay")
            elif self.condition == "one_claim":
                parts.append("one claim per guest")
        if self.empowered:
            parts.append("empowered staff")
        if self.root_cause:
            parts.append("root-cause fixing")
        return ", ".join(parts)


NO_GUARANTEE = Policy(guarantee=False)
"""Today's hotel: no guarantee, staff ask a manager before fixing things."""

HAMPTON_LIKE = Policy(guarantee=True, refund_share=1.0, condition="none", empowered=True, root_cause=True)
"""A design in the spirit of Hampton Inn's 100% guarantee (1989) and of
Hart's (1988) advice: full refund, no conditions, empowered staff, claim data
used to fix causes. The default settings are calibrated to Hampton's figures
with this design."""

PRACTICES_ONLY = Policy(guarantee=False, empowered=True, root_cause=True)
"""The fair baseline for :data:`HAMPTON_LIKE`: the same empowered staff and
root-cause fixing, but no promise to guests."""


DESIGNS = {
    "no guarantee": NO_GUARANTEE,
    "practices only": PRACTICES_ONLY,
    "bare guarantee": Policy(guarantee=True),
    "half refund": Policy(guarantee=True, refund_share=0.5),
    "report during stay": Policy(guarantee=True, condition="report"),
    "one claim per guest": Policy(guarantee=True, condition="one_claim"),
    "Hampton-like": HAMPTON_LIKE,
}
"""Designs compared in the notebook."""


def _check_draws(draws) -> HotelDraws:
    if not isinstance(draws, HotelDraws):
        raise TypeError(f"`draws` must be HotelDraws from casekit.hotel.draw_stays(...), got {type(draws).__name__}")
    return draws


def _check_policy(policy, name="policy") -> Policy:
    if not isinstance(policy, Policy):
        raise TypeError(f"`{name}` must be a casekit.hotel.Policy, got {type(policy).__name__}")
    return policy


def _check_settings(failure_scale, cheating_rate, demand_uplift, margin):
    fs = check_number("failure_scale", failure_scale, low=0.0, high=3.0)
    cr = check_number("cheating_rate", cheating_rate, low=0.0, high=0.2)
    du = check_number("demand_uplift", demand_uplift, low=0.0, high=0.5)
    m = check_probability("margin", margin)
    return fs, cr, du, m


# --------------------------------------------------------------------------
# Outcomes of one policy on the draws
# --------------------------------------------------------------------------

def _outcomes(d: HotelDraws, p: Policy, failure_scale, cheating_rate, margin, *, cheat_all=None, k=None) -> dict:
    """Per-stay outcomes (arrays). ``cheat_all`` True/False overrides which
    guests cheat (used for the exact break-even); ``k`` overrides the
    assumed parameters of :data:`ASSUMPTIONS` (default values otherwise)."""
    k = _DEFAULT_KNOBS if k is None else k
    seg = d.segment
    cut = k["root_cause_cut"] * d.day / (DAYS_IN_YEAR - 1) if p.root_cause else np.zeros(d.n_stays)
    prob = np.clip(np.asarray(FAILURE_RATES)[None, :] * failure_scale * (1.0 - cut)[:, None], 0.0, 1.0)
    fail = d.u_fail < prob
    any_fail = fail.any(axis=1)

    p_report = np.asarray(P_REPORT)[seg] * k["report_scale"]
    if p.guarantee and p.condition == "report":
        p_report = np.maximum(p_report, k["p_report_prompted"])
    reported = any_fail & (d.u_report < p_report)
    fixed = reported & (d.u_fix < (k["p_fix_empowered"] if p.empowered else k["p_fix"]))
    unhappy = any_fail & ~fixed

    n = d.n_stays
    claim = np.zeros(n, dtype=np.int64)          # 0 none, 1 honest, 2 opportunistic
    paid = np.zeros(n, dtype=bool)
    if not p.guarantee:
        complained = reported | (unhappy & (d.u_voice < np.asarray(P_COMPLAIN)[seg] * k["invoke_scale"]))
        refused = np.zeros(n, dtype=bool)
    else:
        honest = unhappy & (d.u_voice < np.asarray(INVOKE_RATE)[seg] * k["invoke_scale"])
        if cheat_all is None:
            cheater = (d._cheat_threshold < cheating_rate)[d.guest]
        else:
            cheater = np.full(n, bool(cheat_all))
        share = CHEAT_STAY_SHARE * (k["report_deterrence"] if p.condition == "report" else 1.0)
        opportunistic = ~unhappy & cheater & (d.u_cheat < share)
        claim[honest] = 1
        claim[opportunistic] = 2
        tried = claim > 0
        allowed = tried.copy()
        if p.condition == "report":
            allowed &= ~honest | reported          # honest claims need a report during the stay
        elif p.condition == "one_claim":
            order, start_pos = d._guest_order
            c = allowed[order]
            before = np.cumsum(c) - c              # paid claims before this stay, whole table
            first = c & (before - before[start_pos] == 0)
            allowed = np.empty(n, dtype=bool)
            allowed[order] = first
        paid = allowed
        refused = tried & ~paid
        complained = reported | tried

    refund = np.where(paid, p.refund_share * d.revenue, 0.0)

    outcome = np.full(n, _NO_PROBLEM)
    outcome[fixed] = _FIXED
    outcome[unhappy & complained] = _UNRESOLVED
    outcome[unhappy & ~complained] = _SILENT
    outcome[unhappy & paid] = _REFUNDED
    tarp = TARP_LOYALTY["small_loss"]
    unres, res = float(tarp["complained_unresolved"]), float(tarp["resolved"])
    factor_by = np.array([1.0, 1.0, 0.0, unres, float(tarp["no_complaint"])]) / LOYALTY_REFERENCE
    factor = factor_by[outcome]
    refund_share = p.refund_share if p.guarantee else 0.0
    factor[outcome == _REFUNDED] = (unres + refund_share * (res - unres)) / LOYALTY_REFERENCE
    base_return = np.minimum(np.asarray(BASE_RETURN)[seg] * k["return_scale"], 1.0)
    returned = d.u_return < base_return * np.minimum(factor, 1.0)

    here = np.asarray(STAYS_PER_GUEST)[seg] * k["stays_next_year_scale"]
    repeat = np.where(returned, here, 0.0)
    # Guests who would have come back had nothing gone wrong, but do not.
    lost = (d.u_return < base_return) & ~returned
    profit = margin * d.revenue * (1.0 - lost * here) - refund - k["fix_cost"] * fixed
    return {"fail": fail, "any_fail": any_fail, "reported": reported, "fixed": fixed, "unhappy": unhappy,
            "complained": complained, "claim": claim, "paid": paid, "refused": refused, "refund": refund,
            "outcome": outcome, "returned": returned, "repeat": repeat, "lost": lost, "profit": profit}


def _extra_share(d: HotelDraws, p: Policy, demand_uplift) -> float:
    """Extra room-nights won, as a share of room-nights sold, capped by the
    rooms left empty."""
    if not p.guarantee:
        return 0.0
    u = demand_uplift * p.refund_share * UPLIFT_BY_CONDITION[p.condition]
    headroom = d.n_rooms * DAYS_IN_YEAR / d.room_nights - 1.0
    return float(min(u, max(headroom, 0.0)))


def _programme_cost(d: HotelDraws, p: Policy, k=None) -> float:
    k = _DEFAULT_KNOBS if k is None else k
    return d.n_rooms * (k["empower_cost_per_room"] * p.empowered + k["root_cause_cost_per_room"] * p.root_cause)


def evaluate_policy(draws, policy, *, failure_scale=1.0, cheating_rate=CHEATING_RATE,
                    demand_uplift=DEMAND_UPLIFT, margin=MARGIN) -> pd.Series:
    """One policy's year on the stored draws: claims, refunds, loyalty, profit.

    Parameters
    ----------
    draws : HotelDraws
        From :func:`draw_stays`; nothing is drawn anew.
    policy : Policy
    failure_scale : float in [0, 3]
        Multiplies every department's failure rate (1 = the default rates).
    cheating_rate : float in [0, 0.2]
        Opportunistic claims per stay without a real problem (a leisure or
        group guest cheats a little more, a business guest less).
    demand_uplift : float in [0, 0.5]
        Extra room-nights an unconditional full guarantee wins, as a share of
        room-nights sold (less for partial or conditional designs).
    margin : float in [0, 1]
        Contribution margin of a room-night.

    Returns
    -------
    Series with ``stays``, ``room_nights``, ``stays_with_failure``,
    ``fixed_on_spot``, ``unhappy_guests``, ``claims_honest``,
    ``claims_opportunistic``, ``claims_refused``, ``refunds_paid``,
    ``refunds_per_1000_room_nights`` (room-nights refunded),
    ``extra_room_nights``, ``repeat_guests`` (stays whose guest comes back),
    ``guests_lost`` (would have come back but for a problem),
    ``repeat_stays`` (their stays at this hotel in the next 12 months),
    ``repeat_business_from_claimants`` (revenue of all later stays,
    chain-wide, of guests whose claim was paid: :data:`REPEAT_STAYS` each
    for those who come back, as Hampton counted it),
    ``repeat_to_refund`` (that revenue per unit refunded),
    ``programme_cost`` and ``profit``.

    Notes
    -----
    For stay *i* with room revenue R_i::

        profit_i = m · R_i · (1 − lost_i · H_seg) − refund_i − fix cost_i

    where H_seg is :data:`STAYS_PER_GUEST` (the guest's stays at this hotel
    in the next 12 months) and lost_i says the guest would have come back
    had nothing gone wrong, but does not: profit is the year's contribution
    less next year's margin that the year's failures drive away. The
    guest's later years and stays elsewhere in the chain are left out, so
    the profit is a cautious, one-hotel view; the chain-wide lifetime view
    is ``repeat_business_from_claimants`` (Hampton's measure). A guest with a problem comes back
    with the segment's base rate times TARP's loyalty for the outcome
    relative to "resolved quickly" (TARP 1986): silent 37%, complained and
    unresolved 46%, resolved (a full refund) 70%, fixed on the spot 95%; a
    partial refund lies in between in proportion to the refund share. Extra
    guests won by the guarantee behave like the year's guests::

        profit = (1 + e) · Σ profit_i − programme cost

    with e the extra room-nights as a share of those sold.

    Examples
    --------
    >>> d = draw_stays(50, seed=3)
    >>> r = evaluate_policy(d, HAMPTON_LIKE)
    >>> bool(r["claims_opportunistic"] >= 0)
    True
    """
    d = _check_draws(draws)
    p = _check_policy(policy)
    fs, cr, du, m = _check_settings(failure_scale, cheating_rate, demand_uplift, margin)
    o = _outcomes(d, p, fs, cr, m)
    return _summary(d, p, o, du)


def _summary(d, p, o, demand_uplift, k=None) -> pd.Series:
    e = _extra_share(d, p, demand_uplift)
    paid = o["paid"]
    lifetime = np.where(o["returned"], np.asarray(REPEAT_STAYS)[d.segment], 0.0)
    claimant_repeat = float((lifetime * d.revenue)[paid].sum())
    refunds = float(o["refund"].sum())
    cost = _programme_cost(d, p, k)
    rn = d.room_nights
    return pd.Series({
        "stays": d.n_stays,
        "room_nights": rn,
        "stays_with_failure": int(o["any_fail"].sum()),
        "fixed_on_spot": int(o["fixed"].sum()),
        "unhappy_guests": int(o["unhappy"].sum()),
        "claims_honest": int((paid & (o["claim"] == 1)).sum()),
        "claims_opportunistic": int((paid & (o["claim"] == 2)).sum()),
        "claims_refused": int(o["refused"].sum()),
        "refunds_paid": refunds,
        "refunds_per_1000_room_nights": 1000 * float(d.nights[paid].sum()) / rn,
        "extra_room_nights": e * rn,
        "repeat_guests": int(o["returned"].sum()),
        "guests_lost": int(o["lost"].sum()),
        "repeat_stays": float(o["repeat"].sum()),
        "repeat_business_from_claimants": claimant_repeat,
        "repeat_to_refund": claimant_repeat / refunds if refunds > 0 else float("nan"),
        "programme_cost": cost,
        "profit": (1.0 + e) * float(o["profit"].sum()) - cost,
    }, name=p.label)


def compare_policies(draws, policies=None, **settings) -> pd.DataFrame:
    """Several policies side by side on the same draws (one column each).

    Parameters
    ----------
    draws : HotelDraws
    policies : dict name → Policy, optional
        Defaults to :data:`DESIGNS`.
    **settings
        ``failure_scale``, ``cheating_rate``, ``demand_uplift``, ``margin``
        as in :func:`evaluate_policy`.

    Returns
    -------
    DataFrame: rows are the outputs of :func:`evaluate_policy` plus
    ``gain_vs_first`` (profit minus the first policy's profit); columns
    are the policy names.
    """
    policies = DESIGNS if policies is None else policies
    if not isinstance(policies, dict) or not policies:
        raise ValueError("`policies` must be a non-empty dict of name → Policy")
    for name, pol in policies.items():
        _check_policy(pol, f"policies[{name!r}]")
    cols = {name: evaluate_policy(draws, pol, **settings) for name, pol in policies.items()}
    out = pd.DataFrame(cols)
    first = out.iloc[:, 0]
    out.loc["gain_vs_first"] = out.loc["profit"] - first["profit"]
    return out


# --------------------------------------------------------------------------
# Baselines: today's hotel, or the same practices without the promise
# --------------------------------------------------------------------------

def practices_of(policy) -> Policy:
    """The same hotel as ``policy`` without the guarantee: the same empowered
    staff and root-cause fixing, no promise (the baseline that measures the
    guarantee's own contribution).

    >>> practices_of(HAMPTON_LIKE) == PRACTICES_ONLY
    True
    """
    p = _check_policy(policy)
    return Policy(guarantee=False, empowered=p.empowered, root_cause=p.root_cause)


# --------------------------------------------------------------------------
# Break-even cheating rate
# --------------------------------------------------------------------------

def _gain_curve(d, p, base_profit, fs, du, m):
    """Profit gain over a baseline profit as a step function of the cheating
    rate: (sorted guest thresholds, gain after each guest turns cheater,
    gain without cheating)."""
    e = _extra_share(d, p, du)
    honest = _outcomes(d, p, fs, 0.0, m, cheat_all=False)
    cheats = _outcomes(d, p, fs, 0.0, m, cheat_all=True)
    cost_g = np.bincount(d.guest, weights=honest["profit"] - cheats["profit"], minlength=d.n_guests)
    gain0 = (1.0 + e) * honest["profit"].sum() - _programme_cost(d, p) - base_profit
    order = d._cheat_order
    return d._cheat_threshold[order], gain0 - (1.0 + e) * np.cumsum(cost_g[order]), float(gain0)


def _breakeven_from(thresholds, gain, gain0):
    if gain0 <= 0:
        return None
    below = np.flatnonzero(gain <= 0)
    return float(thresholds[below[0]]) if below.size else float("inf")


def _curve_from(thresholds, gain, gain0, rates) -> np.ndarray:
    k = np.searchsorted(thresholds, rates, side="left")       # guests with threshold < rate cheat
    return np.where(k == 0, gain0, gain[np.maximum(k - 1, 0)])


def _baseline_profit(d, b, fs, du, m) -> float:
    return float(_summary(d, b, _outcomes(d, b, fs, 0.0, m), du)["profit"])


NEVER_PAYS = "never pays"
"""How :func:`format_breakeven` prints a break-even that does not exist."""

ALWAYS_PAYS = "pays at any cheating rate"
"""How :func:`format_breakeven` prints an infinite break-even."""


def format_breakeven(rate, decimals=2) -> str:
    """A break-even cheating rate for readers: ``None`` (the guarantee loses
    money even if nobody cheats) → "never pays"; ``inf`` → "pays at any
    cheating rate"; otherwise a percentage. The words follow the language
    (``casekit.set_language``): "始终不划算" in Chinese.

    ``pd.NA`` (no promise, so no break-even) prints as a dash.

    >>> format_breakeven(0.011185), format_breakeven(None), format_breakeven(float("inf"))
    ('1.12%', 'never pays', 'pays at any cheating rate')
    """
    decimals = check_number("decimals", decimals, low=0, high=6, integer=True)
    if rate is pd.NA:
        return "–"
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return t("hotel.breakeven.never")
    if isinstance(rate, float) and rate == math.inf:
        return t("hotel.breakeven.always")
    r = check_number("rate", rate, low=0.0)
    return f"{r:.{decimals}%}"


def breakeven_cheating_rate(draws, policy=HAMPTON_LIKE, *, baseline=None, failure_scale=1.0,
                            demand_uplift=DEMAND_UPLIFT, margin=MARGIN):
    """The cheating rate at which the guarantee's profit falls to the
    baseline's (break-even 盈亏平衡).

    Exact on the draws: each guest has a fixed threshold of the cheating
    rate above which he cheats, and the cost of his cheating does not depend
    on other guests; so the gain is the gain without cheating minus the
    cumulative cost of the guests who turn, in threshold order.

    Parameters
    ----------
    draws : HotelDraws
    policy : Policy with a guarantee
    baseline : Policy, optional
        What the guarantee is compared with. Default: the same hotel without
        the promise (:func:`practices_of`), so the break-even is the
        guarantee's own. Pass :data:`NO_GUARANTEE` to credit the guarantee
        with the practices too.
    failure_scale, demand_uplift, margin : as in :func:`evaluate_policy`

    Returns
    -------
    float, or None: ``None`` if the guarantee loses money even when nobody
    cheats (it never pays; print it with :func:`format_breakeven`), ``inf``
    if it pays even when every guest who could cheat does.

    Notes
    -----
    The back-of-envelope closed form,
    ρ* = (Benefit − N·q·α·ADR) / (N·ADR), is :func:`guarantee_roi`.

    Examples
    --------
    >>> d = draw_stays(50, seed=3)
    >>> breakeven_cheating_rate(d, baseline=NO_GUARANTEE) > 0
    True
    >>> breakeven_cheating_rate(d, Policy(), demand_uplift=0.0) is None
    True
    """
    d = _check_draws(draws)
    p = _check_policy(policy)
    b = practices_of(p) if baseline is None else _check_policy(baseline, "baseline")
    if not p.guarantee:
        raise ValueError("`policy` must offer a guarantee (guarantee=True) to have a break-even cheating rate, got no guarantee")
    fs, _, du, m = _check_settings(failure_scale, 0.0, demand_uplift, margin)
    return _breakeven_from(*_gain_curve(d, p, _baseline_profit(d, b, fs, du, m), fs, du, m))


def guarantee_gain_curve(draws, policy=HAMPTON_LIKE, cheating_rates=None, *, baseline=None,
                         failure_scale=1.0, demand_uplift=DEMAND_UPLIFT, margin=MARGIN) -> pd.DataFrame:
    """Profit gain of ``policy`` over ``baseline`` for a grid of cheating
    rates (from the same draws; one row per rate: ``cheating_rate``,
    ``gain``). The default baseline is the same hotel without the promise
    (:func:`practices_of`), as in :func:`breakeven_cheating_rate`."""
    if cheating_rates is not None:
        _ck.check_array_like("cheating_rates", cheating_rates, rule="checks.rule.rates", max_size=10_000)
    d = _check_draws(draws)
    p = _check_policy(policy)
    b = practices_of(p) if baseline is None else _check_policy(baseline, "baseline")
    fs, _, du, m = _check_settings(failure_scale, 0.0, demand_uplift, margin)
    rates = np.linspace(0, 0.05, 51) if cheating_rates is None else np.asarray(cheating_rates, dtype=float)
    if rates.ndim != 1 or rates.size == 0 or np.any(rates < 0) or not np.isfinite(rates).all():
        raise ValueError("`cheating_rates` must be a non-empty list of rates >= 0")
    if not p.guarantee:
        gain = evaluate_policy(d, p, failure_scale=fs, demand_uplift=du, margin=m)["profit"] - \
            evaluate_policy(d, b, failure_scale=fs, demand_uplift=du, margin=m)["profit"]
        return pd.DataFrame({"cheating_rate": rates, "gain": np.full(rates.size, gain)})
    curve = _gain_curve(d, p, _baseline_profit(d, b, fs, du, m), fs, du, m)
    return pd.DataFrame({"cheating_rate": rates, "gain": _curve_from(*curve, rates)})


# --------------------------------------------------------------------------
# The guarantee's own contribution
# --------------------------------------------------------------------------

DECOMPOSITION_STEPS = ("practices alone", "guarantee on top", "total over today's hotel")
"""Rows of :func:`guarantee_decomposition`."""


def guarantee_decomposition(draws, policy=HAMPTON_LIKE, *, failure_scale=1.0, cheating_rate=CHEATING_RATE,
                            demand_uplift=DEMAND_UPLIFT, margin=MARGIN) -> pd.DataFrame:
    """Split a design's gain over today's hotel into what its practices bring
    alone and what the guarantee adds on top of them.

    Parameters
    ----------
    draws : HotelDraws
    policy : Policy with a guarantee (default :data:`HAMPTON_LIKE`)
    failure_scale, cheating_rate, demand_uplift, margin : as in :func:`evaluate_policy`

    Returns
    -------
    DataFrame indexed by :data:`DECOMPOSITION_STEPS` with columns
    ``compared_with`` (the baseline's label), ``gain`` (a year's profit over
    that baseline), ``gain_no_uplift`` (the same if the promise wins no extra
    bookings), ``breakeven`` and ``breakeven_no_uplift`` (cheating rates;
    ``None`` where the step never pays; ``pd.NA`` for the practices, which
    offer no promise to cheat on; print them with :func:`format_breakeven`).

    Notes
    -----
    practices alone = profit(practices, no promise) − profit(today's hotel);
    guarantee on top = profit(policy) − profit(practices, no promise); the two
    add up to the total. The practices are :func:`practices_of` the policy.

    Examples
    --------
    >>> d = draw_stays(50, seed=3)
    >>> t = guarantee_decomposition(d)
    >>> bool(abs(t["gain"].iloc[0] + t["gain"].iloc[1] - t["gain"].iloc[2]) < 1e-6)
    True
    """
    d = _check_draws(draws)
    p = _check_policy(policy)
    if not p.guarantee:
        raise ValueError("`policy` must offer a guarantee (guarantee=True) to split its gain, got no guarantee")
    fs, cr, du, m = _check_settings(failure_scale, cheating_rate, demand_uplift, margin)
    practices = practices_of(p)
    rows = {}
    profits = {}
    for uplift in (du, 0.0):
        profits[uplift] = {name: float(_summary(d, pol, _outcomes(d, pol, fs, cr, m), uplift)["profit"])
                           for name, pol in (("today", NO_GUARANTEE), ("practices", practices), ("policy", p))}
    for step, (new, old, base_label) in zip(DECOMPOSITION_STEPS, (
            ("practices", "today", NO_GUARANTEE.label), ("policy", "practices", practices.label),
            ("policy", "today", NO_GUARANTEE.label))):
        base = practices if old == "practices" else NO_GUARANTEE
        if new == "policy":
            be = breakeven_cheating_rate(d, p, baseline=base, failure_scale=fs, demand_uplift=du, margin=m)
            be0 = breakeven_cheating_rate(d, p, baseline=base, failure_scale=fs, demand_uplift=0.0, margin=m)
        else:
            be = be0 = pd.NA
        rows[step] = {
            "compared_with": base_label,
            "gain": profits[du][new] - profits[du][old],
            "gain_no_uplift": profits[0.0][new] - profits[0.0][old],
            "breakeven": be,
            "breakeven_no_uplift": be0,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    for col in ("breakeven", "breakeven_no_uplift"):         # keep None ("never pays") apart from nan
        out[col] = pd.Series([rows[step][col] for step in rows], index=out.index, dtype=object)
    out.index.name = "step"
    return out


def guarantee_own_gain(draws, policy=HAMPTON_LIKE, **params) -> float:
    """The case's headline figure: a year's profit of ``policy`` over the
    same hotel without the promise (:func:`practices_of`), as a function of
    the named assumptions.

    Parameters
    ----------
    draws : HotelDraws
        Reused as they are (common random numbers): nothing is drawn anew,
        so a call takes a few milliseconds.
    policy : Policy with a guarantee
    **params
        Any of the names in :data:`ASSUMPTIONS`; the others keep their
        default values.

    Returns
    -------
    float: the guarantee's own gain (currency units a year; negative when
    the promise loses money).

    Examples
    --------
    >>> d = draw_stays(50, seed=3)
    >>> guarantee_own_gain(d, demand_uplift=0.04) > guarantee_own_gain(d, demand_uplift=0.0)
    True
    """
    d = _check_draws(draws)
    p = _check_policy(policy)
    if not p.guarantee:
        raise ValueError("`policy` must offer a guarantee (guarantee=True) to have an own gain, got no guarantee")
    unknown = sorted(set(params) - set(ASSUMPTIONS))
    if unknown:
        raise ValueError(f"`params` may name only the assumptions in casekit.hotel.ASSUMPTIONS "
                         f"({', '.join(ASSUMPTIONS)}), got {', '.join(unknown)}")
    values = {name: float(a.value) for name, a in ASSUMPTIONS.items()}
    for name, v in params.items():
        values[name] = check_number(name, v, low=0.0)
    for name in ("p_fix", "p_fix_empowered", "root_cause_cut", "p_report_prompted", "report_deterrence"):
        check_probability(name, values[name])
    fs, cr, du, m = _check_settings(values["failure_scale"], values["cheating_rate"], values["demand_uplift"],
                                    values["margin"])
    k = {name: values[name] for name in _KNOBS}
    b = practices_of(p)
    with_g = _summary(d, p, _outcomes(d, p, fs, cr, m, k=k), du, k)
    without = _summary(d, b, _outcomes(d, b, fs, cr, m, k=k), du, k)
    return float(with_g["profit"] - without["profit"])


def how_sure(draws, policy=HAMPTON_LIKE) -> pd.DataFrame:
    """"How sure are we?" for the guarantee's own gain: :func:`casekit.sensitivity.tornado`
    of :func:`guarantee_own_gain` over :data:`ASSUMPTIONS`, one assumption at
    a time, labelled in the current language (:data:`ASSUMPTION_LABELS` in
    English; largest swing first; ``attrs["base_figure"]`` is the gain at the
    default values), with a ``unit`` column (the unit of :data:`ASSUMPTIONS`,
    in the current language)."""
    from .sensitivity import tornado

    d = _check_draws(draws)
    p = _check_policy(policy)
    labels = {name: t(f"hotel.assumption.{name}") for name in ASSUMPTIONS}
    table = tornado(functools.partial(guarantee_own_gain, d, p), ASSUMPTIONS, labels=labels)
    table.insert(1, "unit", [t(f"hotel.unit.{name}") for name in table.index])
    return table


def guarantee_roi(room_nights, adr, margin, failure_rate, invoke_rate, cheating_rate, *,
                  loyalty_gain, future_stays, demand_uplift=0.0) -> pd.Series:
    """Back-of-envelope guarantee economics (a closed-form slider model);
    one refunded night per claim.

    Parameters
    ----------
    room_nights : float > 0
        N, room-nights sold in the year.
    adr : float > 0
        Average daily rate (currency units).
    margin : float in [0, 1]
        m, contribution margin of a room-night.
    failure_rate : float in [0, 1]
        q, share of room-nights with an unresolved failure.
    invoke_rate : float in [0, 1]
        α, share of those guests who invoke.
    cheating_rate : float in [0, 1]
        ρ, opportunistic claims per room-night.
    loyalty_gain : float in [0, 1]
        Δloyalty, extra chance of coming back after a paid claim (TARP:
        from 0.37 to 0.70–0.95).
    future_stays : float >= 0
        Stays a returning guest brings.
    demand_uplift : float >= 0
        u, extra room-nights as a share of N.

    Returns
    -------
    Series with ``payout``, ``benefit``, ``net`` and ``breakeven_cheating_rate``
    (``nan`` when the benefit does not cover the honest claims' refunds: the
    guarantee never pays, and :func:`format_breakeven` prints "never pays").

    Notes
    -----
    ::

        payout  = N·(q·α + ρ)·ADR
        benefit = N·q·α·Δloyalty·stays·ADR·m + u·N·ADR·m
        ρ*      = (benefit − N·q·α·ADR) / (N·ADR)

    Examples
    --------
    100 rooms at 70% occupancy, USD 80 a night, 0.4% of nights refunded:

    >>> r = guarantee_roi(25_550, 80, 0.7, 0.1, 0.03, 0.001, loyalty_gain=0.33, future_stays=10)
    >>> round(r["payout"])
    8176
    """
    n = check_positive("room_nights", room_nights)
    adr = check_positive("adr", adr)
    m = check_probability("margin", margin)
    q = check_probability("failure_rate", failure_rate)
    a = check_probability("invoke_rate", invoke_rate)
    rho = check_probability("cheating_rate", cheating_rate)
    dl = check_probability("loyalty_gain", loyalty_gain)
    fs = check_positive("future_stays", future_stays, allow_zero=True)
    u = check_positive("demand_uplift", demand_uplift, allow_zero=True)
    payout = n * (q * a + rho) * adr
    benefit = n * q * a * dl * fs * adr * m + u * n * adr * m
    rho_star = (benefit - n * q * a * adr) / (n * adr)
    return pd.Series({"payout": payout, "benefit": benefit, "net": benefit - payout,
                      "breakeven_cheating_rate": rho_star if rho_star >= 0 else float("nan")})


# --------------------------------------------------------------------------
# Hart's five criteria
# --------------------------------------------------------------------------

HART_CRITERIA = ("unconditional", "easy to understand", "meaningful", "easy to invoke", "easy to collect")
"""Hart (1988), "The power of unconditional service guarantees", HBR
66(4): 54–62."""

_SCORE = {2: "yes", 1: "partly", 0: "no"}


def hart_criteria(policy) -> pd.Series:
    """Score a design on Hart's five criteria: 2 = yes, 1 = partly, 0 = no.

    The rules: a condition makes a promise partly conditional, harder to
    understand and (report during stay) harder to invoke; a partial refund
    is only partly meaningful; without empowered staff a guest must ask a
    manager, so collecting is only partly easy. No guarantee scores 0.

    >>> int(hart_criteria(HAMPTON_LIKE).sum())
    10
    """
    p = _check_policy(policy)
    if not p.guarantee:
        return pd.Series(0, index=list(HART_CRITERIA), name=p.label)
    cond = p.condition != "none"
    scores = {
        "unconditional": 1 if cond else 2,
        "easy to understand": 1 if cond else 2,
        "meaningful": 2 if p.refund_share >= 1 else 1,
        "easy to invoke": 1 if p.condition == "report" else 2,
        "easy to collect": 2 if p.empowered else 1,
    }
    return pd.Series(scores, name=p.label)


def hart_table(policies=None) -> pd.DataFrame:
    """Hart's criteria for several designs: "yes" / "partly" / "no", with a
    ``score`` row (out of 10)."""
    policies = DESIGNS if policies is None else policies
    if not isinstance(policies, dict) or not policies:
        raise ValueError("`policies` must be a non-empty dict of name → Policy")
    scores = pd.DataFrame({name: hart_criteria(p) for name, p in policies.items()})
    out = scores.map(_SCORE.get).astype(object)
    out.loc["score (of 10)"] = scores.sum().astype(int)
    return out


# --------------------------------------------------------------------------
# The data as a table
# --------------------------------------------------------------------------

STAY_SCHEMA = {
    "stay_id": ("int", "stay number, in order of check-in"),
    "guest_id": ("int", "guest number; frequent guests have several stays"),
    "segment": ("ordered:business,leisure,group", "business, leisure or group guest"),
    "check_in": ("datetime", "day of arrival (date)"),
    "nights": ("int", "nights stayed (nights)"),
    "room_rate": ("float", "room rate per night (USD)"),
    "fail_front_desk": ("bool", "front desk failed the guest: slow or wrong check-in, billing error (True/False)"),
    "fail_housekeeping": ("bool", "room not clean or not ready (True/False)"),
    "fail_maintenance": ("bool", "something in the room broken: air-conditioning, shower, TV (True/False)"),
    "fail_noise": ("bool", "guest kept awake by noise (True/False)"),
    "fail_breakfast": ("bool", "breakfast missing, cold or crowded (True/False)"),
    "satisfaction": ("int", "guest's satisfaction after the stay, 1 = very dissatisfied … 5 = fully satisfied (score)"),
    "complained": ("bool", "told staff about a problem during the stay or claimed afterwards (True/False)"),
    "invoked": ("bool", "asked for money back under the guarantee (True/False)"),
    "claim_type": ("ordered:none,honest,opportunistic",
                   "none; honest (the guest had a real, unfixed problem); opportunistic (no real problem)"),
    "refund_paid": ("float", "money refunded for the stay; 0 if no claim or the claim was refused (USD)"),
    "fixed_on_spot": ("bool", "a reported problem was fixed before check-out (True/False)"),
    "returned": ("bool", "the model's loyalty outcome of this stay: the guest comes back within 12 months "
                 "(True/False); drives repeat business, not matched to the guest's other rows"),
}


def _satisfaction(d, p, o) -> np.ndarray:
    mean = np.full(d.n_stays, _SAT_NO_PROBLEM)
    outcome = o["outcome"]
    mean[outcome == _FIXED] = _SAT_FIXED
    mean[outcome == _UNRESOLVED] = _SAT_UNRESOLVED
    mean[outcome == _SILENT] = _SAT_SILENT
    share = p.refund_share if p.guarantee else 0.0
    mean[outcome == _REFUNDED] = _SAT_REFUND_NONE + share * (_SAT_REFUND_FULL - _SAT_REFUND_NONE)
    mean[o["refused"] & o["unhappy"]] = _SAT_REFUSED
    return np.clip(np.rint(mean + _SAT_NOISE * d.z_sat), 1, 5).astype(np.int64)


def stays_frame(draws, policy=HAMPTON_LIKE, *, failure_scale=1.0, cheating_rate=CHEATING_RATE) -> pd.DataFrame:
    """The stays of ``draws`` under ``policy`` as a DataFrame (one row per
    stay, the columns of :data:`STAY_SCHEMA` in that order)."""
    d = _check_draws(draws)
    p = _check_policy(policy)
    fs, cr, _, m = _check_settings(failure_scale, cheating_rate, 0.0, MARGIN)
    o = _outcomes(d, p, fs, cr, m)
    cols = {
        "stay_id": np.arange(1, d.n_stays + 1, dtype=np.int64),
        "guest_id": d.guest + 1,
        "segment": pd.Categorical.from_codes(d.segment, categories=list(SEGMENTS), ordered=True),
        "check_in": pd.Timestamp(f"{d.year}-01-01") + pd.to_timedelta(d.day, unit="D"),
        "nights": d.nights,
        "room_rate": d.rate,
    }
    for j, dept in enumerate(DEPARTMENTS):
        cols[f"fail_{dept}"] = o["fail"][:, j]
    claim = o["claim"]
    cols.update({
        "satisfaction": _satisfaction(d, p, o),
        "complained": o["complained"],
        "invoked": claim > 0,
        "claim_type": pd.Categorical.from_codes(claim, categories=list(CLAIM_TYPES), ordered=True),
        "refund_paid": np.round(o["refund"], 2),
        "fixed_on_spot": o["fixed"],
        "returned": o["returned"],
    })
    return pd.DataFrame(cols)


def make_hotel_stays(n_rooms=200, *, occupancy=0.70, seed=None, year=2025, segment_mix=SEGMENT_MIX,
                     policy=HAMPTON_LIKE, failure_scale=1.0, cheating_rate=CHEATING_RATE) -> pd.DataFrame:
    """Simulate one hotel-year of stays under a guarantee policy.

    Parameters
    ----------
    n_rooms : int >= 1
        Rooms in the hotel.
    occupancy : float in (0, 1]
        Share of room-nights sold.
    seed : None, int >= 0 or numpy Generator
    year : int
    segment_mix : three shares (business, leisure, group) adding up to 1
    policy : Policy
        The design in force (default :data:`HAMPTON_LIKE`).
    failure_scale : float in [0, 3]
        Multiplies the departments' failure rates.
    cheating_rate : float in [0, 0.2]
        Opportunistic claims per stay without a real problem.

    Returns
    -------
    DataFrame with the columns of :data:`STAY_SCHEMA`, in that order.

    Notes
    -----
    ``make_hotel_stays(...)`` is ``stays_frame(draw_stays(...), policy)``:
    the same draws evaluated under another policy give the same guests and
    the same failures (see :func:`evaluate_policy` for the model).

    Examples
    --------
    >>> df = make_hotel_stays(20, seed=1)
    >>> list(df.columns) == list(STAY_SCHEMA)
    True
    """
    _ck.check_at_most("n_rooms", n_rooms, MAX_ROOMS)
    d = draw_stays(n_rooms, occupancy=occupancy, seed=seed, year=year, segment_mix=segment_mix)
    return stays_frame(d, policy, failure_scale=failure_scale, cheating_rate=cheating_rate)


def segment_reactions(stays) -> pd.DataFrame:
    """How guests with an unfixed problem reacted, by segment.

    Parameters
    ----------
    stays : DataFrame with the columns of :data:`STAY_SCHEMA`

    Returns
    -------
    DataFrame indexed by segment with ``stays``, ``unhappy`` (a problem not
    fixed on the spot), ``invoked_pct`` (of the unhappy, % who asked for a
    refund), ``left_silently_pct`` (% who neither reported nor claimed),
    ``came_back_pct`` for those who invoked and for those who left silently,
    and ``opportunistic_per_1000`` (opportunistic claims per 1,000 stays).
    """
    from ._checks import check_frame

    df = check_frame("stays", stays, list(STAY_SCHEMA))
    fail_cols = [f"fail_{x}" for x in DEPARTMENTS]
    unhappy = df[fail_cols].any(axis=1) & ~df["fixed_on_spot"]
    honest = df["claim_type"] == "honest"
    silent = unhappy & ~df["complained"]
    g = df.assign(unhappy=unhappy, honest=honest & unhappy, silent=silent,
                  opp=df["claim_type"] == "opportunistic",
                  back_inv=(honest & unhappy & df["returned"]),
                  back_sil=(silent & df["returned"])).groupby("segment", observed=True)
    out = pd.DataFrame({
        "stays": g.size(),
        "unhappy": g["unhappy"].sum(),
        "invoked_pct": 100 * g["honest"].sum() / g["unhappy"].sum(),
        "left_silently_pct": 100 * g["silent"].sum() / g["unhappy"].sum(),
        "came_back_if_invoked_pct": 100 * g["back_inv"].sum() / g["honest"].sum(),
        "came_back_if_silent_pct": 100 * g["back_sil"].sum() / g["silent"].sum(),
        "opportunistic_per_1000": 1000 * g["opp"].sum() / g.size(),
    })
    return out


# --------------------------------------------------------------------------
# What-if (the notebook's Explore section)
# --------------------------------------------------------------------------

WHATIF_RATES = np.linspace(0.0, 0.05, 26)
"""Cheating rates on the x axis of the what-if chart (0% to 5%)."""


@functools.lru_cache(maxsize=32)
def _no_promise_summary(d, b, fs, m) -> pd.Series:
    """A policy without a guarantee on the draws (cached for the what-if
    panel: neither cheating nor the demand uplift acts on it)."""
    return _summary(d, b, _outcomes(d, b, fs, 0.0, m), 0.0)


def _whatif(d, refund_share, condition, empowered, root_cause, failure_scale, cheating_rate, demand_uplift):
    """The what-if numbers plus the gain curve and the break-even (both of
    the guarantee on top of its practices)."""
    p = Policy(guarantee=True, refund_share=refund_share, condition=condition,
               empowered=empowered, root_cause=root_cause)
    b = practices_of(p)
    fs, cr, du, m = _check_settings(failure_scale, cheating_rate, demand_uplift, MARGIN)
    with_g = _summary(d, p, _outcomes(d, p, fs, cr, m), du)
    practices = _no_promise_summary(d, b, fs, m)
    today = _no_promise_summary(d, NO_GUARANTEE, fs, m)
    curve = _gain_curve(d, p, float(practices["profit"]), fs, du, m)
    be = _breakeven_from(*curve)
    values = {
        "profit": round(float(with_g["profit"])),
        "gain_practices": round(float(practices["profit"] - today["profit"])),
        "gain_promise": round(float(with_g["profit"] - practices["profit"])),
        "refunds": round(float(with_g["refunds_paid"])),
        "honest": int(with_g["claims_honest"]),
        "opportunistic": int(with_g["claims_opportunistic"]),
        "refused": int(with_g["claims_refused"]),
        "extra_nights": round(float(with_g["extra_room_nights"])),
        "kept": int(practices["guests_lost"] - with_g["guests_lost"]),
        "breakeven": format_breakeven(be),
    }
    # The reader's labels, in the current language (English: "refunds paid (USD)", ...).
    result = {t(f"hotel.whatif.result.{key}"): value for key, value in values.items()}
    gains = pd.DataFrame({"cheating_rate": WHATIF_RATES, "gain": _curve_from(*curve, WHATIF_RATES)})
    return result, gains, be


def whatif_guarantee(draws, *, refund_share=1.0, condition="none", empowered=True, root_cause=True,
                     failure_scale=1.0, cheating_rate=CHEATING_RATE, demand_uplift=DEMAND_UPLIFT) -> dict:
    """The what-if panel's numbers, from the cached draws: profit with the
    guarantee, the gain split into the practices alone and the guarantee on
    top, claims, refunds, guests kept by the promise and the promise's
    break-even cheating rate (:func:`format_breakeven`: "never pays" when
    the promise loses money even without cheating).

    The guarantee design is set by ``refund_share``, ``condition``,
    ``empowered`` and ``root_cause`` (see :class:`Policy`); "practices alone"
    is the same hotel without the promise (:func:`practices_of`) against
    today's hotel (:data:`NO_GUARANTEE`), at the same failure rate. Other
    arguments as in :func:`evaluate_policy`.

    >>> d = draw_stays(50, seed=3)
    >>> r = whatif_guarantee(d, refund_share=0.5)
    >>> r["refunds paid (USD)"] <= whatif_guarantee(d, refund_share=1.0)["refunds paid (USD)"]
    True
    """
    return _whatif(_check_draws(draws), refund_share, condition, empowered, root_cause,
                   failure_scale, cheating_rate, demand_uplift)[0]


def plot_gain_curve(curve, *, ax=None, current=None, breakeven=None, legend=True,
                    title=None, xlabel=None, ylabel=None):
    """Gain over the baseline (in thousands) against the cheating rate (from
    :func:`guarantee_gain_curve`), with the current setting (dashed line)
    and the break-even (dot) marked (none when it is ``None``: the
    guarantee never pays). ``legend=False`` leaves out the legend
    (faster to draw; the what-if panel's table gives the break-even).
    Title and labels default to the catalogue's (``hotel.plot.gain.*``).
    Returns the Axes."""
    title = t("hotel.plot.gain.title") if title is None else _ck.check_str("title", title)
    xlabel = t("hotel.plot.gain.xlabel") if xlabel is None else _ck.check_str("xlabel", xlabel)
    ylabel = t("hotel.plot.gain.ylabel") if ylabel is None else _ck.check_str("ylabel", ylabel)
    for _name, _v in (("current", current), ("breakeven", breakeven)):
        if _v is not None:
            _ck.check_number(_name, _v, low=0.0, high=1.0)
    _ck.check_bool("legend", legend)
    from ._checks import check_frame
    from .plotting import PALETTE, get_axes

    df = check_frame("curve", curve, ["cheating_rate", "gain"])
    ax = get_axes(ax)
    x = 100 * df["cheating_rate"].to_numpy()
    ax.plot(x, df["gain"].to_numpy() / 1000, lw=2, color=PALETTE["blue"], label=t("hotel.plot.gain.line"))
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    if current is not None:
        ax.axvline(100 * current, color=PALETTE["vermillion"], ls="--", lw=1, label=t("hotel.plot.gain.current"))
    if breakeven is not None and math.isfinite(breakeven) and breakeven <= df["cheating_rate"].max():
        ax.plot([100 * breakeven], [0], "o", color=PALETTE["black"],
                label=t("hotel.plot.gain.breakeven", rate=format_breakeven(breakeven)))
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if legend:
        ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_segment_reactions(reactions, *, ax=None, title=None, xlabel=None, ylabel=None):
    """Grouped bars from :func:`segment_reactions`: the share of unhappy
    guests who invoked the guarantee and who left silently, by segment
    (labels in the current language). Returns the Axes."""
    title = t("hotel.plot.reactions.title") if title is None else _ck.check_str("title", title)
    xlabel = t("hotel.plot.reactions.xlabel") if xlabel is None else _ck.check_str("xlabel", xlabel)
    ylabel = t("hotel.plot.reactions.ylabel") if ylabel is None else _ck.check_str("ylabel", ylabel)
    from ._checks import check_frame
    from .plotting import PALETTE, get_axes

    df = check_frame("reactions", reactions, ["invoked_pct", "left_silently_pct"])
    ax = get_axes(ax)
    x = np.arange(len(df))
    ax.bar(x - 0.2, df["invoked_pct"], 0.4, color=PALETTE["blue"], label=t("hotel.plot.reactions.invoked"))
    ax.bar(x + 0.2, df["left_silently_pct"], 0.4, color=PALETTE["orange"], label=t("hotel.plot.reactions.silent"))
    ax.set_xticks(x, [_segment_label(i) for i in df.index])
    ax.set_ylim(0, 100)
    ax.grid(axis="x", visible=False)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="upper left")
    return ax


def plot_design_gains(gains, *, ax=None, title=None, xlabel=None, ylabel=None):
    """Horizontal bars of the gain of each design over the first one (a
    Series indexed by design, e.g. ``compare_policies(...).loc["gain_vs_first"]``);
    losses in vermillion; designs of :data:`DESIGNS` are labelled in the
    current language (:func:`design_label`). Returns the Axes."""
    title = t("hotel.plot.designs.title") if title is None else _ck.check_str("title", title)
    xlabel = t("hotel.plot.designs.xlabel") if xlabel is None else _ck.check_str("xlabel", xlabel)
    ylabel = t("hotel.plot.designs.ylabel") if ylabel is None else _ck.check_str("ylabel", ylabel)
    from .plotting import PALETTE, get_axes

    if not isinstance(gains, pd.Series):
        raise TypeError(f"`gains` must be a pandas Series indexed by design, got {type(gains).__name__}")
    ax = get_axes(ax)
    y = np.arange(len(gains))[::-1]
    colours = [PALETTE["blue"] if v >= 0 else PALETTE["vermillion"] for v in gains]
    ax.barh(y, gains.to_numpy(dtype=float), color=colours)
    ax.set_yticks(y, [design_label(i) for i in gains.index])
    ax.axvline(0, color=PALETTE["black"], lw=0.8)
    ax.grid(axis="y", visible=False)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


CHART_SIZE = (5.6, 3.0)
"""Size of the what-if chart (inches at 100 dpi): small enough to render in
about 30 ms."""


def build_guarantee_widget(draws=None):
    """The Explore panel: sliders for the design and the environment →
    :func:`whatif_guarantee` → an HTML table, and a chart of the gain
    against the cheating rate. The cheating rate and the demand uplift are
    set in percent (controls ``cheating_pct`` and ``uplift_pct``). Every move recomputes from ``draws`` (the
    gain curve comes from the same computation as the table); nothing is
    simulated anew.

    Parameters
    ----------
    draws : HotelDraws, optional
        Defaults to the year behind the shipped dataset (100 rooms, seed
        :data:`HOTEL_SEED`).

    >>> w = build_guarantee_widget(draw_stays(50, seed=3))
    >>> w.controls["refund_share"].value = 0.5
    >>> w.result["refunds paid (USD)"] >= 0
    True
    """
    from . import widgets as W

    d = draw_stays(DATASET_ROOMS, seed=HOTEL_SEED) if draws is None else _check_draws(draws)
    last = {}

    def compute(*, cheating_pct, uplift_pct, **values):
        result, gains, be = _whatif(d, cheating_rate=cheating_pct / 100, demand_uplift=uplift_pct / 100, **values)
        last.update(gains=gains, breakeven=be)
        return result

    def chart(result, *, ax, cheating_pct, **_):
        plot_gain_curve(last["gains"], ax=ax, current=cheating_pct / 100, breakeven=last["breakeven"],
                        legend=False, title=t("hotel.plot.gain.widget_title"),
                        ylabel=t("hotel.plot.gain.widget_ylabel"))

    controls = {
        "refund_share": W.slider(t("hotel.whatif.refund_share"), 1.0, 0.25, 1.0, 0.05, percent=True),
        "condition": W.choice(t("hotel.whatif.condition"), [(t(f"hotel.whatif.condition_{c}"), c) for c in CONDITIONS],
                              "none"),
        "empowered": W.toggle(t("hotel.whatif.empowered"), True),
        "root_cause": W.toggle(t("hotel.whatif.root_cause"), True),
        "failure_scale": W.slider(t("hotel.whatif.failure_scale"), 1.0, 0.5, 2.0, 0.1),
        "cheating_pct": W.slider(t("hotel.whatif.cheating_pct"), 100 * CHEATING_RATE, 0.0, 5.0, 0.1, fmt=".1f"),
        "uplift_pct": W.slider(t("hotel.whatif.uplift_pct"), 100 * DEMAND_UPLIFT, 0.0, 10.0, 0.5, fmt=".1f"),
    }
    w = W.what_if(compute, controls, chart=chart, title=t("hotel.whatif.title"))
    w.chart_size = CHART_SIZE
    w.update()
    return w


# --------------------------------------------------------------------------
# Tables for readers (labels from the message catalogue, current language)
# --------------------------------------------------------------------------

THREE_POLICIES = {"no guarantee": NO_GUARANTEE, "practices only": PRACTICES_ONLY, "Hampton-like": HAMPTON_LIKE}
"""Today's hotel, the same hotel with the practices only, and the
Hampton-like guarantee (keys as in :data:`DESIGNS`)."""

POLICY_COLUMNS = ("stays_with_failure", "fixed_on_spot", "unhappy_guests", "claims_honest", "claims_opportunistic",
                  "refunds_paid", "extra_room_nights", "guests_lost", "programme_cost", "profit")
"""Rows of :func:`compare_policies` shown by :func:`policy_table` by default."""

DESIGN_COLUMNS = ("claims_honest", "claims_opportunistic", "claims_refused", "refunds_paid", "fixed_on_spot",
                  "guests_lost", "extra_room_nights", "profit", "gain_vs_first")
"""Rows of :func:`compare_policies` for the comparison of every design."""

_MONEY_ROWS = ("refunds_paid", "programme_cost", "profit", "gain_vs_first")


def _slug(name) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).lower()).strip("_")


def design_label(name) -> str:
    """The reader's name of a design of :data:`DESIGNS` (or of a step of
    :data:`DECOMPOSITION_STEPS`) in the current language; other names are
    shown as they are."""
    for prefix in ("hotel.designs", "hotel.steps"):
        key = f"{prefix}.{_slug(name)}"
        if i18n.has(key):
            return t(key)
    return str(name)


def _segment_label(name) -> str:
    key = f"hotel.segments.{_slug(name)}"
    return t(key) if i18n.has(key) else str(name)


def _relabel(df: pd.DataFrame, label) -> pd.DataFrame:
    out = df.copy()
    out.index = [label(i) for i in out.index]
    return out


def policy_table(results, columns=POLICY_COLUMNS, *, index="design"):
    """Policies side by side for readers: ``results`` from
    :func:`compare_policies` (one column per policy), shown one row per
    policy with the rows named in ``columns`` (money in USD, counts whole).
    ``index`` is "policy" or "design" (the header of the first column)."""
    from .formatting import table

    if not isinstance(results, pd.DataFrame):
        raise TypeError(f"`results` must be a DataFrame from casekit.hotel.compare_policies, got {type(results).__name__}")
    check_choice("index", index, ("policy", "design"))
    columns = list(columns)
    missing = [c for c in columns if c not in results.index]
    if missing:
        raise ValueError(f"`columns` must be rows of the results ({', '.join(results.index)}), got {missing}")
    df = _relabel(results.T, design_label)
    formats = {c: "usd" if c in _MONEY_ROWS else "count" for c in columns}
    return table(df, formats, columns=columns, labels=i18n.labels("hotel.columns", columns),
                 index_label=t(f"hotel.index.{index}"))


def decomposition_table(split):
    """:func:`guarantee_decomposition` for readers: the gain of each step and
    its break-even cheating rate, with and without extra bookings."""
    from .formatting import table

    cols = ["gain", "breakeven", "gain_no_uplift", "breakeven_no_uplift"]
    df = _relabel(_ck.check_frame("split", split, cols), design_label)
    return table(df, {"gain": "usd", "gain_no_uplift": "usd", "breakeven": format_breakeven,
                      "breakeven_no_uplift": format_breakeven},
                 columns=cols, labels=i18n.labels("hotel.split", cols), index_label=t("hotel.index.step"))


def refunds_by_department(stays) -> pd.DataFrame:
    """Which departments' failures lie behind the refunds: per department
    (index :data:`DEPARTMENTS`) the ``stays`` with that failure, the
    ``refunded`` stays with it and its ``share`` of all refunded stays (a
    refunded stay may have several failures)."""
    df = _ck.check_frame("stays", stays, list(STAY_SCHEMA))
    fail_cols = [f"fail_{d}" for d in DEPARTMENTS]
    refunded = df["refund_paid"] > 0
    out = pd.DataFrame({
        "stays": df[fail_cols].sum().to_numpy(),
        "refunded": df.loc[refunded, fail_cols].sum().to_numpy(),
    }, index=list(DEPARTMENTS))
    out["share"] = out["refunded"] / max(int(refunded.sum()), 1)
    return out


def department_table(by_department):
    """:func:`refunds_by_department` for readers."""
    from .formatting import table

    cols = ["stays", "refunded", "share"]
    df = _relabel(_ck.check_frame("by_department", by_department, cols), lambda d: t(f"hotel.departments.{d}"))
    return table(df, {"stays": "count", "refunded": "count", "share": "share"},
                 labels=i18n.labels("hotel.by_department", cols), index_label=t("hotel.index.department"))


def reactions_table(reactions):
    """:func:`segment_reactions` for readers."""
    from .formatting import table

    cols = ["stays", "unhappy", "invoked_pct", "left_silently_pct", "came_back_if_invoked_pct",
            "came_back_if_silent_pct", "opportunistic_per_1000"]
    df = _relabel(_ck.check_frame("reactions", reactions, cols), _segment_label)
    formats = {c: "percent" for c in cols if c.endswith("_pct")}
    formats.update(stays="count", unhappy="count", opportunistic_per_1000="dec1")
    return table(df, formats, columns=cols, labels=i18n.labels("hotel.reactions", cols),
                 index_label=t("hotel.index.segment"))


def segment_value_table(stays):
    """What a guest is worth by segment: the chance of coming back if
    nothing goes wrong (:data:`BASE_RETURN`), stays at this hotel next year
    (:data:`STAYS_PER_GUEST`), later stays in the chain over a lifetime
    (:data:`REPEAT_STAYS`) and the average bill of a stay in ``stays``."""
    from .formatting import table

    df = _ck.check_frame("stays", stays, ["segment", "nights", "room_rate"])
    bill = (df["nights"] * df["room_rate"]).groupby(df["segment"], observed=True).mean()
    value = pd.DataFrame({
        "comes_back": BASE_RETURN,
        "stays_next_year": STAYS_PER_GUEST,
        "later_stays": REPEAT_STAYS,
        "bill": bill.reindex(list(SEGMENTS)).to_numpy(),
    }, index=list(SEGMENTS))
    cols = list(value.columns)
    return table(_relabel(value, _segment_label),
                 {"comes_back": "share", "stays_next_year": "dec1", "later_stays": "dec1", "bill": "usd"},
                 labels=i18n.labels("hotel.value", cols), index_label=t("hotel.index.segment"))


def tarp_table(kept):
    """TARP's (1986) share who buy again after a problem, by what happened
    (``kept``: outcome of ``metrics.TARP_LOYALTY`` → share), for readers."""
    from .formatting import table

    kept = _ck.check_mapping("kept", kept, rule="checks.rule.outcome_shares")
    df = pd.DataFrame({"share": list(kept.values())}, index=[t(f"hotel.tarp.{o}") for o in kept])
    return table(df, {"share": lambda v: f"{v:.0%}"}, labels={"share": t("hotel.tarp.share")},
                 index_label=t("hotel.index.tarp"))


def hart_breakeven_table(draws, policies=None):
    """Hart's five criteria for each design (:func:`hart_table`), with the
    break-even cheating rate of each promise over the same hotel without it,
    with and without extra bookings; labels in the current language."""
    from .formatting import table

    d = _check_draws(draws)
    policies = DESIGNS if policies is None else policies
    hart = hart_table(policies).T
    words = {v: t(f"hotel.hart.{v}") for v in _SCORE.values()}
    df = hart.drop(columns="score (of 10)").map(words.get)
    df["score (of 10)"] = hart["score (of 10)"]
    for col, uplift in (("breakeven", DEMAND_UPLIFT), ("breakeven_no_uplift", 0.0)):
        df[col] = [format_breakeven(breakeven_cheating_rate(d, p, demand_uplift=uplift)) if p.guarantee else "–"
                   for p in policies.values()]
    labels = {c: t(f"hotel.hart.{_slug(c).replace('_of_10', '')}") for c in HART_CRITERIA + ("score (of 10)",)}
    labels.update(breakeven=t("hotel.hart.breakeven"), breakeven_no_uplift=t("hotel.hart.breakeven_no_uplift"))
    return table(_relabel(df, design_label), {"score (of 10)": "count"}, labels=labels,
                 index_label=t("hotel.index.design"))


def refused_claim_satisfaction(stays) -> pd.DataFrame:
    """Honest claimants by whether their claim was paid (index ``paid``,
    ``refused``): how many (``size``) and their average satisfaction
    (``mean``, 1–5). The backlash a condition creates."""
    df = _ck.check_frame("stays", stays, ["claim_type", "refund_paid", "satisfaction"])
    honest = df[df["claim_type"] == "honest"]
    out = honest.groupby(np.where(honest["refund_paid"] > 0, "paid", "refused"))["satisfaction"].agg(["size", "mean"])
    return out.reindex([i for i in ("paid", "refused") if i in out.index])


def backlash_table(backlash):
    """:func:`refused_claim_satisfaction` for readers."""
    from .formatting import table

    df = _relabel(_ck.check_frame("backlash", backlash, ["size", "mean"]), lambda i: t(f"hotel.backlash.{i}"))
    return table(df, {"size": "count", "mean": "dec2"}, labels=i18n.labels("hotel.backlash", ["size", "mean"]),
                 index_label=t("hotel.index.outcome"))


FIRST_COLUMNS = ("stay_id", "guest_id", "segment", "check_in", "nights", "room_rate", "satisfaction",
                 "claim_type", "refund_paid", "returned")


def first_stays_table(stays, n=5):
    """The first ``n`` stays with the columns used most, for readers."""
    from .formatting import table

    n = check_number("n", n, low=1, high=100, integer=True)
    df = _ck.check_frame("stays", stays, list(FIRST_COLUMNS)).head(n)
    df = df.assign(check_in=df["check_in"].dt.date)
    yes_no = lambda v: t("common.yes") if v else t("common.no")  # noqa: E731
    return table(df, {"room_rate": "usd", "refund_paid": "usd", "returned": yes_no, "segment": "text",
                      "claim_type": "text"}, columns=list(FIRST_COLUMNS))


def how_sure_table(sure):
    """:func:`how_sure` for readers (headers from
    ``sensitivity.column_labels``)."""
    from .formatting import table
    from .sensitivity import column_labels

    cols = ["label", "unit", "low", "base", "high", "figure_low", "figure_high", "swing"]
    df = _ck.check_frame("sure", sure, cols).reset_index(drop=True)   # the index holds code names
    return table(df, {"low": "{:g}".format, "base": "{:g}".format, "high": "{:g}".format, "figure_low": "usd",
                      "figure_high": "usd", "swing": "usd"}, columns=cols, labels=column_labels(cols))


def say_how_sure(sure) -> None:
    """Print what "How sure are we?" concludes from :func:`how_sure`: the
    gain at the defaults, the assumptions whose range can turn it into a
    loss, the lowest gain over the other ranges, and the assumptions that do
    not act on the comparison."""
    from .formatting import money
    from .sensitivity import crosses

    df = _ck.check_frame("sure", sure, ["label", "figure_low", "figure_high", "swing"])
    flips = crosses(df, 0)
    steady = df.drop(index=flips)
    sep = t("hotel.say.sep")
    i18n.say("hotel.say.sure_base", gain=money(df.attrs["base_figure"]))
    i18n.say("hotel.say.sure_flips", names=sep.join(df.loc[flips, "label"]))
    i18n.say("hotel.say.sure_lowest", gain=money(steady[["figure_low", "figure_high"]].min().min()))
    i18n.say("hotel.say.sure_idle", names=sep.join(df.loc[df["swing"] == 0, "label"]))


# --------------------------------------------------------------------------
# Shipped dataset
# --------------------------------------------------------------------------

HOTEL_SEED = 2025
"""Seed of the shipped dataset."""

DATASET_ROOMS = 100
"""The shipped hotel has 100 rooms (a midscale hotel), to
keep the CSV under 2 MB."""


def _hotel_stays() -> pd.DataFrame:
    return make_hotel_stays(DATASET_ROOMS, seed=HOTEL_SEED)


DATASETS = (
    Dataset(
        name="hotel_stays",
        title="One year of stays at a hotel with a satisfaction guarantee (simulated)",
        title_zh="一家提供“不满意不付费”承诺的酒店一年的入住记录（模拟数据）",
        description=(
            f"One row per stay at a {DATASET_ROOMS}-room midscale hotel at 70% occupancy during 2025, "
            f"made by `casekit.hotel.make_hotel_stays({DATASET_ROOMS}, seed={HOTEL_SEED})` under a "
            "Hampton-like guarantee (full refund, no conditions, empowered staff, root causes fixed from "
            "claim data). Calibrated to about 4 refunded room-nights per 1,000 sold and about USD 7 of "
            "repeat business from claimants per USD 1 refunded (Hampton Inn 1989–99); cheating does not "
            "depend on the refund size (Wirtz & Kum 2004); loyalty after a problem follows TARP (1986). "
            "Other parameters are assumptions stated in `casekit/hotel.py`."
        ),
        build=_hotel_stays,
        columns=STAY_SCHEMA,
    ),
)
