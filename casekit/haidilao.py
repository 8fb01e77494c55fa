"""Haidilao (海底捞): service is the product.

Two linked models of one hot-pot restaurant:

1. **A day as a queue** (排队). Parties arrive slot by slot (15 minutes;
   lunch and dinner peaks, heavier weekends), join the waitlist, and some
   walk away when the quoted wait *feels* too long. Perks in the waiting area
   (snacks, games, manicure) make the wait feel shorter. The day is solved as
   a transient queue (:func:`casekit.queueing.fluid_queue`): at the dinner
   peak more parties arrive than tables free up, so the waitlist builds up
   over a few hours and carries over into the evening, as at a real
   Haidilao. Off-peak it settles at the Erlang C (M/M/c) answer. Outputs:
   table turns per day (翻台率), the waitlist and the wait through the day,
   walk-aways, revenue per available seat-hour (RevPASH).
2. **Diners over time** (满意 → 忠诚 → 推荐). Each visit gives a satisfaction
   score from the wait, a possible service problem, and "surprise" acts by
   empowered staff (a free dish, a discount: 免单权). The score sets the
   chance the diner comes back and whether they bring friends (word of mouth).

The two meet in the store's demand: the parties who arrive each day are new
diners times the visits each brings (returns and referrals), so better
service fills the queue, and a full queue sends diners away. :func:`store_model`
finds the day at which demand and service agree.

All figures are named constants below with their sources. Haidilao publishes
turnover and spend per guest (prospectus 2018, annual results); it publishes
nothing on waits, walk-aways or how often staff give things away, so those
are teaching assumptions, marked [F] (folklore / assumption); [S] marks a
figure from a company filing, [M] one taken from a press summary. Every
assumed parameter has a plausible range in :data:`ASSUMPTIONS`, used by the
notebook's "How sure are we?" section.

Dining times. The day's queue is solved by a fluid approximation of an
M/M/c queue, which treats the time a party sits as exponential. Real hot-pot
meals vary much less (a coefficient of variation of about 0.2). Tables
seated together then free up together, so the evening list grows longer.
:func:`dining_time_check` measures this with a small seeded event
simulation; the notebook shows the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import i18n
from .i18n import t
from ._checks import check_choice, check_number, check_positive, check_probability, check_seed
from .datasets import Dataset
from .metrics import word_of_mouth
from .queueing import fluid_queue
from .sensitivity import Assumption

__all__ = [
    "TURNOVER_BY_YEAR", "SPEND_PER_GUEST", "EXPANSION_FLOOR", "IDLE_OVERESTIMATE",
    "TABLES", "SEATS_PER_TABLE", "DINING_MINUTES", "RESET_MINUTES", "OPEN_HOURS",
    "HOURLY_PROFILE", "WEEKEND_FACTOR", "PARTY_SIZES", "MEAN_PARTY", "FOOD_COST_SHARE",
    "FIXED_COST_PER_TABLE_DAY", "PATIENCE_MINUTES", "PERK_SCALE", "COMP_COST",
    "SLOT_MINUTES", "DRAIN_HOURS", "WAITLIST_PEOPLE", "WAITLIST_PARTIES", "TURNS_REPORTED", "PEAK_WAIT_TARGET",
    "MAX_PERK_CUT", "DINING_CV", "ASSUMPTIONS", "GAIN_ASSUMPTIONS", "style_gain", "SIM_SEED",
    "simulate_day_queue", "dining_time_check",
    "GUESTS_PER_STORE_DAY", "perk_value", "plot_day_queues", "calibration",
    "RETURN_BY_SCORE", "RETURN_IF_WALKED", "NEW_PARTIES", "STYLES",
    "perceived_wait_factor", "comp_shares", "DinerDraws", "draw_diners", "queue_day",
    "day_summary", "visit_outcomes", "loyalty_summary", "store_model", "compare_styles",
    "spend_curve", "expansion_path", "whatif_store", "build_store_widget",
    "DINER_SCHEMA", "DAY_SCHEMA", "make_haidilao_diners", "make_haidilao_days",
    "DATASETS", "HAIDILAO_SEED",
    "table", "turnover_table", "settings_table", "evening_table", "waitlist_peaks", "say_waitlist_peaks",
    "spend_per_guest", "return_by_score", "plot_return_by_score", "first_visit_funnel", "funnel_table",
    "plot_first_visit_funnel", "problem_fixes", "perks_on_the_day", "plot_spend_curve", "expansion_table",
    "plot_expansion", "gain_labels", "gain_table", "plot_gain_tornado", "flip_labels",
]

# --------------------------------------------------------------------------
# Figures Haidilao published ([S] filings, [M] press summaries)
# --------------------------------------------------------------------------

TURNOVER_BY_YEAR = pd.DataFrame(
    {
        "year": ["2015", "2016", "2017", "2019", "2020", "2024 H1"],
        "turnover_per_day": [4.0, 4.5, 5.0, 4.8, 3.5, 4.2],
        "spend_per_guest_rmb": [np.nan, np.nan, 94.6, 105.2, 110.1, 97.4],
        "stores": [np.nan, np.nan, np.nan, 768, 1298, np.nan],
        "source": ["prospectus 2018 [M]", "prospectus 2018 [M]", "prospectus 2018 [M]",
                   "annual results 2019 [S]", "annual results 2020 [S]", "interim results 2024 [S]"],
    }
)
"""Table turnover (tables served per table per day), spend per guest and store
count as Haidilao reported them. 2015–17: prospectus (2018) via press
summaries [M]; 2019, 2020 and 2024 H1: HKEX results announcements [S]."""

SPEND_PER_GUEST = 100.0
"""RMB per guest: Haidilao reported 94.6 (2017), 105.2 (2019), 110.1 (2020) and
97.4 (2024 H1); 100 is a round figure in that range."""

EXPANSION_FLOOR = 4.0
"""In 2021 Haidilao said it would stop large-scale expansion if turnover fell
below 4 tables a day (Shenzhen Daily, 8 Nov 2021) [S]."""

IDLE_OVERESTIMATE = 0.36
"""People overestimate an idle wait by about 36% (Larson 1987, as retold
[M]): an idle wait feels 1.36 times as long as it is. An occupied wait
feels shorter (Maister 1985, "The psychology of waiting lines")."""
MAX_PERK_CUT = IDLE_OVERESTIMATE / (1.0 + IDLE_OVERESTIMATE)
"""The most that filling the wait can cut how long it feels: from 1.36 to
1 times the clock, a cut of 0.36 / 1.36 ≈ 26.5% (not 36%)."""

# --------------------------------------------------------------------------
# The store: assumptions of the teaching model [F]
# --------------------------------------------------------------------------

TABLES = 120
"""Tables in the model store: a large, busy city store like the Beijing ones
in the press reports (assumption; Haidilao does not report tables per
store). A check on size: 2017 revenue RMB 10.64 billion ÷ RMB 94.6 per guest
÷ 320 stores ÷ 365 days ≈ 960 guests per store per day (prospectus [M]; 320
is the 2018 count, more than the 2017 average, so the chain's average store
served more). At 4.7 turns and 3.14 guests per party the model store serves
about 1,800 guests a day: busier than average, within a factor of two (see
:data:`GUESTS_PER_STORE_DAY`)."""
SEATS_PER_TABLE = 4
"""Seats per table, for RevPASH (assumption: all four-seat tables)."""
DINING_MINUTES = 95.0
"""Mean time a party sits at a hot-pot table (assumption)."""
DINING_CV = 0.2
"""Coefficient of variation of the dining time (standard deviation ÷
mean; assumption: most hot-pot meals last 75–115 minutes). Used by the
event simulation of :func:`dining_time_check`; the fluid model behind
:func:`queue_day` treats dining times as exponential (CV 1)."""
RESET_MINUTES = 10.0
"""Minutes to clear and re-lay a table (assumption). A table serves
60 / (95 + 10) = 0.57 parties an hour, so 120 tables seat about 69 parties
an hour when all are busy: a waitlist of 35 parties means a wait of about
half an hour."""
OPEN_HOURS = tuple(range(10, 24))
"""Hours in which parties arrive: 10:00 to 23:59 (14 hours; many Haidilao
stores stay open later, assumption)."""
SLOT_MINUTES = 15
"""Length of a time slot of the day's queue (minutes)."""
DRAIN_HOURS = 4
"""Hours after the last arrivals during which the queue is served off (the
store keeps seating the parties already on its list)."""

HOURLY_PROFILE = pd.DataFrame(
    {
        "weekday": [0.01, 0.06, 0.09, 0.03, 0.02, 0.02, 0.05, 0.18, 0.21, 0.17, 0.08, 0.05, 0.02, 0.01],
        "weekend": [0.02, 0.08, 0.12, 0.07, 0.04, 0.02, 0.05, 0.16, 0.18, 0.14, 0.06, 0.03, 0.02, 0.01],
    },
    index=pd.Index(OPEN_HOURS, name="hour"),
)
"""Share of a day's parties arriving in each hour: a lunch peak at 12:00, a
dinner peak at 17:00–19:59 (more than half of a weekday's parties), when
more parties arrive than tables free up, and late-night supper. Weekends
are busier at lunch (assumption, set so that the waitlists match the press
reports, see :func:`calibration`)."""

WEEKEND_FACTOR = 1.4
"""A weekend day brings 1.4 times a weekday's parties (assumption; press
reports say waitlists of about 100 people double at weekends [M]: with a
fixed number of tables, 40% more parties roughly doubles the dinner
waitlist, see :func:`calibration`)."""

PARTY_SIZES = pd.Series([0.08, 0.30, 0.22, 0.25, 0.10, 0.05], index=pd.Index(range(1, 7), name="guests"),
                        name="share")
"""Share of parties by number of guests (assumption)."""
MEAN_PARTY = float((PARTY_SIZES.index.to_numpy() * PARTY_SIZES.to_numpy()).sum())
"""Mean guests per party (3.14)."""

FOOD_COST_SHARE = 0.40
"""Food and other costs that rise with each meal, as a share of the bill
(assumption, of the order of the raw-material share in Haidilao's results)."""
FIXED_COST_PER_TABLE_DAY = 600.0
"""Staff, rent and running costs per table per day in RMB (assumption chosen so
that a store breaks even a little above 3 turns a day)."""

PATIENCE_MINUTES = 150.0
"""Scale τ of the walk-away rule: a party quoted a wait W that feels like
W·(1 − θ) leaves at once with probability 1 − exp(−W·(1 − θ) / τ), so an idle
hour's wait sends away 1 − exp(−60/150) = 33% of parties (assumption [F]:
Haidilao's diners are known to wait long; no walk-away figures are
published)."""
PERK_SCALE = 6.0
"""RMB per waiting party at which the perks occupy 63% (1 − 1/e) of the
waiting: occupied share = 1 − exp(−perks / PERK_SCALE), and the cut in
perceived wait θ = (0.36 / 1.36) × occupied share (assumption; 0.36 from
Larson: see :data:`MAX_PERK_CUT`)."""
COMP_COST = 30.0
"""Average cost in RMB of one act of empowered staff: a free dish, a
discount (assumption; how often staff use their 免单权 is not published [F])."""

PROBLEM_RATE = 0.12
"""Share of served parties with a service problem (assumption)."""
SCORE_BASE = 4.2
"""Mean satisfaction (1–5 scale) of a party served at once, with no problem."""
SCORE_SPREAD = 0.8
"""Standard deviation of satisfaction between parties."""
WAIT_PENALTY = 1.0
"""Satisfaction points lost per hour of perceived wait."""
PROBLEM_PENALTY = 1.3
"""Points lost when a problem is left unfixed."""
RECOVERY_BONUS = 0.2
"""Points gained when staff fix a problem on the spot (a small "recovery
paradox" on satisfaction: de Matos et al. 2007)."""
SURPRISE_BONUS = 0.8
"""Points a surprise gift adds when surprises are rare."""
SURPRISE_HABITUATION = 0.3
"""A surprise adds SURPRISE_BONUS·exp(−s / 0.3) when a share s of parties get
one: a gift everyone gets stops surprising (assumption)."""

RETURN_BY_SCORE = pd.Series([0.05, 0.15, 0.35, 0.60, 0.85], index=pd.Index(range(1, 6), name="score"),
                            name="return_probability")
"""Chance that a diner comes back after a visit, by satisfaction score
(assumption; shaped by Jones & Sasser 1995: the totally satisfied are far
more loyal than the merely satisfied)."""
RETURN_IF_WALKED = 0.25
"""Chance that a party who walked away from the queue tries again."""
TELL_DELIGHTED = 4.5
"""People a delighted diner (score 5) tells (TARP 1980: 4–5)."""
TELL_UNHAPPY = 9.5
"""People an unhappy diner (score 1–2, or walked away) tells (TARP: 9–10)."""
CONVERT_POSITIVE = 0.08
"""Share of listeners to good word of mouth who come to eat (assumption)."""
DETER_NEGATIVE = 0.04
"""Share of listeners to bad word of mouth who would otherwise have come
(assumption)."""
GAP_DAYS = 45.0
"""Mean days between a diner's visits (assumption)."""

NEW_PARTIES = 180.0
"""First-time parties per day the model store attracts on average (its
location and brand; calibrated so the Haidilao-style store turns its tables
about 4.7 times a day and its dinner waitlists match the press reports,
see :func:`calibration`)."""

WAITLIST_PEOPLE = 100
"""People waiting for a table at a busy Haidilao on an ordinary evening,
"doubling at weekends" (China Daily, 3 Feb 2015 [M]). The figure counts
people, not parties."""
WAITLIST_PARTIES = (WAITLIST_PEOPLE / MEAN_PARTY, 2 * WAITLIST_PEOPLE / MEAN_PARTY)
"""The same waitlists in parties: 100 and 200 people ÷ 3.14 guests a party ≈
32 parties on a weekday evening and 64 at the weekend. The model's dinner
peaks are calibrated to these (:func:`calibration`)."""
TURNS_REPORTED = (4.0, 5.0)
"""Table turns a day Haidilao reported in 2015–2019 (prospectus [M]; annual
results [S])."""
PEAK_WAIT_TARGET = (30.0, 90.0)
"""Minutes of wait at the dinner peak the model aims at: "an hour or more"
at a busy Haidilao is common lore, not a published figure [F]."""
GUESTS_PER_STORE_DAY = 10.64e9 / 94.6 / 320 / 365
"""Guests per store per day implied by 2017 revenue (RMB 10.64 billion),
spend per guest (RMB 94.6) and 320 stores (prospectus [M]): about 960, a
floor because the chain had fewer than 320 stores on average in 2017."""

MAX_TABLES = 1_000
"""Most tables a store may have (the queue's formulas loop once per table)."""
MAX_N = 1_000_000
"""Most diners or visits one simulation draws."""
MAX_NEW_PARTIES = 100_000.0
"""Most first-time parties per day a store model takes."""
MAX_CURVE_POINTS = 200
"""Most budgets or growth rates in one curve (each solves the whole store model)."""

STYLES = {
    "standard": {"perks": 0.0, "empowerment": 0.0},
    "perks_only": {"perks": 10.0, "empowerment": 0.0},
    "empowerment_only": {"perks": 0.0, "empowerment": 6.0},
    "haidilao": {"perks": 10.0, "empowerment": 6.0},
}
"""Service settings (RMB per waiting party on perks; RMB per served party on
staff's gifts and fixes). "perks_only" is a rival that copies the waiting area
but not the empowered staff (assumptions)."""


# --------------------------------------------------------------------------
# Assumptions and their plausible ranges ("How sure are we?")
# --------------------------------------------------------------------------

ASSUMPTIONS = {
    "patience_minutes": Assumption(PATIENCE_MINUTES, 90.0, 240.0, "minutes of felt wait",
                                   "assumed: no walk-away figures are published; 90–240 puts 22–49% walk-aways "
                                   "on an idle hour's wait"),
    "idle_overestimate": Assumption(IDLE_OVERESTIMATE, 0.2, 0.5, "share of the wait",
                                    "Larson's 36% is retold, not measured for restaurants: 20–50%"),
    "perk_scale": Assumption(PERK_SCALE, 3.0, 12.0, "RMB per waiting party",
                             "assumed: how much perk spending it takes to fill the wait"),
    "comp_cost": Assumption(COMP_COST, 20.0, 50.0, "RMB per gift",
                            "assumed: a free dish costs the store RMB 20–50 (spend per guest about 100)"),
    "problem_rate": Assumption(PROBLEM_RATE, 0.05, 0.20, "share of served parties", "assumed"),
    "surprise_habituation": Assumption(SURPRISE_HABITUATION, 0.15, 0.6, "share of parties surprised",
                                       "assumed: how fast a common gift stops surprising"),
    "surprise_bonus": Assumption(SURPRISE_BONUS, 0.4, 1.2, "satisfaction points", "assumed"),
    "wait_penalty": Assumption(WAIT_PENALTY, 0.5, 1.5, "satisfaction points per hour of felt wait", "assumed"),
    "convert_positive": Assumption(CONVERT_POSITIVE, 0.04, 0.12, "share of listeners",
                                   "assumed: share of good word of mouth that brings a new diner"),
    "return_if_walked": Assumption(RETURN_IF_WALKED, 0.10, 0.40, "probability", "assumed"),
    "food_cost_share": Assumption(FOOD_COST_SHARE, 0.35, 0.45, "share of the bill",
                                  "of the order of the raw-material share in Haidilao's results"),
    "fixed_cost_per_table_day": Assumption(FIXED_COST_PER_TABLE_DAY, 450.0, 750.0, "RMB per table per day",
                                           "assumed; the same in every service style"),
    "dining_minutes": Assumption(DINING_MINUTES, 80.0, 110.0, "minutes", "assumed hot-pot meal length"),
    "reset_minutes": Assumption(RESET_MINUTES, 5.0, 15.0, "minutes", "assumed"),
    "dining_cv": Assumption(DINING_CV, 0.1, 0.4, "standard deviation ÷ mean",
                            "assumed; used by the event simulation (dining_time_check)"),
}
"""Every assumed parameter of the model (not calibrated to a source figure)
with its plausible range: name → :class:`casekit.sensitivity.Assumption`.
The keys are the keyword arguments of :func:`style_gain`; each is the
module constant of the same name in capitals."""

_ASSUMED_NAMES = tuple(ASSUMPTIONS)


_NEEDS_PERKS = ("idle_overestimate", "perk_scale")                        # no effect when perks are 0
_NEEDS_GIFTS = ("comp_cost", "surprise_habituation", "surprise_bonus")    # no effect when gifts are 0


def _assumed_now(perks=1.0, gifts=1.0) -> tuple:
    # The current values of the assumed constants that can matter to store_model (part of its cache
    # key): without perks, the felt-wait constants cannot matter; without gifts, the gift constants
    # cannot; the dining-time CV is used only by the event simulation.
    g = globals()
    skip = {"dining_cv"}
    skip |= set(_NEEDS_PERKS) if perks == 0 else set()
    skip |= set(_NEEDS_GIFTS) if gifts == 0 else set()
    return tuple((name, float(g[name.upper()])) for name in _ASSUMED_NAMES if name not in skip)


# --------------------------------------------------------------------------
# Small formulas
# --------------------------------------------------------------------------

def perceived_wait_factor(perks) -> float:
    """How long a wait feels, as a share of how long the same wait feels
    when idle: 1 − θ.

    Notes
    -----
    An idle wait feels 1.36 times the clock (Larson; Maister 1985); a fully
    occupied one feels like the clock. So perks can cut the felt wait by at
    most 0.36 / 1.36 ≈ 26.5%: θ = (0.36 / 1.36) × occupied, with
    occupied = 1 − exp(−perks / 6).

    >>> perceived_wait_factor(0.0)
    1.0
    >>> round(perceived_wait_factor(10.0), 3)
    0.785
    >>> round(perceived_wait_factor(1e6), 3)  # fully occupied: 1 / 1.36
    0.735
    """
    p = check_positive("perks", perks, allow_zero=True)
    occupied = 1.0 - math.exp(-p / PERK_SCALE)
    return 1.0 - IDLE_OVERESTIMATE / (1.0 + IDLE_OVERESTIMATE) * occupied


def comp_shares(empowerment) -> tuple[float, float, float]:
    """Who gets a free dish or discount, for a budget of ``empowerment`` RMB
    per served party.

    Staff first fix problems on the spot, then surprise other tables.

    Returns
    -------
    (fixed, surprised, bonus): share of problem parties fixed, share of the
    other parties surprised, and the satisfaction points a surprise adds.

    >>> comp_shares(0.0)
    (0.0, 0.0, 0.8)
    >>> round(comp_shares(6.0)[1], 3)
    0.091
    """
    e = check_positive("empowerment", empowerment, allow_zero=True)
    q = min(1.0, e / COMP_COST)
    fixed = min(1.0, q / PROBLEM_RATE)
    surprised = max(0.0, (q - PROBLEM_RATE) / (1.0 - PROBLEM_RATE))
    bonus = SURPRISE_BONUS * math.exp(-surprised / SURPRISE_HABITUATION)
    return fixed, surprised, bonus


# --------------------------------------------------------------------------
# The queue, slot by slot through the day
# --------------------------------------------------------------------------

_SLOTS_PER_HOUR = 60 // SLOT_MINUTES
_N_ARRIVAL_SLOTS = len(OPEN_HOURS) * _SLOTS_PER_HOUR
_N_SLOTS = _N_ARRIVAL_SLOTS + DRAIN_HOURS * _SLOTS_PER_HOUR


def _slot_frame(weekend_factor=WEEKEND_FACTOR) -> pd.DataFrame:
    # One row per (day type, 15-minute slot), arrival slots then drain slots.
    days = {"weekday": 5.0, "weekend": 2.0 * weekend_factor}
    total = sum(days.values())
    clock = OPEN_HOURS[0] + np.arange(_N_SLOTS) / _SLOTS_PER_HOUR
    rows = []
    for day_type, w in days.items():
        share = np.zeros(_N_SLOTS)
        share[:_N_ARRIVAL_SLOTS] = np.repeat(HOURLY_PROFILE[day_type].to_numpy(), _SLOTS_PER_HOUR) / _SLOTS_PER_HOUR
        rows.append(pd.DataFrame({"day_type": day_type, "clock": clock, "share": share,
                                  "weight": w / total * share}))
    return pd.concat(rows, ignore_index=True)


_SLOTS = _slot_frame()
_ARRIVAL_ROWS = np.flatnonzero(_SLOTS["share"].to_numpy() > 0)  # visits fall in these rows


def _walk_rate(perks, patience_minutes=None):
    # k in 1/hour: leave with probability 1 − exp(−k·W), W in hours.
    tau = PATIENCE_MINUTES if patience_minutes is None else patience_minutes
    return perceived_wait_factor(perks) * 60.0 / tau


def _profiles() -> np.ndarray:
    # (2, slots): share of the day's parties per slot, weekday then weekend.
    return _SLOTS["share"].to_numpy().reshape(2, _N_SLOTS)


def queue_day(daily_parties, *, tables=TABLES, perks=0.0, dining_minutes=DINING_MINUTES,
              reset_minutes=RESET_MINUTES, patience_minutes=PATIENCE_MINUTES) -> pd.DataFrame:
    """Solve the store's queue through a weekday and a weekend day, in
    15-minute slots, with the waitlist carried over from slot to slot.

    Parameters
    ----------
    daily_parties : float >= 0
        Parties arriving per day, averaged over the week (walk-aways included).
    tables : int >= 1
    perks : float >= 0
        RMB spent on each waiting party (snacks, games, manicure).
    dining_minutes, reset_minutes : float > 0
    patience_minutes : float > 0
        τ of the walk-away rule.

    Returns
    -------
    DataFrame with one row per (day_type, slot), 10:00 to 03:45 the next
    morning (the last four hours only serve the queue off):

    * ``day_type``: weekday or weekend; ``clock``: start of the slot (hours
      after midnight, e.g. 18.25 = 18:15); ``hour``: whole hour;
    * ``arrivals``: parties arriving in the slot (parties);
    * ``served``: of them, parties who join the list and are seated (parties);
    * ``walk_share``: share of arrivals who walk away;
    * ``mean_wait_min``: expected wait of those who join (minutes);
    * ``p_wait``: share of joiners who find no free table;
    * ``waiting_parties``: joiners who wait (parties; they get the perks);
    * ``waitlist``: parties waiting at the end of the slot (parties);
    * ``utilisation``: busy tables ÷ tables at the end of the slot.

    Notes
    -----
    Service rate per table μ = 60 / (T + s) per hour. The day is solved by
    :func:`casekit.queueing.fluid_queue` (pointwise-stationary fluid
    approximation): tables free up at rate μ each, the backlog carries over,
    and a party quoted a wait W leaves at once with probability
    1 − exp(−W·(1 − θ) / τ), θ the perks' cut in perceived wait
    (:func:`perceived_wait_factor`). In a steady off-peak hour the waits
    are those of Erlang C.

    Examples
    --------
    >>> q = queue_day(400)
    >>> len(q) == 2 * 4 * 18
    True
    """
    _ck.check_at_most("daily_parties", daily_parties, MAX_NEW_PARTIES * 20)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    lam_day = check_positive("daily_parties", daily_parties, allow_zero=True)
    c = check_number("tables", tables, low=1, integer=True)
    perks = check_positive("perks", perks, allow_zero=True)
    t = check_positive("dining_minutes", dining_minutes)
    s = check_positive("reset_minutes", reset_minutes)
    tau = check_positive("patience_minutes", patience_minutes)
    f = _solve_days([lam_day], c, perks, t, s, tau)
    return _queue_frame(f, 0, c)


def _solve_days(daily_parties, c, perks, dining_minutes=None, reset_minutes=None, patience_minutes=None) -> dict:
    # One fluid_queue call for several demand levels at once: rows 2k, 2k + 1 are
    # the weekday and weekend of daily_parties[k] (the solver is vectorised over rows).
    # None means the module's value at call time (so style_gain can vary it).
    dining_minutes = DINING_MINUTES if dining_minutes is None else dining_minutes
    reset_minutes = RESET_MINUTES if reset_minutes is None else reset_minutes
    lam = np.asarray(daily_parties, dtype=float)
    weekday = lam * 7.0 / (5.0 + 2.0 * WEEKEND_FACTOR)
    per_day = np.column_stack([weekday, weekday * WEEKEND_FACTOR]).reshape(-1, 1)
    rates = per_day * np.tile(_profiles(), (lam.size, 1)) * _SLOTS_PER_HOUR      # parties per hour
    return fluid_queue(rates, 60.0 / (dining_minutes + reset_minutes), c, slot=1.0 / _SLOTS_PER_HOUR,
                       walk_rate=_walk_rate(perks, patience_minutes))


def _queue_frame(f, k, c) -> pd.DataFrame:
    # The queue_day table of demand level k of a _solve_days result.
    rows = slice(2 * k, 2 * k + 2)
    return pd.DataFrame({
        "day_type": _SLOTS["day_type"].to_numpy(),
        "clock": _SLOTS["clock"].to_numpy(),
        "hour": np.floor(_SLOTS["clock"].to_numpy()).astype("int64"),
        "arrivals": f["arrivals"][rows].ravel(),
        "served": f["joined"][rows].ravel(),
        "walk_share": f["walk_share"][rows].ravel(),
        "mean_wait_min": 60.0 * f["wait"][rows].ravel(),
        "p_wait": f["p_wait"][rows].ravel(),
        "waiting_parties": f["waiting"][rows].ravel(),
        "waitlist": f["queue"][rows].ravel(),
        "utilisation": f["busy"][rows].ravel() / c,
    })


SIM_SEED = 2015
"""Seed of the event simulation's draws (:func:`simulate_day_queue`)."""
_SIM_BLOCK = 256
_SIM_DRAWS: dict = {}


def _sim_draws(seed, rows, n):
    # (rows, n) draws per party: arrival gaps, dining-time normals and exponentials, walk-away
    # uniforms. Drawn in blocks of parties from streams keyed by (seed, rows, block), so a longer
    # day keeps the same first parties (common random numbers across demand levels).
    key = (seed, rows)
    have = _SIM_DRAWS.get(key)
    if have is None or have[0].shape[1] < n:
        blocks = -(-n // _SIM_BLOCK)
        gens = [np.random.default_rng([seed, rows, b]) for b in range(blocks)]
        shape = (rows, _SIM_BLOCK)
        parts = [(g.standard_exponential(shape), g.standard_normal(shape), g.standard_exponential(shape),
                  g.random(shape)) for g in gens]
        have = tuple(np.hstack([p[i] for p in parts]) for i in range(4))
        if len(_SIM_DRAWS) > 8:
            _SIM_DRAWS.clear()
        _SIM_DRAWS[key] = have
    return tuple(a[:, :n] for a in have)


def simulate_day_queue(daily_parties, weekend, *, tables=TABLES, perks=0.0, dining_minutes=DINING_MINUTES,
                       dining_cv=DINING_CV, reset_minutes=RESET_MINUTES, patience_minutes=PATIENCE_MINUTES,
                       seed=SIM_SEED) -> dict:
    """A discrete-event simulation of the store's queue, one row per day,
    with dining times that are not exponential.

    Parameters
    ----------
    daily_parties : 1-D array of floats >= 0
        Expected parties arriving on each simulated day (walk-aways included).
    weekend : 1-D array of bools, same length
        Which arrival profile each day follows (:data:`HOURLY_PROFILE`).
    tables, perks, dining_minutes, reset_minutes, patience_minutes :
        as in :func:`queue_day`.
    dining_cv : float >= 0 or None
        Coefficient of variation of the dining time: lognormal with this CV
        around ``dining_minutes``; ``None`` means exponential (the M/M/c
        assumption of :func:`queue_day`).
    seed : int
        Seed of the draws (the same seed gives the same days).

    Returns
    -------
    dict of arrays of shape (days, slots), slots as in :func:`queue_day`:
    ``arrivals``, ``joined``, ``wait_sum`` (minutes summed over joiners),
    ``waiting`` (joiners who wait), ``waitlist`` (parties waiting at the end
    of the slot), ``busy`` (tables busy at the end of the slot).

    Notes
    -----
    Arrivals are a Poisson process whose rate follows the day's profile
    slot by slot. Parties are seated first come, first served at the table
    that frees up first; a table is free again after the dining time plus
    the reset time. The host tells each arriving party its wait W; it leaves
    at once with probability 1 − exp(−W·(1 − θ)/τ), the rule of
    :func:`queue_day`. All days are simulated together (vectorised over
    days, one step per arriving party).

    Examples
    --------
    >>> out = simulate_day_queue([500.0, 700.0], [False, True], seed=1)
    >>> out["waitlist"].shape == (2, 4 * 18)
    True
    """
    _ck.check_array_like("daily_parties", daily_parties, rule="checks.rule.number_or_numbers_at_least_0",
                         max_size=10_000)
    lam = np.asarray(daily_parties, dtype=float)
    wk = np.asarray(weekend)
    if lam.ndim != 1 or lam.size == 0 or lam.size > 2000 or not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError(f"`daily_parties` must be 1 to 2,000 numbers >= 0, got {daily_parties!r}")
    if wk.shape != lam.shape or wk.dtype != bool:
        raise ValueError(f"`weekend` must be booleans, one per day ({lam.size}), got {weekend!r}")
    c = check_number("tables", tables, low=1, high=1000, integer=True)
    perks = check_positive("perks", perks, allow_zero=True)
    t_mean = check_positive("dining_minutes", dining_minutes)
    if dining_cv is not None:
        check_number("dining_cv", dining_cv, low=0.0, high=3.0)
    reset = check_positive("reset_minutes", reset_minutes, allow_zero=True)
    tau = check_positive("patience_minutes", patience_minutes)
    check_number("seed", seed, low=0, integer=True)
    k = _walk_rate(perks, tau)                                   # 1/hour
    n_rows, n_slots = lam.size, _N_SLOTS
    slot_h = 1.0 / _SLOTS_PER_HOUR
    n_max = int(np.ceil(lam.max() + 6.0 * math.sqrt(lam.max()) + 10.0))
    gaps, z, expo, walk_u = _sim_draws(int(seed), n_rows, n_max)
    # Arrival times (hours after opening): cumulative unit gaps mapped through the expected
    # cumulative arrivals of the day's profile.
    profile = np.where(wk[:, None], _profiles()[1][None, :], _profiles()[0][None, :])
    cum_expected = np.hstack([np.zeros((n_rows, 1)), np.cumsum(profile, axis=1)]) * lam[:, None]
    grid = np.arange(n_slots + 1) * slot_h
    cum = np.cumsum(gaps, axis=1)
    arrive = np.full((n_rows, n_max), np.inf)
    for r in range(n_rows):
        ok = cum[r] < cum_expected[r, -1]
        arrive[r, ok] = np.interp(cum[r, ok], cum_expected[r], grid)
    n_used = int(np.isfinite(arrive).sum(axis=1).max()) if np.isfinite(arrive).any() else 0
    if dining_cv is None:
        dine = t_mean * expo
    else:
        sig = math.sqrt(math.log1p(dining_cv ** 2))
        dine = t_mean * np.exp(sig * z - sig * sig / 2.0)
    hold = (dine + reset) / 60.0                                 # hours a table is taken
    free = np.zeros((n_rows, c))
    rows = np.arange(n_rows)
    start = np.full((n_rows, n_used), np.inf)
    joined = np.zeros((n_rows, n_used), dtype=bool)
    for i in range(n_used):
        t_i = arrive[:, i]
        j = free.argmin(axis=1)
        seat = np.maximum(t_i, free[rows, j])
        with np.errstate(invalid="ignore"):
            stay = np.isfinite(t_i) & (walk_u[:, i] >= -np.expm1(-k * (seat - t_i)))
        free[rows[stay], j[stay]] = seat[stay] + hold[stay, i]
        start[stay, i] = seat[stay]
        joined[:, i] = stay
    arrive = arrive[:, :n_used]
    wait = np.where(joined, start - np.where(np.isfinite(arrive), arrive, 0.0), 0.0)
    slot = np.minimum(np.where(np.isfinite(arrive), arrive, 0.0) / slot_h, n_slots - 1).astype(np.int64)
    flat = (rows[:, None] * n_slots + slot).ravel()
    size = n_rows * n_slots

    def per_slot(weights):
        return np.bincount(flat, weights=weights.ravel(), minlength=size).reshape(n_rows, n_slots)

    ends = grid[1:]
    waitlist = np.zeros((n_rows, n_slots))
    busy = np.zeros((n_rows, n_slots))
    for r in range(n_rows):
        a, st = arrive[r, joined[r]], start[r, joined[r]]
        done = st + hold[r, :n_used][joined[r]]
        waitlist[r] = (np.searchsorted(np.sort(a), ends, side="right")
                       - np.searchsorted(np.sort(st), ends, side="right"))
        busy[r] = (np.searchsorted(np.sort(st), ends, side="right")
                   - np.searchsorted(np.sort(done), ends, side="right"))
    return {
        "arrivals": per_slot(np.isfinite(arrive).astype(float)),
        "joined": per_slot(joined.astype(float)),
        "wait_sum": per_slot(60.0 * wait),
        "waiting": per_slot((joined & (wait > 1e-9)).astype(float)),
        "waitlist": waitlist,
        "busy": busy,
    }


def dining_time_check(*, days=40, dining_cv=DINING_CV, perks=10.0, empowerment=6.0,
                      new_parties=None, tables=TABLES, seed=SIM_SEED) -> pd.DataFrame:
    """How much the exponential dining times of :func:`queue_day` matter.

    The Haidilao-style store's balanced demand (:func:`store_model`) is
    served three ways: by the fluid model (exponential dining times), by the
    event simulation with exponential dining times (a check on the fluid
    model) and by the event simulation with realistic dining times
    (lognormal, CV ``dining_cv``).

    Parameters
    ----------
    days : int in [5, 500]
        Simulated days of each type (weekday, weekend).
    dining_cv : float
        CV of the realistic dining times (:data:`DINING_CV`).
    perks, empowerment, new_parties, tables : as in :func:`store_model`.
    seed : int

    Returns
    -------
    DataFrame indexed by ``model`` with ``peak_waitlist_weekday``,
    ``peak_waitlist_weekend`` (parties, the peak of the average day),
    ``walk_share`` (week average), ``turns``, ``mean_wait_min`` (of those
    who stay) and ``parties_kept`` (parties a day the perks keep in the
    queue: served with perks minus served without, same arrivals).

    >>> t = dining_time_check(days=5)
    >>> list(t.index)
    ['fluid model, exponential', 'simulation, exponential', 'simulation, realistic']
    """
    n_days = check_number("days", days, low=5, high=500, integer=True)
    base = store_model(new_parties=NEW_PARTIES if new_parties is None else new_parties, tables=tables,
                       perks=perks, empowerment=empowerment)
    without = day_summary(queue_day(base["arrivals"], tables=tables, perks=0.0), tables=tables)
    rows = {"fluid model, exponential": {
        **{f"peak_waitlist_{d}": base[f"peak_waitlist_{d}"] for d in ("weekday", "weekend")},
        "walk_share": base["walk_share"], "turns": base["turns"], "mean_wait_min": base["mean_wait_min"],
        "parties_kept": base["served"] - without["served"]}}
    weekday = base["arrivals"] * 7.0 / (5.0 + 2.0 * WEEKEND_FACTOR)
    lam = np.r_[np.full(n_days, weekday), np.full(n_days, weekday * WEEKEND_FACTOR)]
    weekend = np.r_[np.zeros(n_days, bool), np.ones(n_days, bool)]
    w = np.where(weekend, 2.0, 5.0) / 7.0 / n_days            # week-average weight of each day
    for name, cv in (("simulation, exponential", None), ("simulation, realistic", dining_cv)):
        served = {}
        for p in (perks, 0.0):
            sim = simulate_day_queue(lam, weekend, tables=tables, perks=p, dining_cv=cv, seed=seed)
            served[p] = float((w * sim["joined"].sum(axis=1)).sum())
            if p == perks:
                arrivals = float((w * sim["arrivals"].sum(axis=1)).sum())
                joined = served[p]
                rows[name] = {
                    "peak_waitlist_weekday": float(sim["waitlist"][~weekend].mean(axis=0).max()),
                    "peak_waitlist_weekend": float(sim["waitlist"][weekend].mean(axis=0).max()),
                    "walk_share": 1.0 - joined / arrivals if arrivals else 0.0,
                    "turns": joined / tables,
                    "mean_wait_min": float((w * sim["wait_sum"].sum(axis=1)).sum()) / joined if joined else 0.0,
                }
        rows[name]["parties_kept"] = served[perks] - served[0.0]
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "model"
    return out


def _peaks(queue) -> dict:
    # Dinner-peak figures of a queue_day table, per day type.
    out = {}
    for day_type in ("weekday", "weekend"):
        part = queue[queue["day_type"] == day_type]
        out[f"peak_waitlist_{day_type}"] = float(part["waitlist"].max())
        out[f"peak_wait_min_{day_type}"] = float(part["mean_wait_min"].max())
        out[f"peak_walk_share_{day_type}"] = float(part["walk_share"].max())
    return out


def day_summary(queue, *, tables=TABLES, perks=0.0, empowerment=0.0) -> dict:
    """Turn a queue table (:func:`queue_day`, one row per slot) into a store's
    average day.

    Returns
    -------
    dict with ``arrivals`` and ``served`` (parties per day), ``turns``
    (served parties per table per day), ``walk_share``, ``mean_wait_min``,
    ``revenue`` (RMB per day), ``revpash`` (RMB per seat-hour),
    ``perks_cost``, ``comps_cost``, ``profit`` (RMB per day).

    Notes
    -----
    Week average: 5 weekdays and 2 weekend days. Revenue = served × mean
    party × spend per guest. RevPASH = revenue / (seats × open hours)
    (Kimes 1999, Cornell HRA Quarterly). Profit = revenue·(1 − food share)
    − perks × waiting parties − empowerment × served − fixed cost × tables.
    """
    _ck.check_frame("queue", queue, ["day_type", "arrivals", "served", "waiting_parties", "mean_wait_min"])
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    c = check_number("tables", tables, low=1, integer=True)
    p = check_positive("perks", perks, allow_zero=True)
    e = check_positive("empowerment", empowerment, allow_zero=True)
    w = np.where(queue["day_type"].to_numpy() == "weekday", 5.0 / 7.0, 2.0 / 7.0)
    arrivals = float((w * queue["arrivals"]).sum())
    served = float((w * queue["served"]).sum())
    waiting = float((w * queue["waiting_parties"]).sum())
    wait_total = float((w * queue["served"] * queue["mean_wait_min"]).sum())
    revenue = served * MEAN_PARTY * SPEND_PER_GUEST
    perks_cost = p * waiting
    comps_cost = e * served
    return {
        "arrivals": arrivals,
        "served": served,
        "turns": served / c,
        "walk_share": 1.0 - served / arrivals if arrivals else 0.0,
        "mean_wait_min": wait_total / served if served else 0.0,
        "revenue": revenue,
        "revpash": revenue / (c * SEATS_PER_TABLE * len(OPEN_HOURS)),
        "perks_cost": perks_cost,
        "comps_cost": comps_cost,
        "profit": revenue * (1.0 - FOOD_COST_SHARE) - perks_cost - comps_cost - FIXED_COST_PER_TABLE_DAY * c,
    }


# --------------------------------------------------------------------------
# Diners: one visit's outcome, from cached random draws
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class DinerDraws:
    """Random numbers for ``n`` visits, drawn once and reused (common random
    numbers): every setting is judged on the same diners."""

    slot: np.ndarray        # uniform: which hour and day type
    wait_u: np.ndarray      # uniform: whether the party must wait
    wait_e: np.ndarray      # standard exponential: how long
    walk_u: np.ndarray      # uniform: walk away?
    problem_u: np.ndarray   # uniform: a service problem?
    comp_u: np.ndarray      # uniform: does staff give something?
    score_z: np.ndarray     # standard normal: taste
    party_u: np.ndarray     # uniform: party size

    @property
    def n(self) -> int:
        return self.slot.size


def draw_diners(n=4000, *, seed=None) -> DinerDraws:
    """Draw the random numbers for ``n`` visits (see :class:`DinerDraws`).

    >>> draw_diners(10, seed=1).n
    10
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=1, integer=True)
    rng = check_seed("seed", seed)
    return DinerDraws(rng.random(n), rng.random(n), rng.standard_exponential(n), rng.random(n),
                      rng.random(n), rng.random(n), rng.standard_normal(n), rng.random(n))


def _party_size(u):
    edges = np.cumsum(PARTY_SIZES.to_numpy())
    return np.minimum(np.searchsorted(edges, u, side="right"), len(edges) - 1) + 1


def visit_outcomes(queue, slot_index, wait_u, wait_e, walk_u, problem_u, comp_u, score_z, *,
                   perks=0.0, empowerment=0.0) -> dict:
    """What happens on each visit, given the queue and the random draws.

    Parameters
    ----------
    queue : DataFrame from :func:`queue_day`
    slot_index : int array, row of ``queue`` each visit falls in
    wait_u, wait_e, walk_u, problem_u, comp_u, score_z : arrays of draws
    perks, empowerment : float >= 0, RMB per waiting / served party

    Returns
    -------
    dict of arrays: ``wait_min`` (the wait the party faces), ``walked``,
    ``problem``, ``fixed``, ``surprised``, ``score`` (1–5, NaN if walked),
    ``return_p``.

    Notes
    -----
    Walk away if ``walk_u`` is below the slot's walk-away share
    1 − exp(−W·(1 − θ)/τ) for the quoted wait W (the rule of
    :func:`queue_day`). Wait of a party who stays: 0 if ``wait_u`` ≥ the
    slot's chance of waiting p, else W/p × ``wait_e`` (exponential around
    the slot's mean). Satisfaction s = 4.2 + 0.8·z − 1.0·(perceived wait in
    hours) − 1.3·(unfixed problem) + 0.2·(fixed problem) +
    bonus·(surprise), rounded and clipped to 1–5.
    """
    if not isinstance(queue, (pd.DataFrame, dict)) or not all(k in queue for k in ("p_wait", "mean_wait_min",
                                                                                    "walk_share")):
        raise TypeError("`queue` must be the table from queue_day (with p_wait, mean_wait_min, walk_share), "
                        f"got {type(queue).__name__}")
    _n_slots = np.shape(np.asarray(queue["p_wait"]))[-1] if np.ndim(np.asarray(queue["p_wait"])) else 0
    if _n_slots == 0:
        raise ValueError("`queue` must have at least one row (from queue_day)")
    _arrays = {}
    for _name, _v in (("slot_index", slot_index), ("wait_u", wait_u), ("wait_e", wait_e), ("walk_u", walk_u),
                      ("problem_u", problem_u), ("comp_u", comp_u), ("score_z", score_z)):
        if isinstance(_v, (str, bytes, dict, pd.DataFrame)) or np.ndim(_v) != 1:
            raise TypeError(f"`{_name}` must be a 1-D array of numbers (one per visit), got {type(_v).__name__}")
        _arrays[_name] = _ck.check_values(_name, _v)
    _sizes = {k: a.size for k, a in _arrays.items()}
    if len(set(_sizes.values())) != 1:
        raise ValueError(f"`slot_index` and the draw arrays must have one value per visit, got sizes {_sizes}")
    _si = _arrays["slot_index"]
    if not (np.all(_si == np.floor(_si)) and _si.min() >= 0 and _si.max() < _n_slots):
        raise ValueError(f"`slot_index` must hold row numbers of `queue` (whole numbers 0 to {_n_slots - 1})")
    for _name in ("wait_u", "walk_u", "problem_u", "comp_u"):
        if _arrays[_name].min() < 0 or _arrays[_name].max() > 1:
            raise ValueError(f"`{_name}` must hold uniform draws in [0, 1]")
    if _arrays["wait_e"].min() < 0:
        raise ValueError("`wait_e` must hold exponential draws >= 0")
    slot_index = _si.astype(np.int64)
    wait_u, wait_e, walk_u = _arrays["wait_u"], _arrays["wait_e"], _arrays["walk_u"]
    problem_u, comp_u, score_z = _arrays["problem_u"], _arrays["comp_u"], _arrays["score_z"]
    factor = perceived_wait_factor(perks)
    fixed_share, surprise_share, bonus = comp_shares(empowerment)
    # [..., slot_index]: a queue may also hold one row per demand level (2-D arrays).
    p = np.asarray(queue["p_wait"])[..., slot_index]
    mean_wait = np.asarray(queue["mean_wait_min"])[..., slot_index]
    walk_share = np.asarray(queue["walk_share"])[..., slot_index]
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where((wait_u < p) & (p > 0), mean_wait / np.where(p > 0, p, 1.0) * wait_e, 0.0)
    perceived = factor * wait
    walked = walk_u < walk_share
    problem = problem_u < PROBLEM_RATE
    fixed = problem & (comp_u < fixed_share)
    surprised = ~problem & (comp_u < surprise_share)
    s = (SCORE_BASE + SCORE_SPREAD * score_z - WAIT_PENALTY * perceived / 60.0
         - PROBLEM_PENALTY * (problem & ~fixed) + RECOVERY_BONUS * fixed + bonus * surprised)
    score = np.clip(np.rint(s), 1, 5)
    score = np.where(walked, np.nan, score)
    ret = np.where(walked, RETURN_IF_WALKED,
                   RETURN_BY_SCORE.to_numpy()[np.nan_to_num(score, nan=1).astype(int) - 1])
    return {"wait_min": wait, "walked": walked, "problem": problem & ~walked,
            "fixed": fixed & ~walked, "surprised": surprised & ~walked, "score": score, "return_p": ret}


def _slot_index(u):
    edges = np.cumsum(_SLOTS["weight"].to_numpy())
    return np.minimum(np.searchsorted(edges / edges[-1], u, side="right"), len(edges) - 1)


def loyalty_summary(outcomes) -> dict:
    """The satisfaction → loyalty → referral chain from a set of visits.

    Returns
    -------
    dict with ``satisfied_share`` (score 4–5 among served), ``delighted_share``
    (score 5), ``repeat_rate`` (mean chance of another visit, walk-aways
    included), ``visits_per_diner`` (1 / (1 − repeat rate)), ``net_referrals``
    (new diners won per visit, good word of mouth minus bad) and
    ``demand_multiplier`` (parties per new diner, returns and referrals).

    Notes
    -----
    Visits per diner A = 1 / (1 − r̄) (geometric). Word of mouth by
    :func:`casekit.metrics.word_of_mouth`: delighted diners tell 4.5 people,
    unhappy ones (score ≤ 2 or walked away) 9.5 (TARP 1980); 8% of good
    listeners come, 4% of bad listeners stay away. Referred diners per new
    diner ρ = A × net referrals (kept below 0.9); multiplier M = A / (1 − ρ).
    """
    if not isinstance(outcomes, dict) or not {"walked", "score", "return_p"} <= set(outcomes):
        raise TypeError("`outcomes` must be the dict from visit_outcomes (with walked, score, return_p), "
                        f"got {type(outcomes).__name__}")
    if np.size(outcomes["walked"]) == 0:
        raise ValueError("`outcomes` must hold at least one visit")
    score = outcomes["score"]
    walked = outcomes["walked"]
    n = walked.size
    served = ~walked
    n_served = int(served.sum())
    delighted = int((score == 5).sum())
    unhappy = int((score <= 2).sum()) + int(walked.sum())
    r = float(np.mean(outcomes["return_p"]))
    visits = 1.0 / (1.0 - r)
    wom = word_of_mouth(delighted, unhappy, tell_satisfied=TELL_DELIGHTED, tell_dissatisfied=TELL_UNHAPPY)
    net = (CONVERT_POSITIVE * wom["positive"] - DETER_NEGATIVE * wom["negative"]) / n
    rho = min(0.9, visits * net)
    return {
        "satisfied_share": float((score >= 4).sum()) / n_served if n_served else 0.0,
        "delighted_share": delighted / n_served if n_served else 0.0,
        "repeat_rate": r,
        "visits_per_diner": visits,
        "net_referrals": net,
        "demand_multiplier": visits / (1.0 - rho),
    }


def _demand_multipliers(outcomes) -> np.ndarray:
    # loyalty_summary's demand multiplier along the last axis (one value per demand level).
    score, walked = outcomes["score"], outcomes["walked"]
    n = walked.shape[-1]
    delighted = (score == 5).sum(axis=-1)
    unhappy = (score <= 2).sum(axis=-1) + walked.sum(axis=-1)
    visits = 1.0 / (1.0 - outcomes["return_p"].mean(axis=-1))
    net = (CONVERT_POSITIVE * TELL_DELIGHTED * delighted - DETER_NEGATIVE * TELL_UNHAPPY * unhappy) / n
    rho = np.minimum(0.9, visits * net)
    return visits / (1.0 - rho)


# --------------------------------------------------------------------------
# The store: demand and service in balance
# --------------------------------------------------------------------------

_DRAWS_CACHE: dict = {}
_STORE_CACHE: dict = {}   # store_model results on the default draws, by arguments
_STORE_CACHE_MAX = 512
_DEMAND_GRID = np.geomspace(30.0, 6000.0, 61)   # parties per day searched for the balance
_GRID_CACHE: dict = {}


def _grid_solve(c, p) -> dict:
    # The day's queue at every demand level of the grid, cached: it depends only on the
    # queue's inputs (not on the new parties or the loyalty assumptions), so most calls reuse it.
    felt = (IDLE_OVERESTIMATE, PERK_SCALE) if p > 0 else ()      # without perks they cannot matter
    key = (c, p, PATIENCE_MINUTES, DINING_MINUTES, RESET_MINUTES, *felt)
    if key not in _GRID_CACHE:
        if len(_GRID_CACHE) >= 256:
            _GRID_CACHE.clear()
        _GRID_CACHE[key] = _solve_days(_DEMAND_GRID, c, p)
    return _GRID_CACHE[key]


def _cached_draws(n=3000, seed=2018):
    key = (n, seed)
    if key not in _DRAWS_CACHE:
        _DRAWS_CACHE[key] = draw_diners(n, seed=seed)
    return _DRAWS_CACHE[key]


def store_model(*, new_parties=NEW_PARTIES, tables=TABLES, perks=0.0, empowerment=0.0,
                draws=None, service_dilution=0.0, max_steps=12) -> dict:
    """A store's average day when demand and service are in balance.

    Parameters
    ----------
    new_parties : float > 0
        First-time parties per day (before returns and referrals).
    tables : int >= 1
    perks : float >= 0
        RMB per waiting party on waiting-area perks.
    empowerment : float >= 0
        RMB per served party that staff may give away (free dish, discount).
    draws : DinerDraws, optional
        Cached draws (common random numbers); defaults to 3,000 fixed draws.
    service_dilution : float in [0, 1]
        Share of the staff's gifts wasted because new staff are not yet
        trusted or trained (used for fast expansion).
    max_steps : int >= 1
        Kept for compatibility: the grid search needs no steps.

    Returns
    -------
    dict: the :func:`day_summary` figures; the dinner-peak figures
    ``peak_waitlist_weekday`` / ``_weekend`` (parties waiting),
    ``peak_wait_min_weekday`` / ``_weekend`` (minutes) and
    ``peak_walk_share_weekday`` / ``_weekend``; the :func:`loyalty_summary`
    figures; ``new_parties``; under ``"queue"`` the slot-by-slot table and
    under ``"outcomes"`` the visits.

    Notes
    -----
    Parties per day = new parties × M, where the demand multiplier M
    (:func:`loyalty_summary`) depends on the waits, and the waits
    (:func:`queue_day`) on the parties per day. M is found where
    M = F(M) (F falls as M rises: more diners mean longer waits and more
    walk-aways): F is computed on a grid of 61 demand levels from 30 to
    6,000 parties a day (queues solved in one vectorised, cached call: it
    serves every number of new parties), the crossing is bracketed and
    the root found on a cubic through the four grid points around it; the
    day is then solved at the root. Results on the default draws are cached, so repeated calls
    are free.

    Examples
    --------
    >>> out = store_model(perks=10, empowerment=6)
    >>> 4.0 <= out["turns"] <= 5.0
    True
    """
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    n_new = check_positive("new_parties", new_parties)
    c = check_number("tables", tables, low=1, integer=True)
    p = check_positive("perks", perks, allow_zero=True)
    e = check_positive("empowerment", empowerment, allow_zero=True)
    dil = check_probability("service_dilution", service_dilution)
    steps = check_number("max_steps", max_steps, low=1, integer=True)
    key = (n_new, c, p, e, dil, steps, _assumed_now(p, e * (1.0 - dil)))
    if draws is None and key in _STORE_CACHE:
        return _copy_result(_STORE_CACHE[key])
    d = _cached_draws() if draws is None else draws
    if not isinstance(d, DinerDraws):
        raise TypeError(f"`draws` must be a DinerDraws (from draw_diners) or None, got {type(d).__name__}")
    slot = _slot_index(d.slot)
    e_eff = e * (1.0 - dil)

    def outcomes(f, k):
        rows = slice(2 * k, 2 * k + 2)
        q = {"p_wait": f["p_wait"][rows].ravel(), "mean_wait_min": 60.0 * f["wait"][rows].ravel(),
             "walk_share": f["walk_share"][rows].ravel()}
        return visit_outcomes(q, slot, d.wait_u, d.wait_e, d.walk_u, d.problem_u, d.comp_u, d.score_z,
                              perks=p, empowerment=e_eff)

    # g(M) = M − F(M) on a grid of M, all demand levels solved in one (cached) call; g rises with M.
    m = _DEMAND_GRID / n_new
    f = _grid_solve(c, p)
    grid_q = {"p_wait": f["p_wait"].reshape(m.size, -1), "mean_wait_min": 60.0 * f["wait"].reshape(m.size, -1),
              "walk_share": f["walk_share"].reshape(m.size, -1)}
    grid_out = visit_outcomes(grid_q, slot, d.wait_u, d.wait_e, d.walk_u, d.problem_u, d.comp_u, d.score_z,
                              perks=p, empowerment=e_eff)
    g = m - _demand_multipliers(grid_out)
    above = np.flatnonzero(g > 0)
    if above.size == 0:              # the balance lies above the grid: take its top
        root = float(m[-1])
    elif above[0] == 0:              # ... or below it: take its bottom
        root = float(m[0])
    else:                            # cubic through the four grid points around the crossing
        i = int(above[0])
        lo_i = min(max(i - 2, 0), m.size - 4)
        coef = np.polyfit(m[lo_i:lo_i + 4], g[lo_i:lo_i + 4], 3)
        roots = np.roots(coef)
        real = roots[np.isreal(roots)].real
        inside = real[(real >= m[i - 1]) & (real <= m[i])]
        root = (float(inside[0]) if inside.size
                else float(m[i - 1] - g[i - 1] * (m[i] - m[i - 1]) / (g[i] - g[i - 1])))
    f = _solve_days([n_new * root], c, p)
    q = _queue_frame(f, 0, c)
    out = outcomes(f, 0)
    loy = loyalty_summary(out)
    summary = day_summary(q, tables=c, perks=p, empowerment=e)
    result = {"new_parties": n_new, **summary, **_peaks(q), **loy, "queue": q, "outcomes": out}
    if draws is None:
        if len(_STORE_CACHE) >= _STORE_CACHE_MAX:
            _STORE_CACHE.clear()
        _STORE_CACHE[key] = result
        return _copy_result(result)
    return result


def _copy_result(result) -> dict:
    # A cached store_model result, with its own copies of the tables a caller might change.
    return {**result, "queue": result["queue"].copy(),
            "outcomes": {k: v.copy() for k, v in result["outcomes"].items()}}


def compare_styles(styles=("standard", "perks_only", "empowerment_only", "haidilao"), *,
                   new_parties=NEW_PARTIES, tables=TABLES) -> pd.DataFrame:
    """The same demand (same new diners, same random draws) served in
    different styles (:data:`STYLES`). One row per style.

    Columns: ``perks``, ``empowerment``, ``arrivals``, ``served``, ``turns``,
    ``walk_share``, ``mean_wait_min``, ``satisfied_share``,
    ``delighted_share``, ``repeat_rate``, ``visits_per_diner``,
    ``demand_multiplier``, ``revpash``, ``service_cost``, ``profit``.
    """
    if isinstance(styles, (str, bytes, dict)) or not isinstance(styles, (list, tuple)) or not styles:
        raise TypeError(f"`styles` must be a list of style names ({', '.join(STYLES)}), got {styles!r:.80}")
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    rows = {}
    for name in styles:
        check_choice("styles", name, STYLES)
        s = STYLES[name]
        r = store_model(new_parties=new_parties, tables=tables, **s)
        rows[name] = {**s, **{k: r[k] for k in ("arrivals", "served", "turns", "walk_share", "mean_wait_min",
                                                 "satisfied_share", "delighted_share", "repeat_rate",
                                                 "visits_per_diner", "demand_multiplier", "revpash")},
                      "service_cost": r["perks_cost"] + r["comps_cost"], "profit": r["profit"]}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "style"
    return out


def spend_curve(budgets, *, lever="empowerment", perks=10.0, empowerment=6.0,
                new_parties=NEW_PARTIES, tables=TABLES) -> pd.DataFrame:
    """Profit as one service budget rises, the other held fixed (marginal
    analysis).

    Parameters
    ----------
    budgets : sequence of floats >= 0, increasing
        RMB per party for the chosen lever.
    lever : "empowerment" or "perks"

    Returns
    -------
    DataFrame indexed by ``budget``: ``turns``, ``walk_share``,
    ``repeat_rate``, ``service_cost``, ``profit`` (RMB per day) and
    ``marginal_profit`` (extra profit per extra RMB of budget per party,
    from the step before; NaN in the first row).
    """
    _ck.check_array_like("budgets", budgets, rule="checks.rule.numbers_at_least_0", max_size=MAX_CURVE_POINTS)
    _ck.check_choice("lever", lever, ("empowerment", "perks"))
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    check_choice("lever", lever, ("empowerment", "perks"))
    b = np.asarray(budgets, dtype=float)
    if b.ndim != 1 or b.size < 2 or np.any(~np.isfinite(b)) or np.any(b < 0) or np.any(np.diff(b) <= 0):
        raise ValueError(f"`budgets` must be at least two increasing numbers >= 0, got {budgets!r}")
    rows = []
    for x in b:
        kw = {"perks": perks, "empowerment": empowerment, lever: float(x)}
        r = store_model(new_parties=new_parties, tables=tables, **kw)
        rows.append({"budget": x, "turns": r["turns"], "walk_share": r["walk_share"],
                     "repeat_rate": r["repeat_rate"], "service_cost": r["perks_cost"] + r["comps_cost"],
                     "profit": r["profit"]})
    out = pd.DataFrame(rows).set_index("budget")
    out["marginal_profit"] = out["profit"].diff() / out.index.to_series().diff()
    return out


def expansion_path(growth, *, cannibalisation=0.5, dilution=0.5, perks=10.0, empowerment=6.0,
                   new_parties=NEW_PARTIES, tables=TABLES) -> pd.DataFrame:
    """What fast growth in store numbers does to an average store.

    Parameters
    ----------
    growth : sequence of floats >= 0
        Growth in the number of stores (0.69 = +69%, as from 768 stores in
        2019 to 1,298 in 2020).
    cannibalisation : float in [0, 1]
        How much the new stores' diners come out of the existing stores'
        catchment: new parties per store = base / (1 + cannibalisation × g).
    dilution : float in [0, 1]
        Share of the staff's gifts wasted in a new store whose staff are not
        yet trained and trusted; across the chain, the wasted share is
        dilution × g / (1 + g) (the new stores' share).

    Returns
    -------
    DataFrame indexed by ``growth``: ``new_parties``, ``turns``,
    ``walk_share``, ``repeat_rate``, ``profit`` (RMB per store per day),
    ``below_floor`` (turns under 4, Haidilao's 2021 threshold).
    """
    _ck.check_array_like("growth", growth, rule="checks.rule.numbers_at_least_0", max_size=MAX_CURVE_POINTS)
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    g = np.asarray(growth, dtype=float)
    if g.ndim != 1 or g.size == 0 or np.any(~np.isfinite(g)) or np.any(g < 0):
        raise ValueError(f"`growth` must be a list of numbers >= 0, got {growth!r}")
    cn = check_probability("cannibalisation", cannibalisation)
    dl = check_probability("dilution", dilution)
    rows = []
    for x in g:
        n = new_parties / (1.0 + cn * x)
        r = store_model(new_parties=n, tables=tables, perks=perks, empowerment=empowerment,
                        service_dilution=dl * x / (1.0 + x))
        rows.append({"growth": x, "new_parties": n, "turns": r["turns"], "walk_share": r["walk_share"],
                     "repeat_rate": r["repeat_rate"], "profit": r["profit"],
                     "below_floor": r["turns"] < EXPANSION_FLOOR})
    return pd.DataFrame(rows).set_index("growth")


def calibration(*, new_parties=NEW_PARTIES, tables=TABLES) -> pd.DataFrame:
    """The Haidilao-style store at its default settings against the figures
    it is calibrated to.

    Returns
    -------
    DataFrame indexed by ``figure`` with ``model`` (the store's value),
    ``low`` and ``high`` (the range aimed at) and ``source``.

    Notes
    -----
    Ranges: turns 4.0–5.0 (prospectus, results). Waitlists: about 100
    people on an ordinary evening, "doubling at weekends" (China Daily
    2015), that is about 32 and 64 parties (:data:`WAITLIST_PARTIES`), each
    taken ±25%, and a weekend ÷ weekday ratio of 1.5–2.5; peak waits 30–90
    minutes (lore [F]); guests per store-day between the floor implied by
    2017 revenue and twice it; spend per guest within the 94.6–110.1 Haidilao
    reported in 2017–2020.

    >>> bool(calibration().loc["table turns per day", "model"] > 4)
    True
    """
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    r = store_model(new_parties=new_parties, tables=tables, **STYLES["haidilao"])
    wl_wd, wl_we = r["peak_waitlist_weekday"], r["peak_waitlist_weekend"]
    wd, we = WAITLIST_PARTIES
    rows = [
        ("table turns per day", r["turns"], *TURNS_REPORTED, "prospectus 2018, results 2019 [M]/[S]"),
        ("peak waitlist, weekday (parties)", wl_wd, 0.75 * wd, 1.25 * wd,
         "China Daily 2015: about 100 people [M] ÷ 3.14 a party"),
        ("peak waitlist, weekend (parties)", wl_we, 0.75 * we, 1.25 * we,
         "China Daily 2015: double at weekends [M] ÷ 3.14 a party"),
        ("weekend ÷ weekday waitlist", wl_we / wl_wd if wl_wd else np.inf, 1.5, 2.5,
         "China Daily 2015: doubling at weekends [M]"),
        ("peak wait, weekday (minutes)", r["peak_wait_min_weekday"], *PEAK_WAIT_TARGET, "lore: an hour or more [F]"),
        ("peak wait, weekend (minutes)", r["peak_wait_min_weekend"], *PEAK_WAIT_TARGET, "lore: an hour or more [F]"),
        ("guests per store-day", r["served"] * MEAN_PARTY, GUESTS_PER_STORE_DAY, 2 * GUESTS_PER_STORE_DAY,
         "2017 revenue ÷ spend ÷ 320 stores [M]"),
        ("spend per guest (RMB)", SPEND_PER_GUEST, 94.6, 110.1, "prospectus 2018, results 2019–2020 [M]/[S]"),
    ]
    out = pd.DataFrame(rows, columns=["figure", "model", "low", "high", "source"]).set_index("figure")
    out["within"] = out["model"].between(out["low"], out["high"])
    return out


def perk_value(perks=10.0, *, empowerment=6.0, new_parties=NEW_PARTIES, tables=TABLES) -> dict:
    """What the waiting-area perks are worth on the day: the same parties at
    the door, with and without the perks.

    Parameters
    ----------
    perks : float >= 0
        RMB per waiting party.
    empowerment, new_parties, tables : as in :func:`store_model`; they set
        the store's balanced demand (with the perks), which both days share.

    Returns
    -------
    dict with ``arrivals`` (parties per day, both cases), ``walk_share`` and
    ``walk_share_without``, ``peak_walk_share`` and ``peak_walk_share_without``
    (weekend dinner peak), ``parties_kept`` (extra parties served per day),
    ``revenue_kept`` (RMB per day), ``margin_kept`` (revenue kept less its
    food cost), ``perk_cost`` (RMB per day), ``value`` (margin kept − perk
    cost, RMB per day), ``revenue_less_cost`` (revenue kept − perk cost), and
    the two queue tables ``queue`` and ``queue_without``.

    Notes
    -----
    Loyalty effects (a shorter-feeling wait raises satisfaction a little) are
    left out here; :func:`compare_styles` and :func:`spend_curve` include them.

    >>> v = perk_value()
    >>> v["walk_share"] < v["walk_share_without"]
    True
    """
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    p = check_positive("perks", perks, allow_zero=True)
    base = store_model(new_parties=new_parties, tables=tables, perks=p, empowerment=empowerment)
    q_with = base["queue"]
    q_without = queue_day(base["arrivals"], tables=tables, perks=0.0)
    s_with = day_summary(q_with, tables=tables, perks=p)
    s_without = day_summary(q_without, tables=tables, perks=0.0)
    kept = s_with["served"] - s_without["served"]
    revenue_kept = s_with["revenue"] - s_without["revenue"]
    margin_kept = revenue_kept * (1.0 - FOOD_COST_SHARE)
    return {
        "arrivals": s_with["arrivals"],
        "walk_share": s_with["walk_share"],
        "walk_share_without": s_without["walk_share"],
        "peak_walk_share": _peaks(q_with)["peak_walk_share_weekend"],
        "peak_walk_share_without": _peaks(q_without)["peak_walk_share_weekend"],
        "parties_kept": kept,
        "revenue_kept": revenue_kept,
        "margin_kept": margin_kept,
        "perk_cost": s_with["perks_cost"],
        "value": margin_kept - s_with["perks_cost"],
        "revenue_less_cost": revenue_kept - s_with["perks_cost"],
        "queue": q_with,
        "queue_without": q_without,
    }


GAIN_ASSUMPTIONS = ("patience_minutes", "idle_overestimate", "perk_scale", "comp_cost", "problem_rate",
                    "surprise_habituation", "wait_penalty", "convert_positive", "food_cost_share",
                    "fixed_cost_per_table_day")
"""The assumptions the notebook's tornado varies for :func:`style_gain`
(those the store's balanced day depends on; the fixed cost is the same in
every style, so it cannot move a gain: a check on the table)."""


def style_gain(style="haidilao", figure="profit", *, new_parties=NEW_PARTIES, tables=TABLES, **params) -> float:
    """What a service style gains over the standard store on the same new
    diners, with some assumed parameters changed: the headline figure of
    the "How sure are we?" section.

    Parameters
    ----------
    style : a key of :data:`STYLES` other than "standard"
        "haidilao" (perks and empowered staff) or "perks_only" (the value
        of the perks alone).
    figure : "profit" or "turns"
        Extra profit (RMB per day) or extra table turns per day.
    new_parties, tables : as in :func:`store_model`.
    **params : float
        Assumed parameters by their :data:`ASSUMPTIONS` names (e.g.
        ``patience_minutes=90``); the others keep their values.

    Notes
    -----
    The changed values hold only during the call (the module's constants
    are restored after it). Both stores reuse the same cached draws, so the
    figure moves only with the parameters.

    >>> style_gain() > 0
    True
    >>> style_gain(fixed_cost_per_table_day=700.0) == style_gain()
    True
    """
    check_choice("style", style, [k for k in STYLES if k != "standard"])
    check_choice("figure", figure, ("profit", "turns"))
    values = {}
    for name, value in params.items():
        check_choice("params", name, ASSUMPTIONS)
        values[name.upper()] = check_number(name, value, low=0.0, high=1e6)
    g = globals()
    old = {name: g[name] for name in values}
    try:
        g.update(values)
        a = store_model(new_parties=new_parties, tables=tables, **STYLES[style])
        b = store_model(new_parties=new_parties, tables=tables, **STYLES["standard"])
    finally:
        g.update(old)
    return float(a[figure] - b[figure])


def _clock_labels(ax):
    # Arrivals stop at midnight and the list is empty well before: show 10:00–24:00.
    ticks = np.arange(10, 25, 2)
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:02d}:00" for t in ticks])
    ax.set_xlim(10, 24)


def plot_day_queues(queues, *, what="waitlist", ax=None, title=None):
    """The waitlist (or the quoted wait) through a weekday and a weekend day.

    Parameters
    ----------
    queues : dict label -> DataFrame from :func:`queue_day`
        E.g. ``{"with perks": q1, "without perks": q0}``; the first is drawn
        solid, the others dashed.
    what : "waitlist" or "wait"
        Parties waiting at the end of each slot, or the expected wait (minutes)
        of a party arriving in it.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    The Axes.
    """
    if title is not None:
        _ck.check_str("title", title)
    from .plotting import PALETTE, get_axes

    check_choice("what", what, ("waitlist", "wait"))
    if not isinstance(queues, dict) or not queues:
        raise TypeError(f"`queues` must be a non-empty dict of label -> queue table, got {type(queues).__name__}")
    ax = get_axes(ax)
    col = "waitlist" if what == "waitlist" else "mean_wait_min"
    colours = {"weekday": PALETTE["blue"], "weekend": PALETTE["vermillion"]}
    for i, (label, q) in enumerate(queues.items()):
        for day_type in ("weekday", "weekend"):
            part = q[q["day_type"] == day_type]
            ax.plot(part["clock"], part[col], color=colours[day_type], ls="-" if i == 0 else "--",
                    lw=2 if i == 0 else 1.5,
                    label=t("haidilao.chart.day_legend", day=t(f"haidilao.cell.{day_type}"), label=label))
    _clock_labels(ax)
    ax.set_title(title or t(f"haidilao.chart.{what}_title"))
    ax.set_xlabel(t("haidilao.chart.time_of_day"))
    ax.set_ylabel(t(f"haidilao.chart.{what}_ylabel"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    return ax


# --------------------------------------------------------------------------
# What-if
# --------------------------------------------------------------------------

def whatif_store(perks=10.0, empowerment=6.0, tables=TABLES, new_parties=NEW_PARTIES) -> dict:
    """The what-if panel's result: one store's average day for the settings.

    Reuses the cached draws (common random numbers): nothing is drawn anew.

    >>> r = whatif_store(0.0, 0.0)
    >>> r["table turns per day"] < whatif_store(10.0, 6.0)["table turns per day"]
    True
    """
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    r = store_model(new_parties=new_parties, tables=tables, perks=perks, empowerment=empowerment)
    _LAST_QUEUE["queue"] = r["queue"]
    return {
        t("haidilao.whatif.arrivals"): round(r["arrivals"], 1),
        t("haidilao.whatif.turns"): round(r["turns"], 2),
        t("haidilao.whatif.walk"): round(100 * r["walk_share"], 1),
        t("haidilao.whatif.peak_list"): f"{r['peak_waitlist_weekday']:.0f} / {r['peak_waitlist_weekend']:.0f}",
        t("haidilao.whatif.peak_wait"): f"{r['peak_wait_min_weekday']:.0f} / {r['peak_wait_min_weekend']:.0f}",
        t("haidilao.whatif.mean_wait"): round(r["mean_wait_min"], 1),
        t("haidilao.whatif.revpash"): round(r["revpash"], 1),
        t("haidilao.whatif.service"): round(r["perks_cost"] + r["comps_cost"]),
        t("haidilao.whatif.profit"): round(r["profit"]),
        t("haidilao.whatif.satisfied"): round(100 * r["satisfied_share"], 1),
        t("haidilao.whatif.repeat"): round(100 * r["repeat_rate"], 1),
    }


_WHATIF_KINDS = {"arrivals": "dec1", "turns": "dec2", "walk": "dec1", "mean_wait": "dec1", "revpash": "dec1",
                 "service": "count", "profit": "count", "satisfied": "dec1", "repeat": "dec1"}
"""How the panel writes each result (:data:`casekit.formatting.KINDS`)."""

_LAST_QUEUE: dict = {}  # the queue table behind the panel's last result, for its chart


def _store_chart(result, *, ax, tables, **_):
    # Drawn from the last queue the panel computed (kept by whatif_store).
    q = _LAST_QUEUE.get("queue")
    if q is None:
        return
    plot_day_queues({t("haidilao.chart.these_settings"): q}, ax=ax, title=t("haidilao.chart.widget_title"))
    ax.set_ylim(0, max(1.3 * float(q["waitlist"].max()), 10.0))


def build_store_widget():
    """The what-if panel: perks, empowerment, tables and new diners per day
    → turns, walk-aways, waitlists, profit, repeat rate (and a chart of the
    waitlist through a weekday and a weekend day).

    >>> w = build_store_widget()
    >>> w.controls["perks"].value = 0.0
    >>> w.result["table turns per day"] > 0
    True
    """
    from . import widgets

    return widgets.what_if(
        whatif_store,
        {
            "perks": widgets.slider(t("haidilao.slider.perks"), 10.0, 0.0, 30.0, 1.0, fmt=".0f"),
            "empowerment": widgets.slider(t("haidilao.slider.empowerment"), 6.0, 0.0, 30.0, 1.0, fmt=".0f"),
            "tables": widgets.slider(t("haidilao.slider.tables"), TABLES, 60, 200, 5),
            "new_parties": widgets.slider(t("haidilao.slider.new_parties"), NEW_PARTIES, 80.0, 400.0, 5.0,
                                          fmt=".0f"),
        },
        chart=_store_chart,
        title=t("haidilao.slider.title"),
        kinds={t(f"haidilao.whatif.{key}"): kind for key, kind in _WHATIF_KINDS.items()},
    )


# --------------------------------------------------------------------------
# What readers see: tables, charts and messages in the notebook's language
# --------------------------------------------------------------------------
# Every label comes from the message catalogue (casekit/content/messages/haidilao.toml),
# looked up at call time, so the English and Chinese notebooks make the same calls.

def _yes_no(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return t("common.yes") if bool(x) else t("common.no")


_FORMATS = {
    "turnover_per_day": "dec1", "spend_per_guest_rmb": "dec1", "stores": "count", "source": "text",
    "diner_id": "int", "restaurant": "text", "visit_no": "int", "hour": "int", "party_size": "int",
    "wait_min": "dec1", "walked_away": _yes_no, "satisfaction": "dec1", "bill_rmb": "cny", "came_back": _yes_no,
    "parties_arrived": "dec1", "parties_served": "dec1", "turns": "dec2", "mean_wait_min": "dec1",
    "revpash_rmb": "dec1", "profit_rmb": "cny", "setting_value": "dec2",
    "slot_arrivals": "dec1", "slot_served": "dec1", "slot_walk_share": "share", "slot_wait": "dec1",
    "slot_waitlist": "dec1", "utilisation": "share",
    "model": "dec1", "low": "dec1", "high": "dec1", "within": _yes_no,
    "peak_waitlist_weekday": "dec1", "peak_waitlist_weekend": "dec1", "walk_share": "share", "parties_kept": "dec1",
    "perks": "dec1", "empowerment": "dec1", "arrivals": "dec1", "satisfied_share": "share", "repeat_rate": "share",
    "demand_multiplier": "dec2", "revpash": "dec1", "service_cost": "cny", "profit": "cny",
    "back_standard": "share", "back_haidilao": "share", "diners_standard": "count", "diners_haidilao": "count",
    "staff_gift": _yes_no, "problem_parties": "count", "mean_satisfaction": "dec2", "came_back_share": "share",
    "marginal_profit": "cny", "perk_cost": "cny", "value": "cny", "profit_with_returns": "cny",
    "cannibalisation": "share", "growth": "share", "new_parties": "dec1", "below_floor": _yes_no,
}
"""How :func:`table` formats each column it knows (see casekit.formatting)."""

_CELLS = {
    "standard": "standard", "perks_only": "perks_only", "empowerment_only": "empowerment_only",
    "haidilao": "haidilao", "weekday": "weekday", "weekend": "weekend",
    "customers": "customers", "satisfied": "satisfied", "loyal": "loyal", "referrers": "referrers",
    "2024 H1": "h1_2024",
    "prospectus 2018 [M]": "src_prospectus", "annual results 2019 [S]": "src_results_2019",
    "annual results 2020 [S]": "src_results_2020", "interim results 2024 [S]": "src_interim_2024",
    "fluid model, exponential": "fluid_exponential", "simulation, exponential": "sim_exponential",
    "simulation, realistic": "sim_realistic",
    "table turns per day": "cal_turns", "peak waitlist, weekday (parties)": "cal_wl_weekday",
    "peak waitlist, weekend (parties)": "cal_wl_weekend", "weekend ÷ weekday waitlist": "cal_wl_ratio",
    "peak wait, weekday (minutes)": "cal_wait_weekday", "peak wait, weekend (minutes)": "cal_wait_weekend",
    "guests per store-day": "cal_guests", "spend per guest (RMB)": "cal_spend",
    "prospectus 2018, results 2019 [M]/[S]": "src_turns",
    "China Daily 2015: about 100 people [M] ÷ 3.14 a party": "src_wl_weekday",
    "China Daily 2015: double at weekends [M] ÷ 3.14 a party": "src_wl_weekend",
    "China Daily 2015: doubling at weekends [M]": "src_wl_ratio", "lore: an hour or more [F]": "src_lore",
    "2017 revenue ÷ spend ÷ 320 stores [M]": "src_guests",
    "prospectus 2018, results 2019–2020 [M]/[S]": "src_spend",
}
"""Cell values readers see (style names, stages, sources) → their catalogue
key under ``haidilao.cell``; the data keep the English identifiers."""


def _cell(value):
    if isinstance(value, str) and value in _CELLS:
        return t(f"haidilao.cell.{_CELLS[value]}")
    return value


def table(df, *, columns=None):
    """A table of this case for readers, in the current language: the
    columns it knows are formatted (money, shares, yes/no) and labelled from
    the catalogue (``haidilao.col.<column>``), style names, stages and
    sources translated, the index labelled (``haidilao.index.<name>``).

    >>> table(compare_styles(["standard"]), columns=["turns"]).frame.columns.tolist()
    ['Table turns']
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"`df` must be a pandas DataFrame from casekit.haidilao, got {type(df).__name__}")
    frame = df.copy() if columns is None else df[list(_ck.check_sequence("columns", columns))].copy()
    unknown = [c for c in frame.columns if c not in _FORMATS]
    if unknown:
        raise ValueError(f"`df` has columns {unknown} that this case's table does not know; "
                         f"known: {sorted(_FORMATS)}")
    name = frame.index.name
    if not isinstance(frame.index, pd.RangeIndex):
        frame.index = pd.Index([_cell(v) for v in frame.index], name=name)
    for c in frame.columns:
        col = frame[c]
        if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
                or pd.api.types.is_datetime64_any_dtype(col)):
            frame[c] = [_cell(v) for v in frame[c].tolist()]
    index_label = t(f"haidilao.index.{name}") if name and i18n.has(f"haidilao.index.{name}") else None
    from . import formatting

    return formatting.table(frame, {c: _FORMATS[c] for c in frame.columns},
                            labels=i18n.labels("haidilao.col", frame.columns), index_label=index_label)


def turnover_table():
    """Haidilao's reported turnover, spend per guest and stores (:data:`TURNOVER_BY_YEAR`)."""
    return table(TURNOVER_BY_YEAR.set_index("year"))


def settings_table():
    """The model store's main settings, as a table for readers."""
    values = {"tables": TABLES, "dining_minutes": DINING_MINUTES, "reset_minutes": RESET_MINUTES,
              "open_hours": len(OPEN_HOURS), "mean_party": MEAN_PARTY, "spend": SPEND_PER_GUEST,
              "patience": PATIENCE_MINUTES, "max_cut": MAX_PERK_CUT, "new_parties": NEW_PARTIES}
    frame = pd.DataFrame({"setting_value": [float(v) for v in values.values()]},
                         index=pd.Index([t(f"haidilao.setting.{k}") for k in values], name="setting"))
    return table(frame)


def _clock(c) -> str:
    minutes = int(round(60 * float(c)))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def evening_table(queue, *, start=16.0, end=22.0, every=2):
    """The weekend dinner, slot by slot (every ``every``-th slot from
    ``start`` to ``end`` o'clock), from a :func:`queue_day` table."""
    _ck.check_frame("queue", queue, ["day_type", "clock", "arrivals", "served", "walk_share", "mean_wait_min",
                                     "waitlist", "utilisation"])
    check_number("start", start, low=OPEN_HOURS[0], high=OPEN_HOURS[-1] + 1)
    check_number("end", end, low=start, high=OPEN_HOURS[-1] + 1 + DRAIN_HOURS)
    check_number("every", every, low=1, high=_N_SLOTS, integer=True)
    weekend = queue[queue["day_type"] == "weekend"].set_index("clock")
    ev = weekend.loc[start:end:every, ["arrivals", "served", "walk_share", "mean_wait_min", "waitlist",
                                       "utilisation"]].copy()
    ev.columns = ["slot_arrivals", "slot_served", "slot_walk_share", "slot_wait", "slot_waitlist", "utilisation"]
    ev.index = pd.Index([_clock(c) for c in ev.index], name="slot_start")
    return table(ev)


def waitlist_peaks(queue) -> pd.DataFrame:
    """When the waitlist peaks on each day type, how long it is then and
    how long it still is at 21:00 (from a :func:`queue_day` table)."""
    _ck.check_frame("queue", queue, ["day_type", "clock", "waitlist"])
    rows = {}
    for day_type in ("weekday", "weekend"):
        part = queue[queue["day_type"] == day_type].set_index("clock")["waitlist"]
        rows[day_type] = {"peak_at": _clock(part.idxmax()), "peak": float(part.max()),
                          "at_21": float(part.loc[21.0])}
    return pd.DataFrame.from_dict(rows, orient="index")


def say_waitlist_peaks(queue) -> None:
    """Print :func:`waitlist_peaks`, one line per day type."""
    for day_type, row in waitlist_peaks(queue).iterrows():
        i18n.say("haidilao.msg.list_peaks", day=t(f"haidilao.cell.{day_type}"), time=row["peak_at"],
                 peak=row["peak"], at_21=row["at_21"])


def spend_per_guest(diners) -> float:
    """Spend per guest (RMB) in a diner log: bills ÷ guests of the parties served."""
    _ck.check_frame("diners", diners, ["walked_away", "bill_rmb", "party_size"])
    served = diners[~diners["walked_away"].astype(bool)]
    return float(served["bill_rmb"].sum() / served["party_size"].sum())


def return_by_score(diners) -> pd.DataFrame:
    """Share of served visits after which the diner came back, by
    satisfaction score (rows) and restaurant (``back_standard``,
    ``back_haidilao``)."""
    _ck.check_frame("diners", diners, ["walked_away", "satisfaction", "restaurant", "came_back"])
    served = diners[~diners["walked_away"].astype(bool)]
    out = served.groupby(["satisfaction", "restaurant"], observed=True)["came_back"].mean().unstack()
    out.columns = [f"back_{c}" for c in out.columns]
    out.index.name = "score"
    return out


def plot_return_by_score(back, *, ax=None):
    """Bars of :func:`return_by_score` (percent), one colour per restaurant."""
    from .plotting import PALETTE, get_axes

    _ck.check_frame("back", back, ["back_standard", "back_haidilao"])
    ax = get_axes(ax)
    x = np.arange(len(back))
    for i, (name, colour) in enumerate((("standard", PALETTE["orange"]), ("haidilao", PALETTE["blue"]))):
        ax.bar(x + (i - 0.5) * 0.4, 100 * back[f"back_{name}"].to_numpy(), 0.4, color=colour,
               label=t(f"haidilao.cell.{name}"))
    ax.set_xticks(x, [f"{s:.0f}" for s in back.index])
    ax.set_title(t("haidilao.chart.return_title"))
    ax.set_xlabel(t("haidilao.chart.return_xlabel"))
    ax.set_ylabel(t("haidilao.chart.return_ylabel"))
    ax.set_ylim(bottom=0)
    ax.legend(title=t("haidilao.col.restaurant"))
    return ax


def first_visit_funnel(diners, restaurant):
    """The chain satisfied → loyal → referring from the first visits of one
    restaurant in a diner log (:func:`casekit.metrics.loyalty_funnel`)."""
    from .metrics import loyalty_funnel

    _ck.check_frame("diners", diners, ["restaurant", "visit_no", "walked_away", "satisfaction", "came_back",
                                       "friends_referred"])
    check_choice("restaurant", restaurant, ("standard", "haidilao"))
    log = diners[diners["restaurant"] == restaurant]
    first = log[(log["visit_no"] == 1) & ~log["walked_away"].astype(bool)]
    if first.empty:
        raise ValueError(f"`diners` has no served first visit at the {restaurant} restaurant")
    satisfied = first["satisfaction"] >= 4
    loyal = first.loc[satisfied, "came_back"].mean()
    refer = (first.loc[satisfied & first["came_back"], "friends_referred"] > 0).mean()
    return loyalty_funnel(len(first), satisfied=satisfied.mean(), loyal_if_satisfied=loyal, refer_if_loyal=refer)


def funnel_table(funnels) -> pd.DataFrame:
    """Diners at each stage of :func:`first_visit_funnel`, one column per
    restaurant (``funnels``: restaurant → funnel)."""
    if not isinstance(funnels, dict) or not funnels:
        raise TypeError(f"`funnels` must be a dict restaurant -> funnel, got {type(funnels).__name__}")
    out = pd.DataFrame({f"diners_{name}": f["count"] for name, f in funnels.items()})
    out.index.name = "stage"
    return out


def plot_first_visit_funnel(funnel, *, ax=None):
    """The Haidilao-style store's funnel from first visit to referral."""
    from .plotting import plot_funnel

    _ck.check_frame("funnel", funnel, ["count"])
    counts = pd.Series(funnel["count"].to_numpy(), index=[_cell(s) for s in funnel.index])
    return plot_funnel(counts, ax=ax, title=t("haidilao.chart.funnel_title"),
                       xlabel=t("haidilao.chart.funnel_xlabel"), ylabel=t("haidilao.chart.funnel_ylabel"))


def problem_fixes(diners) -> pd.DataFrame:
    """Served parties with a service problem, by restaurant and whether
    staff gave something: how many, mean satisfaction, share who came back."""
    _ck.check_frame("diners", diners, ["walked_away", "problem", "restaurant", "staff_gift", "satisfaction",
                                       "came_back"])
    served = diners[~diners["walked_away"].astype(bool)]
    problems = served[served["problem"].astype(bool)]
    return (problems.groupby(["restaurant", "staff_gift"], observed=True)
            .agg(problem_parties=("came_back", "size"), mean_satisfaction=("satisfaction", "mean"),
                 came_back_share=("came_back", "mean")).reset_index())


def perks_on_the_day(budgets) -> pd.DataFrame:
    """For each perk budget (RMB per waiting party): parties kept, perk cost
    and value on the day (:func:`perk_value`), and the store's profit
    counting return visits (:func:`spend_curve`)."""
    curve = spend_curve(budgets, lever="perks")
    rows = {}
    for p in curve.index:
        v = perk_value(float(p))
        rows[float(p)] = {k: v[k] for k in ("parties_kept", "perk_cost", "value")}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["profit_with_returns"] = curve["profit"].to_numpy()
    out.index.name = "perks_level"
    return out


def _relabel_current(ax) -> None:
    # plotting.plot_what_if names its marker line in English; give it this language's name.
    for line in ax.get_lines():
        if line.get_label() == "current setting":
            line.set_label(t("haidilao.chart.current"))
    ax.legend(loc="best")


def plot_spend_curve(profit, best, *, lever="empowerment", ax=None):
    """Store profit (RMB per day) against a service budget, with the best
    budget marked: ``profit`` a Series indexed by budget."""
    from .plotting import plot_what_if

    check_choice("lever", lever, ("empowerment", "perks"))
    if not isinstance(profit, pd.Series):
        raise TypeError(f"`profit` must be a pandas Series indexed by budget, got {type(profit).__name__}")
    ax = plot_what_if(profit.index.to_numpy(dtype=float), {t(f"haidilao.chart.{lever}_line"): profit.to_numpy()},
                      ax=ax, current=best, title=t(f"haidilao.chart.{lever}_title"),
                      xlabel=t(f"haidilao.chart.{lever}_xlabel"), ylabel=t("haidilao.chart.profit_ylabel"),
                      zero_line=False)
    _relabel_current(ax)
    ax.set_ylim(bottom=0)
    return ax


def expansion_table(paths):
    """The :func:`expansion_path` tables for several cannibalisation rates
    (``paths``: rate → table) as one table for readers."""
    if not isinstance(paths, dict) or not paths:
        raise TypeError(f"`paths` must be a dict cannibalisation -> expansion_path table, got {type(paths).__name__}")
    frame = pd.concat(paths, names=["cannibalisation", "growth"]).reset_index()
    return table(frame, columns=["cannibalisation", "growth", "new_parties", "turns", "repeat_rate", "profit",
                                 "below_floor"])


def plot_expansion(paths, *, ax=None):
    """Table turns against store growth, one line per cannibalisation rate,
    with Haidilao's 2021 floor of 4 turns."""
    from .plotting import PALETTE, plot_what_if

    if not isinstance(paths, dict) or not paths:
        raise TypeError(f"`paths` must be a dict cannibalisation -> expansion_path table, got {type(paths).__name__}")
    first = next(iter(paths.values()))
    ax = plot_what_if(100 * first.index.to_numpy(dtype=float),
                      {t("haidilao.chart.cannibalisation_line", share=c): p["turns"].to_numpy()
                       for c, p in paths.items()},
                      ax=ax, title=t("haidilao.chart.expansion_title"), xlabel=t("haidilao.chart.expansion_xlabel"),
                      ylabel=t("haidilao.chart.expansion_ylabel"), zero_line=False)
    ax.axhline(EXPANSION_FLOOR, color=PALETTE["black"], ls=":", lw=1)
    ax.annotate(t("haidilao.chart.floor_note", floor=EXPANSION_FLOOR), xy=(5, EXPANSION_FLOOR + 0.1), fontsize=9)
    ax.set_ylim(bottom=0)
    return ax


def gain_labels() -> dict:
    """Reader's names of the assumptions in :data:`GAIN_ASSUMPTIONS`."""
    return i18n.labels("haidilao.assumption", GAIN_ASSUMPTIONS)


def gain_table(tornado_table):
    """A tornado table of :func:`style_gain` for readers."""
    from . import formatting, sensitivity

    cols = ["label", "low", "base", "high", "figure_low", "figure_high", "swing"]
    _ck.check_frame("tornado_table", tornado_table, cols)
    formats = {"label": "text", "low": "dec2", "base": "dec2", "high": "dec2", "figure_low": "cny",
               "figure_high": "cny", "swing": "cny"}
    return formatting.table(tornado_table.reset_index(drop=True), formats,
                            labels=sensitivity.column_labels(cols), columns=cols)


def plot_gain_tornado(tornado_table, *, ax=None):
    """The tornado chart of the full style's profit gain (RMB per day)."""
    from . import sensitivity

    sensitivity.check_table("tornado_table", tornado_table)
    ax = sensitivity.plot_tornado(tornado_table, ax=ax, title=t("haidilao.chart.tornado_title"),
                                  xlabel=t("haidilao.chart.tornado_xlabel"))
    ax.set_xlim(left=0)
    return ax


def flip_labels(tornado_table, value=0.0) -> str:
    """The assumptions whose range can move the figure across ``value``,
    as one line of text (or "none")."""
    from . import sensitivity

    sensitivity.check_table("tornado_table", tornado_table)
    check_number("value", value)
    names = sensitivity.crosses(tornado_table, value)
    return t("haidilao.msg.list_sep").join(tornado_table.loc[names, "label"]) or t("haidilao.msg.none")


# --------------------------------------------------------------------------
# Datasets: a diner log and a store's daily log
# --------------------------------------------------------------------------

YEAR_START = pd.Timestamp("2025-01-01")
"""First day of the simulated year."""
MAX_VISITS = 12
"""Most visits one diner makes in the simulated year."""

DINER_SCHEMA = {
    "diner_id": ("int", "diner (party leader) number; the same diner in both restaurants"),
    "restaurant": ("ordered:standard,haidilao", "service style: standard, or haidilao (perks and empowered staff)"),
    "visit_no": ("int", "1 for the diner's first visit in the year, 2 for the second, ... (count)"),
    "date": ("datetime", "day of the visit (date)"),
    "day_type": ("ordered:weekday,weekend", "weekday (Mon–Fri) or weekend (Sat–Sun)"),
    "hour": ("int", "hour the party arrived, 10–23 (hour of day)"),
    "party_size": ("int", "guests in the party (people)"),
    "wait_min": ("float",
                 "wait for a table the party faced on arrival (minutes; for a walk-away, the wait it would have had)"),
    "walked_away": ("bool", "left the queue without eating (True/False)"),
    "problem": ("bool", "had a service problem during the meal (True/False; False if walked away)"),
    "staff_gift": ("bool", "staff gave a free dish or discount, to fix a problem or as a surprise (True/False)"),
    "satisfaction": ("float", "satisfaction score 1–5 (score; blank if walked away)"),
    "bill_rmb": ("float", "amount paid before any gift (RMB; 0 if walked away)"),
    "gift_rmb": ("float", "cost of the staff gift (RMB; 0 if none)"),
    "friends_referred": ("int", "friends who came to eat because this diner told them (people)"),
    "came_back": ("bool", "the diner visited again within the year (True/False)"),
}

DAY_SCHEMA = {
    "date": ("datetime", "day (date)"),
    "restaurant": ("ordered:standard,haidilao", "service style"),
    "day_type": ("ordered:weekday,weekend", "weekday or weekend"),
    "parties_arrived": ("int", "parties that came to the door (parties)"),
    "parties_served": ("int", "parties seated and served (parties)"),
    "walked_away": ("int", "parties that left the queue (parties)"),
    "turns": ("float", "parties served per table (table turns per day)"),
    "mean_wait_min": ("float", "mean wait of the parties served (minutes)"),
    "peak_waitlist": ("float", "most parties waiting at one time, usually at the dinner peak (parties)"),
    "peak_wait_min": ("float", "longest expected wait quoted to an arriving party (minutes)"),
    "revenue_rmb": ("float", "sales (RMB)"),
    "revpash_rmb": ("float", "revenue per available seat-hour (RMB per seat-hour)"),
    "service_cost_rmb": ("float", "perks for waiting parties plus staff gifts (RMB)"),
    "profit_rmb": ("float", "revenue less food cost, service cost and fixed cost (RMB)"),
}


def make_haidilao_diners(n=2000, *, restaurant="haidilao", new_parties=NEW_PARTIES, tables=TABLES,
                         seed=None) -> pd.DataFrame:
    """Simulate ``n`` diners' visits to one restaurant over a year.

    Parameters
    ----------
    n : int >= 1
        Diners, each making a first visit on a random day of the year.
    restaurant : "standard" or "haidilao"
        Service style (:data:`STYLES`).
    new_parties, tables : as in :func:`store_model`; they set the queue.
    seed : None, int or numpy Generator
        The same seed gives the same diners, dates and draws for both
        restaurants (common random numbers): only the service differs.

    Returns
    -------
    DataFrame with the columns of :data:`DINER_SCHEMA`, one row per visit,
    sorted by date, diner.

    Notes
    -----
    Each visit: a day type and hour as the arrival profile says, then the
    queue of :func:`store_model` for the style (wait, walk-away), a problem,
    a staff gift, a satisfaction score and a return (:func:`visit_outcomes`).
    A diner who comes back does so after an exponential gap (mean 45 days);
    visits after the year's end are not in the log. Delighted diners (score
    5) bring Poisson(4.5 × 8%) friends.

    Examples
    --------
    >>> log = make_haidilao_diners(50, seed=1)
    >>> list(log.columns) == list(DINER_SCHEMA)
    True
    """
    _ck.check_at_most("n", n, MAX_N)
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    n = check_number("n", n, low=1, integer=True)
    check_choice("restaurant", restaurant, ("standard", "haidilao"))
    rng = check_seed("seed", seed)
    style = STYLES[restaurant]
    q = store_model(new_parties=new_parties, tables=tables, **style)["queue"]
    shape = (MAX_VISITS, n)
    first = rng.integers(0, 365, n)
    gaps = np.maximum(1, np.ceil(rng.exponential(GAP_DAYS, shape))).astype(int)
    hour_u, wait_u, wait_e, walk_u, prob_u, comp_u, ret_u, party_u, spend_z = (
        rng.random(shape), rng.random(shape), rng.standard_exponential(shape), rng.random(shape),
        rng.random(shape), rng.random(shape), rng.random(shape), rng.random(shape), rng.standard_normal(shape))
    score_z = rng.standard_normal(shape)
    friends_draw = rng.poisson(TELL_DELIGHTED * CONVERT_POSITIVE, shape)

    day = first.copy()
    active = np.ones(n, dtype=bool)
    prof = _profiles()[:, :_N_ARRIVAL_SLOTS]
    wd_edges, we_edges = np.cumsum(prof[0]), np.cumsum(prof[1])
    clock = _SLOTS["clock"].to_numpy()
    parts = []
    for v in range(MAX_VISITS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        dates = YEAR_START + pd.to_timedelta(day[idx], unit="D")
        weekend = np.asarray(dates.day_of_week >= 5)
        h_wd = np.minimum(np.searchsorted(wd_edges / wd_edges[-1], hour_u[v, idx], side="right"),
                          _N_ARRIVAL_SLOTS - 1)
        h_we = np.minimum(np.searchsorted(we_edges / we_edges[-1], hour_u[v, idx], side="right"),
                          _N_ARRIVAL_SLOTS - 1)
        slot = np.where(weekend, _N_SLOTS + h_we, h_wd)
        out = visit_outcomes(q, slot, wait_u[v, idx], wait_e[v, idx], walk_u[v, idx], prob_u[v, idx],
                             comp_u[v, idx], score_z[v, idx], **style)
        walked = out["walked"]
        party = _party_size(party_u[v, idx])
        bill = np.where(walked, 0.0,
                        np.round(party * SPEND_PER_GUEST * np.exp(0.25 * spend_z[v, idx] - 0.25**2 / 2), 1))
        gift = out["fixed"] | out["surprised"]
        next_day = day[idx] + gaps[v, idx]
        back = (ret_u[v, idx] < out["return_p"]) & (next_day < 365) & (v + 1 < MAX_VISITS)
        parts.append(pd.DataFrame({
            "diner_id": idx + 1,
            "restaurant": restaurant,
            "visit_no": v + 1,
            "date": dates,
            "day_type": np.where(weekend, "weekend", "weekday"),
            "hour": np.floor(clock[slot]).astype("int64"),
            "party_size": party,
            "wait_min": np.round(out["wait_min"], 1),
            "walked_away": walked,
            "problem": out["problem"],
            "staff_gift": gift,
            "satisfaction": out["score"],
            "bill_rmb": bill,
            "gift_rmb": np.where(gift, COMP_COST, 0.0),
            "friends_referred": np.where(out["score"] == 5, friends_draw[v, idx], 0),
            "came_back": back,
        }))
        active[:] = False
        active[idx[back]] = True
        day[idx[back]] = next_day[back]
    log = pd.concat(parts, ignore_index=True)
    log = log.sort_values(["date", "diner_id"], kind="stable").reset_index(drop=True)
    log["restaurant"] = pd.Categorical(log["restaurant"], categories=["standard", "haidilao"], ordered=True)
    log["day_type"] = pd.Categorical(log["day_type"], categories=["weekday", "weekend"], ordered=True)
    for col in ("diner_id", "visit_no", "hour", "party_size", "friends_referred"):
        log[col] = log[col].astype("int64")
    return log[list(DINER_SCHEMA)]


def make_haidilao_days(n_days=364, *, restaurant="haidilao", new_parties=NEW_PARTIES, tables=TABLES,
                       seed=None) -> pd.DataFrame:
    """Simulate a store's daily figures for ``n_days`` days.

    Each day's demand is the balanced demand of :func:`store_model` for the
    style, times a day-to-day shock (lognormal, 10% spread: weather,
    holidays), with Poisson arrivals; the day's queue is solved slot by slot
    with the backlog carried over (:func:`queue_day`), all days at once.

    Returns
    -------
    DataFrame with the columns of :data:`DAY_SCHEMA`, one row per day.

    Examples
    --------
    >>> days = make_haidilao_days(7, seed=1)
    >>> bool(days["turns"].between(2, 7).all())
    True
    """
    _ck.check_positive("new_parties", new_parties)
    _ck.check_at_most("new_parties", new_parties, MAX_NEW_PARTIES)
    _ck.check_number("tables", tables, low=1, integer=True)
    _ck.check_at_most("tables", tables, MAX_TABLES)
    n_days = check_number("n_days", n_days, low=1, high=3650, integer=True)
    check_choice("restaurant", restaurant, ("standard", "haidilao"))
    rng = check_seed("seed", seed)
    style = STYLES[restaurant]
    base = store_model(new_parties=new_parties, tables=tables, **style)
    shock = np.exp(0.10 * rng.standard_normal(n_days) - 0.10**2 / 2)
    dates = YEAR_START + pd.to_timedelta(np.arange(n_days), unit="D")
    weekend = np.asarray(dates.day_of_week >= 5)
    weekday_mean = base["arrivals"] * 7.0 / (5.0 + 2.0 * WEEKEND_FACTOR)
    expected = weekday_mean * np.where(weekend, WEEKEND_FACTOR, 1.0) * shock
    arrived = rng.poisson(expected)
    # Solve every day's queue at once: one row per day, one column per 15-minute slot.
    profile = np.where(weekend[:, None], _profiles()[1][None, :], _profiles()[0][None, :])
    rates = arrived[:, None] * profile * _SLOTS_PER_HOUR
    f = fluid_queue(rates, 60.0 / (DINING_MINUTES + RESET_MINUTES), tables, slot=1.0 / _SLOTS_PER_HOUR,
                    walk_rate=_walk_rate(style["perks"]))
    joined = f["joined"].sum(axis=1)
    waiting = f["waiting"].sum(axis=1)
    wait_sum = (f["joined"] * 60.0 * f["wait"]).sum(axis=1)
    served = np.rint(joined).astype("int64")
    revenue = served * MEAN_PARTY * SPEND_PER_GUEST
    service = style["perks"] * waiting + style["empowerment"] * served
    profit = revenue * (1 - FOOD_COST_SHARE) - service - FIXED_COST_PER_TABLE_DAY * tables
    return pd.DataFrame({
        "date": dates,
        "restaurant": pd.Categorical([restaurant] * n_days, categories=["standard", "haidilao"], ordered=True),
        "day_type": pd.Categorical(np.where(weekend, "weekend", "weekday"), categories=["weekday", "weekend"],
                                   ordered=True),
        "parties_arrived": arrived.astype("int64"),
        "parties_served": served,
        "walked_away": (arrived - served).astype("int64"),
        "turns": np.round(served / tables, 3),
        "mean_wait_min": np.round(np.where(served > 0, wait_sum / np.maximum(joined, 1e-9), 0.0), 2),
        "peak_waitlist": np.round(f["queue"].max(axis=1), 1),
        "peak_wait_min": np.round(60.0 * f["wait"].max(axis=1), 1),
        "revenue_rmb": np.round(revenue, 2),
        "revpash_rmb": np.round(revenue / (tables * SEATS_PER_TABLE * len(OPEN_HOURS)), 2),
        "service_cost_rmb": np.round(service, 2),
        "profit_rmb": np.round(profit, 2),
    })


HAIDILAO_SEED = 1994
"""Seed of the shipped datasets (Haidilao was founded in 1994)."""


def _diners_both() -> pd.DataFrame:
    parts = [make_haidilao_diners(2000, restaurant=r, seed=HAIDILAO_SEED) for r in ("standard", "haidilao")]
    return pd.concat(parts, ignore_index=True)


def _days_both() -> pd.DataFrame:
    parts = [make_haidilao_days(364, restaurant=r, seed=HAIDILAO_SEED + 1) for r in ("standard", "haidilao")]
    return pd.concat(parts, ignore_index=True)


DATASETS = (
    Dataset(
        name="haidilao_diners",
        title="Haidilao case: diner log (simulated)",
        title_zh="海底捞案例：顾客就餐记录（模拟数据）",
        description=(
            "The visits of the same 2,000 diners to two simulated hot-pot restaurants during 2025: one with "
            "standard service, one Haidilao-style (perks for waiting parties, staff free to give a dish or a "
            "discount). Made by `casekit.haidilao.make_haidilao_diners(2000, restaurant=..., "
            f"seed={HAIDILAO_SEED})` for each restaurant; the same seed gives both restaurants the same diners "
            "and random draws, so differences come from the service alone. Queue, satisfaction, return and "
            "referral rules and their sources are in `casekit/haidilao.py`; spend per guest is about RMB 100 "
            "(Haidilao reported 94.6–110.1 in 2017–2020)."
        ),
        build=_diners_both,
        columns=DINER_SCHEMA,
    ),
    Dataset(
        name="haidilao_days",
        title="Haidilao case: a store's daily figures (simulated)",
        title_zh="海底捞案例：一家门店的每日数字（模拟数据）",
        description=(
            f"364 days of one simulated {TABLES}-table store in each service style, made by "
            f"`casekit.haidilao.make_haidilao_days(364, restaurant=..., seed={HAIDILAO_SEED + 1})`. Demand is "
            "each style's balanced demand (new diners times their returns and referrals) with a 10% day-to-day "
            "shock; each day is a queue solved in 15-minute slots, with the waitlist carried over from slot to "
            "slot and walk-aways that depend on the quoted wait. Haidilao reported 4.0–5.0 table turns a day "
            "in 2015–2019 and 3.5 in 2020."
        ),
        build=_days_both,
        columns=DAY_SCHEMA,
    ),
)
