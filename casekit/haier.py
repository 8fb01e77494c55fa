"""Haier (海尔): a wave of service (服务浪潮), read from a service-records database.

A seeded simulator writes fifteen years of a home-appliance maker's service
records: customers, the appliances they bought, and every service ticket
(requested, dispatched, arrived, fixed, revisits, follow-up call,
satisfaction, complaint category fed back to R&D). Each of Haier's service
upgrades from 1994 to 2003 changes a lever of the simulation: response time,
first-time fix rate, follow-up coverage, feedback to design, installation
faults or courtesy. The records are stored as an SQLite database
(``data/haier_service.sqlite``, built with the standard library) and as CSV
files, so students can query them with SQL and pandas.

Two models sit on top:

* **closed loop** (闭环反馈): complaint categories fed back to design lower the
  failure rate of the matching category in later model years;
* **service network** (服务网络): outlets → response time → share of problems
  fixed quickly → loyalty (a mix of TARP's repurchase rates) → retention →
  customer lifetime value (顾客终身价值), with visits = U·φ/FTFR.

Where the figures come from (the references in ``casekit/content/haier.toml``):
the upgrade years and names, the network counts (about 5,000 outlets) and
全程管家365 appear only in the course source text and are **not verified** (grade: source text).
First-time-fix benchmarks (Aberdeen: best in class 88%, average 80%,
laggards 63%) and TARP's repurchase rates are published figures (grade: evidence); the
link from satisfaction to repurchase follows Jones & Sasser (1995). Every
other number (response hours, failure rates, costs) is a teaching
assumption, named in :data:`ASSUMPTIONS` with a plausible range.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import formatting, i18n, metrics, sensitivity, sqlkit
from ._checks import check_choice, check_frame, check_number, check_probability, check_seed
from .datasets import DATA_DIR, Dataset

__all__ = [
    "PRODUCTS", "CATEGORIES", "DESIGN_CATEGORIES", "AREAS", "OUTCOMES", "UPGRADES",
    "CUSTOMER_SCHEMA", "APPLIANCE_SCHEMA", "TICKET_SCHEMA", "UPGRADE_SCHEMA",
    "HAIER_SEED", "DB_PATH",
    "ServiceRecords", "upgrade_table", "service_levels", "failure_rates",
    "make_haier_records", "default_records", "ticket_outcomes", "yearly_kpis",
    "satisfaction_lift", "repurchase_probability", "network_gain", "ASSUMPTIONS", "NETWORK_ASSUMPTIONS",
    "NETWORK_LABELS", "network_labels", "courtesy_value", "reader_table", "show_upgrades", "upgrade_name",
    "lever_label", "join_names", "satisfaction_by_year", "sensitivity_table",
    "service_value", "upgrade_effects", "repurchase_by_outcome", "failures_by_model_year",
    "build_database", "query",
    "network_model", "whatif_network", "build_network_widget", "network_curve",
    "service_vs_product", "plot_yearly", "plot_closed_loop", "plot_network",
    "DATASETS",
]

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

PRODUCTS = ("fridge", "air_conditioner", "washer")
"""Appliances sold: 冰箱 fridge, 空调 air conditioner, 洗衣机 washing machine."""

CATEGORIES = ("cooling", "noise", "leak", "electrical", "installation", "usage")
"""Complaint categories (投诉类别) recorded on each ticket."""

DESIGN_CATEGORIES = ("cooling", "noise", "leak", "electrical")
"""Categories caused by product design: feedback to R&D can lower them.
``installation`` is lowered by service upgrades; ``usage`` (the user needs
help to use the appliance) is changed by neither and serves as a control."""

AREAS = ("city", "county")
"""Where the customer lives: a city (城市) or a county town or village (县乡)."""

OUTCOMES = ("unresolved", "resolved", "resolved_quickly")
"""Ticket outcome as TARP classes it: never fixed; fixed but slowly; fixed
within :data:`QUICK_HOURS` of the request."""

# --------------------------------------------------------------------------
# Parameters, with where each comes from
# --------------------------------------------------------------------------

MAX_N = 1_000_000
"""Most customers one simulation makes (the course uses 10,000)."""
MAX_OUTLETS = 1_000_000.0
"""Most service outlets the network model takes (Haier had about 5,000)."""

HAIER_SEED = 1994
N_CUSTOMERS = 10_000  # customers in the shipped database
"""Seed of the shipped database (the year of the first upgrade)."""

FIRST_YEAR = 1992            # two years of records before the first upgrade
LAST_SALE_YEAR = 2002        # first purchases 1992–2002
END_DATE = pd.Timestamp("2007-12-31 23:59")  # records end; every repurchase window closes by then
SERVICE_WINDOW_YEARS = 3     # tickets are recorded in an appliance's first 3 years (assumption)
REPURCHASE_AFTER_YEARS = (3, 5)  # a repeat purchase falls 3–5 years after the first (assumption)
SALES_GROWTH = 1.20          # first purchases grow 20% a year (assumption; Haier grew fast in the 1990s)
PRODUCT_MIX = (0.40, 0.30, 0.30)  # fridge, air conditioner, washer (assumption)
PRICE_YUAN = {"fridge": 2600.0, "air_conditioner": 3400.0, "washer": 1900.0}  # typical 1990s prices (assumption)
CITY_SHARE = 0.65            # customers in cities (assumption)
COUNTY_RESPONSE_FACTOR = 1.6  # response takes 1.6× as long outside cities (assumption)

BASE_RESPONSE_HOURS = 96.0   # mean hours from request to arrival in a city before 1994 (assumption)
BASE_FTFR = 0.63             # first-time fix rate before the upgrades = Aberdeen "laggard" 63% (evidence)
BASE_FOLLOW_UP = 0.10        # share of tickets with a follow-up call (回访) before 1998 (assumption)
BASE_FEEDBACK = 0.05         # share of tickets whose cause is fed back to R&D before 1998 (assumption)
RESPONSE_SHAPE = 2.5         # gamma shape of response times (assumption: right-skewed, mode > 0)
QUICK_HOURS = 48.0           # "resolved quickly" = fixed within 48 h of the request (course definition)
UNRESOLVED_SHARE = 0.30      # of tickets not fixed on the first visit, share never fixed (assumption)
RECOVERY_RATE = 0.60         # a follow-up call finds and fixes an unresolved ticket this often (assumption)
LEARNING_RATE = 0.35         # closed loop: design failures fall by exp(-0.35) per year of full feedback (assumption)
NO_PROBLEM_REPURCHASE = 0.80  # repurchase after a trouble-free appliance (assumption, below TARP's 82%
                              # for a problem solved quickly: TARP's "recovery paradox")
REPURCHASE_BY_OUTCOME = {     # TARP 1986, problems costing over USD 100 (an appliance; evidence)
    "unresolved": float(metrics.TARP_LOYALTY.loc["complained_unresolved", "large_loss"]),
    "resolved": float(metrics.TARP_LOYALTY.loc["resolved", "large_loss"]),
    "resolved_quickly": float(metrics.TARP_LOYALTY.loc["resolved_quickly", "large_loss"]),
}
SATISFACTION_BY_OUTCOME = {"unresolved": 1.7, "resolved": 3.3, "resolved_quickly": 4.3}  # 1–5 (assumption)
SATISFACTION_SD = 0.7        # spread of one customer's score around the mean of the outcome (assumption)
SATISFACTION_ODDS = 2.0      # each point of satisfaction above what the fix outcome predicts multiplies
                             # the odds of buying again by this (assumption; range 1–6, see ASSUMPTIONS)

# Service network → loyalty → CLV (what-if model)
PROBLEM_RATE = 0.25          # φ: service problems per customer-year (assumption, near the simulator's early rate)
INSTALLED_BASE = 10_000_000  # U: customers served by the network (assumption)
REF_OUTLETS = 5000           # the source's "about 5,000 authorised outlets" [F, unverified]
DISPATCH_HOURS = 6.0         # hotline to dispatch (assumption)
TRAVEL_HOURS_AT_REF = 14.0   # travel and waiting at 5,000 outlets (assumption; scales with 1/√outlets)
MARGIN_YUAN = 400.0          # margin per customer-year before service costs (assumption)
COST_PER_VISIT = 80.0        # yuan per technician visit (assumption)
COST_PER_CALL = 5.0          # yuan per follow-up call (assumption)
OUTLET_COST = 30_000.0       # yuan per outlet per year (assumption)
DISCOUNT = 0.10              # yearly discount rate for CLV
_N_DRAWS = 20_000

_A = sensitivity.Assumption
ASSUMPTIONS = {
    # Simulator of the service records
    "base_response_hours": _A(BASE_RESPONSE_HOURS, 48.0, 144.0, "hours",
                              "Mean wait for a repair visit in a city before the upgrades: two to six days; "
                              "no published figure for 1990s China."),
    "county_response_factor": _A(COUNTY_RESPONSE_FACTOR, 1.2, 2.5, "times",
                                 "Longer distances outside cities; a guess, not measured."),
    "base_follow_up": _A(BASE_FOLLOW_UP, 0.0, 0.25, "share of tickets",
                         "Follow-up calls before they became routine in 1998."),
    "base_feedback": _A(BASE_FEEDBACK, 0.0, 0.15, "share of tickets",
                        "Complaint causes reported to design before 1998."),
    "learning_rate": _A(LEARNING_RATE, 0.10, 0.70, "per year of full feedback",
                        "How fast design faults fall when every complaint reaches R&D."),
    "sales_growth": _A(SALES_GROWTH, 1.05, 1.40, "times a year", "Haier grew fast in the 1990s."),
    "city_share": _A(CITY_SHARE, 0.40, 0.80, "share of customers", "Haier sold mostly in cities at first."),
    "satisfaction_sd": _A(SATISFACTION_SD, 0.5, 1.0, "points (1–5 scale)",
                          "Spread of scores among customers with the same fix outcome."),
    # Service network → loyalty → lifetime value (also used by the simulator where named the same)
    "satisfaction_odds": _A(SATISFACTION_ODDS, 1.0, 6.0, "odds ratio per point",
                            "1 = satisfaction does not move repurchase; 6 = Jones & Sasser's (1995) "
                            "'totally satisfied' customers, six times as likely to buy again."),
    "no_problem_repurchase": _A(NO_PROBLEM_REPURCHASE, 0.70, 0.85, "share",
                                "Repurchase after a trouble-free appliance; kept near TARP's 82% for a quick fix."),
    "unresolved_share": _A(UNRESOLVED_SHARE, 0.15, 0.50, "share",
                           "Of problems not fixed on the first visit, the share never fixed."),
    "recovery_rate": _A(RECOVERY_RATE, 0.30, 0.80, "share", "How often a follow-up call rescues a problem left unfixed."),
    "problem_rate": _A(PROBLEM_RATE, 0.10, 0.40, "problems per customer-year",
                       "Near the simulator's early failure rate."),
    "installed_base": _A(INSTALLED_BASE, 5e6, 2e7, "customers", "Customers the network serves."),
    "dispatch_hours": _A(DISPATCH_HOURS, 2.0, 12.0, "hours", "Hotline call to a technician being sent."),
    "travel_hours": _A(TRAVEL_HOURS_AT_REF, 8.0, 24.0, "hours at 5,000 outlets",
                       "Travel and waiting for the technician."),
    "margin": _A(MARGIN_YUAN, 250.0, 600.0, "yuan per customer-year",
                 "Margin before service costs; about a sixth of a 1990s appliance price per year of ownership."),
    "cost_per_visit": _A(COST_PER_VISIT, 40.0, 150.0, "yuan", "Technician time and travel for one visit."),
    "cost_per_call": _A(COST_PER_CALL, 2.0, 10.0, "yuan", "One follow-up telephone call."),
    "outlet_cost": _A(OUTLET_COST, 15_000.0, 60_000.0, "yuan per outlet-year", "Rent, staff and tools of one outlet."),
    "discount": _A(DISCOUNT, 0.06, 0.15, "per year", "Yearly discount rate for lifetime value."),
}
"""Every assumed parameter (not calibrated to a source figure), with its
value, a plausible low–high range and why. :func:`network_gain` takes the
network-model ones by name (:data:`NETWORK_ASSUMPTIONS`)."""

NETWORK_ASSUMPTIONS = ("satisfaction_odds", "no_problem_repurchase", "unresolved_share", "recovery_rate",
                       "problem_rate", "installed_base", "dispatch_hours", "travel_hours", "margin",
                       "cost_per_visit", "cost_per_call", "outlet_cost", "discount")
"""The assumptions that :func:`network_gain` depends on (keywords of :func:`network_model`)."""

# Failures per appliance-year for model year 1992 (assumption; rows = PRODUCTS, columns = CATEGORIES).
BASE_FAILURE_RATES = np.array([
    # cooling noise  leak  electrical installation usage
    [0.10, 0.06, 0.01, 0.05, 0.02, 0.04],   # fridge
    [0.08, 0.05, 0.04, 0.05, 0.12, 0.04],   # air conditioner
    [0.00, 0.05, 0.07, 0.05, 0.03, 0.05],   # washer
])

UPGRADES = (
    # year, key, English name, 中文, lever changed in the simulation, effects
    (1994, "no_move", "No-move service", "无搬动服务", "installation faults",
     "Haier delivers the appliance to the buyer's home and installs it; the buyer carries nothing.",
     {"install_all": ("times", 0.75), "satisfaction": ("plus", 0.10)}),
    (1995, "three_free", "'Three free' service", "三免服务", "satisfaction",
     "Three parts of service made free of charge (the source names it without detail).",
     {"satisfaction": ("plus", 0.15)}),
    (1996, "design_then_install", "Design first, then install", "先设计后安装", "installation faults",
     "A visit to plan where and how the appliance goes before it is installed.",
     {"install_all": ("times", 0.60)}),
    (1997, "five_ones", "'Five ones' service", "五个一服务", "satisfaction",
     "A fixed set of courtesies at every visit (the source names it without detail).",
     {"satisfaction": ("plus", 0.20)}),
    (1998, "star_one_stop", "Star-level one-stop service", "星级服务一条龙", "follow-up and feedback",
     "Six stages from development to follow-up made standard: follow-up calls and feedback to R&D become routine.",
     {"follow_up": ("set", 0.60), "feedback": ("set", 0.50), "ftfr": ("set", 0.72)}),
    (1999, "iso9000_network", "Service network certified to ISO 9000", "服务网络通过ISO 9000认证", "fix rate",
     "Certified procedures and training across the service network.",
     {"ftfr": ("set", 0.80), "response": ("times", 0.85)}),
    (2000, "star_in_neighbourhoods", "Star service in neighbourhoods", "星级服务进社区", "response time",
     "Service points move into residential neighbourhoods, close to users.",
     {"response": ("times", 0.60)}),
    (2001, "dust_free_ac", "Dust-free air-conditioner installation", "空调无尘安装", "installation faults",
     "Air conditioners installed without dust or mess.",
     {"install_ac": ("times", 0.50), "satisfaction": ("plus", 0.05)}),
    (2003, "housekeeper_365", "Full-process housekeeper 365", "全程管家365", "all levers",
     "Housekeepers on call every day of the year, from design before sale to follow-up and feedback.",
     {"response": ("times", 0.75), "ftfr": ("set", 0.88), "follow_up": ("set", 0.90), "feedback": ("set", 0.85)}),
)
"""Haier's service upgrades as given in the course source text (years and
names not verified) and the effect each has in the simulation
(assumptions chosen to illustrate, not measured)."""

# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------

CUSTOMER_SCHEMA = {
    "customer_id": ("int", "customer number"),
    "area": ("category", "where the customer lives: city or county (town or village)"),
    "first_purchase": ("datetime", "day of the customer's first Haier purchase (date)"),
}

APPLIANCE_SCHEMA = {
    "appliance_id": ("int", "appliance number"),
    "customer_id": ("int", "buyer, as in customers"),
    "product": ("category", "fridge, air_conditioner or washer"),
    "purchase_no": ("int", "1 = the customer's first Haier appliance, 2 = a repeat purchase (count)"),
    "sold_on": ("datetime", "day of sale and installation (date)"),
    "model_year": ("int", "model year = year of sale (year)"),
    "price_yuan": ("float", "price paid (yuan)"),
}

TICKET_SCHEMA = {
    "ticket_id": ("int", "service ticket number, in order of request"),
    "appliance_id": ("int", "appliance serviced, as in appliances"),
    "customer_id": ("int", "customer, as in customers"),
    "category": ("category", "complaint category: cooling, noise, leak, electrical, installation, usage"),
    "requested_at": ("datetime", "when the customer called the hotline (date and time)"),
    "dispatched_at": ("datetime", "when a technician was sent (date and time)"),
    "arrived_at": ("datetime", "when the technician arrived (date and time)"),
    "fixed_at": ("datetime", "when the problem was fixed (date and time); empty if it never was"),
    "revisits": ("int", "visits after the first one (count)"),
    "follow_up_call": ("bool", "the customer got a follow-up call after the visit (True/False)"),
    "satisfaction": ("float", "satisfaction given in the follow-up call, 1 = very dissatisfied … 5 = very "
                              "satisfied (score); empty without a follow-up call"),
    "fed_back_to_rnd": ("bool", "the complaint's cause was reported to product design, R&D (True/False)"),
}

UPGRADE_SCHEMA = {
    "year": ("int", "year the upgrade started (year)"),
    "upgrade": ("str", "name of the upgrade"),
    "upgrade_zh": ("str", "name in Chinese"),
    "lever": ("str", "what it changes in the simulation"),
    "description": ("str", "what the upgrade did, in brief"),
}

_SQL_TYPES = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER", "str": "TEXT",
              "datetime": "TEXT", "category": "TEXT"}
_DB_TABLES = (("customers", CUSTOMER_SCHEMA), ("appliances", APPLIANCE_SCHEMA),
              ("tickets", TICKET_SCHEMA), ("upgrades", UPGRADE_SCHEMA))
_INDEXES = (("appliances", "customer_id"), ("tickets", "appliance_id"), ("tickets", "customer_id"))

DB_PATH = DATA_DIR / "haier_service.sqlite"
"""The shipped database, rebuilt by :func:`build_database`."""


# --------------------------------------------------------------------------
# Service levels by year, failure rates by model year
# --------------------------------------------------------------------------

def upgrade_table() -> pd.DataFrame:
    """The service upgrades as a table (columns of :data:`UPGRADE_SCHEMA`).

    >>> upgrade_table()["year"].tolist()[:3]
    [1994, 1995, 1996]
    """
    return pd.DataFrame(
        [{"year": y, "upgrade": en, "upgrade_zh": zh, "lever": lever, "description": d}
         for y, _, en, zh, lever, d, _ in UPGRADES],
        columns=list(UPGRADE_SCHEMA),
    ).astype({"year": "int64"})


def _slug(text: str) -> str:
    return text.replace(" ", "_").replace("-", "_")


def upgrade_name(key: str) -> str:
    """The reader's name of an upgrade (by its key in :data:`UPGRADES`), in
    the current language."""
    keys = [k for _, k, *_ in UPGRADES]
    check_choice("key", key, keys)
    return i18n.t(f"haier.upgrade.{key}")


def lever_label(lever: str) -> str:
    """The reader's words for a lever of :data:`UPGRADES` (e.g. "fix rate"), in the current language."""
    levers = sorted({u[4] for u in UPGRADES})
    check_choice("lever", lever, levers)
    return i18n.t(f"haier.lever.{_slug(lever)}")


def reader_table(df, formats=None, *, columns=None, index_label=None, caption=None):
    """A table of this case as the reader sees it: :func:`casekit.formatting.table`
    with the column headers (``haier.col.*``), the index name, the category
    values (``haier.value.*``: outcomes, complaint categories, scenarios) and,
    if given, the caption key (``haier.caption.*``) in the current language.

    The data's own names stay untouched in ``df``: only what is shown changes.
    ``index_label`` and ``caption`` are catalogue keys under ``haier.col`` and
    ``haier.caption``; ``formats`` and ``columns`` as for ``formatting.table``.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"`df` must be a pandas DataFrame or Series, got {type(df).__name__}")
    if index_label is not None:
        _ck.check_str("index_label", index_label)
        if not i18n.has(f"haier.col.{index_label}"):
            raise ValueError(f"`index_label` must name a column label under haier.col, got {index_label!r:.60}")
    if caption is not None:
        _ck.check_str("caption", caption)
        if not i18n.has(f"haier.caption.{caption}"):
            raise ValueError(f"`caption` must name a caption under haier.caption, got {caption!r:.60}")

    def _value(v):
        key = f"haier.value.{v}"
        return i18n.t(key) if isinstance(v, str) and i18n.has(key) else v

    shown = df.copy()
    for c in shown.columns:
        if (shown[c].dtype == object or pd.api.types.is_string_dtype(shown[c].dtype)
                or isinstance(shown[c].dtype, pd.CategoricalDtype)):
            shown[c] = shown[c].astype(object).map(_value)
    if not isinstance(shown.index, pd.RangeIndex):
        name = shown.index.name
        shown.index = pd.Index([_value(v) for v in shown.index], name=name)
    if index_label is None and shown.index.name is not None and i18n.has(f"haier.col.{shown.index.name}"):
        index_label = str(shown.index.name)
    labels = {c: i18n.t(f"haier.col.{c}") for c in shown.columns
              if isinstance(c, str) and i18n.has(f"haier.col.{c}")}
    return formatting.table(shown, formats, labels=labels, columns=columns,
                            index_label=None if index_label is None else i18n.t(f"haier.col.{index_label}"),
                            caption=None if caption is None else i18n.t(f"haier.caption.{caption}"))


def show_upgrades():
    """The service upgrades for readers: year, name and the lever each one
    changes in the simulation, in the current language."""
    frame = pd.DataFrame({"year": [y for y, *_ in UPGRADES],
                          "upgrade": [upgrade_name(k) for _, k, *_ in UPGRADES],
                          "lever": [lever_label(u[4]) for u in UPGRADES]})
    return reader_table(frame, {"year": "text"})


def join_names(names) -> str:
    """Names as one list in the current language ("a, b" / "a、b"), or "none"."""
    names = [str(n) for n in _ck.check_sequence("names", names, allow_empty=True)]
    return i18n.t("haier.say.list_sep").join(names) if names else i18n.t("haier.say.none")


def service_levels(first_year=FIRST_YEAR, last_year=END_DATE.year) -> pd.DataFrame:
    """The simulation's service levers in force each year, after the upgrades.

    Returns
    -------
    DataFrame indexed by ``year`` with ``response_hours`` (mean hours from
    request to arrival in a city), ``ftfr`` (first-time fix rate),
    ``follow_up`` (share of tickets with a follow-up call), ``feedback``
    (share of complaint causes reported to R&D), ``install_factor`` and
    ``install_factor_ac`` (multipliers of installation faults for
    appliances sold that year) and ``satisfaction_shift`` (points added to
    satisfaction).

    Examples
    --------
    >>> lv = service_levels(1992, 2003)
    >>> float(lv.loc[1992, "ftfr"]), float(lv.loc[2003, "ftfr"])
    (0.63, 0.88)
    """
    a = check_number("first_year", first_year, low=1900, high=2100, integer=True)
    b = check_number("last_year", last_year, low=a, high=2100, integer=True)
    years = np.arange(a, b + 1)
    lv = pd.DataFrame(
        {"response_hours": BASE_RESPONSE_HOURS, "ftfr": BASE_FTFR, "follow_up": BASE_FOLLOW_UP,
         "feedback": BASE_FEEDBACK, "install_factor": 1.0, "install_factor_ac": 1.0,
         "satisfaction_shift": 0.0},
        index=pd.Index(years, name="year"),
    )
    columns = {"response": "response_hours", "ftfr": "ftfr", "follow_up": "follow_up",
               "feedback": "feedback", "install_all": "install_factor",
               "install_ac": "install_factor_ac", "satisfaction": "satisfaction_shift"}
    for year, *_, effects in UPGRADES:  # nine upgrades, not rows
        on = lv.index >= year
        for lever, (op, value) in effects.items():
            col = columns[lever]
            if op == "times":
                lv.loc[on, col] = lv.loc[on, col] * value
            elif op == "plus":
                lv.loc[on, col] = lv.loc[on, col] + value
            else:
                lv.loc[on, col] = value
    lv["install_factor_ac"] = lv["install_factor_ac"] * lv["install_factor"]
    return lv


def failure_rates(model_years, *, learning_rate=LEARNING_RATE) -> pd.DataFrame:
    """Expected failures per appliance-year, by model year, product and category.

    Notes
    -----
    Closed loop (闭环): for a design category c, the rate for model year m is
    the 1992 rate times ``exp(-learning_rate · Σ_{y<m} feedback(y))``, where
    feedback(y) is the share of complaints reported to R&D in year y
    (:func:`service_levels`). Installation faults follow the installation
    upgrades of the sale year; usage questions stay flat (a control).

    Returns
    -------
    DataFrame with ``model_year``, ``product``, ``category``, ``rate``
    (failures per appliance-year), one row per combination.

    Examples
    --------
    >>> r = failure_rates([1992, 2002])
    >>> cool = r[(r["product"] == "fridge") & (r["category"] == "cooling")]["rate"].round(3).tolist()
    >>> cool[0] > cool[1]
    True
    """
    _ck.check_array_like("model_years", model_years, max_size=1_000,
                         rule=("checks.rule.years", {"first": FIRST_YEAR, "last": END_DATE.year}))
    if not np.all(np.isfinite(np.asarray(model_years, dtype=float))):
        raise ValueError(f"`model_years` must be whole years in [{FIRST_YEAR}, {END_DATE.year}], got {model_years!r:.60}")
    if np.any(np.asarray(model_years, dtype=float) != np.floor(np.asarray(model_years, dtype=float))):
        raise ValueError(f"`model_years` must be whole years, got {model_years!r:.60}")
    years = np.unique(np.asarray(model_years, dtype="int64"))
    if years.size == 0 or years.min() < FIRST_YEAR or years.max() > END_DATE.year:
        raise ValueError(f"`model_years` must lie in [{FIRST_YEAR}, {END_DATE.year}], got {model_years!r:.60}")
    eta = check_number("learning_rate", learning_rate, low=0.0, high=5.0)
    table = _rate_array(years, eta)  # (years, products, categories)
    y, p, c = np.meshgrid(years, np.arange(len(PRODUCTS)), np.arange(len(CATEGORIES)), indexing="ij")
    return pd.DataFrame({
        "model_year": y.ravel(),
        "product": np.array(PRODUCTS)[p.ravel()],
        "category": np.array(CATEGORIES)[c.ravel()],
        "rate": table.ravel(),
    })


def _rate_array(model_years: np.ndarray, eta: float) -> np.ndarray:
    lv = service_levels(FIRST_YEAR, END_DATE.year)
    cum_feedback = np.concatenate([[0.0], np.cumsum(lv["feedback"].to_numpy())])  # Σ_{y<m}
    idx = model_years - FIRST_YEAR
    design = np.array([c in DESIGN_CATEGORIES for c in CATEGORIES])
    out = np.broadcast_to(BASE_FAILURE_RATES, (idx.size, *BASE_FAILURE_RATES.shape)).copy()
    out[:, :, design] *= np.exp(-eta * cum_feedback[idx])[:, None, None]
    inst = CATEGORIES.index("installation")
    factor = lv["install_factor"].to_numpy()[idx]
    factor_ac = lv["install_factor_ac"].to_numpy()[idx]
    for j, prod in enumerate(PRODUCTS):
        out[:, j, inst] *= factor_ac if prod == "air_conditioner" else factor
    return out


# --------------------------------------------------------------------------
# Satisfaction → repurchase
# --------------------------------------------------------------------------

_ERF = np.frompyfunc(math.erf, 1, 1)


def _expected_score(mu) -> np.ndarray:
    """Mean of the recorded 1–5 score when the latent score is normal(mu, SATISFACTION_SD),
    rounded to a whole point and clipped to 1–5."""
    mu = np.asarray(mu, dtype=float)
    z = (np.arange(1, 5) + 0.5 - mu[..., None]) / (SATISFACTION_SD * math.sqrt(2.0))
    below = 0.5 * (1.0 + _ERF(z).astype(float))  # P(score <= s), s = 1..4
    return 5.0 - below.sum(axis=-1)


def _odds_shift(p, lift, odds):
    p = np.asarray(p, dtype=float)
    logit = np.log(p / (1 - p)) + math.log(odds) * np.asarray(lift, dtype=float)
    return 1.0 / (1.0 + np.exp(-logit))


def satisfaction_lift(outcome, shift) -> float:
    """Points of recorded satisfaction (1–5 scale) that a courtesy shift adds
    to a ticket with this outcome, after rounding and the cap at 5.

    >>> round(satisfaction_lift("resolved", 0.5), 2)
    0.49
    """
    o = check_choice("outcome", outcome, OUTCOMES)
    d = check_number("shift", shift, low=-4.0, high=4.0)
    mu = SATISFACTION_BY_OUTCOME[o]
    return float(_expected_score(mu + d) - _expected_score(mu))


def repurchase_probability(outcome, lift=0.0, *, odds=SATISFACTION_ODDS) -> float:
    """Share of customers who buy again after a problem with this outcome,
    when their satisfaction is ``lift`` points above what the outcome alone
    gives.

    Notes
    -----
    At ``lift = 0`` this is TARP's large-loss rate for the outcome (19%,
    54%, 82%). Each point of lift multiplies the odds of buying again by
    ``odds`` (default :data:`SATISFACTION_ODDS`): odds = p / (1 − p).
    Jones & Sasser (1995) found that "totally satisfied" Xerox customers
    were six times as likely to buy again as merely "satisfied" ones, so a
    strong link is documented; its size for appliances is an assumption
    (range 1–6 in :data:`ASSUMPTIONS`).

    >>> round(repurchase_probability("resolved", 1.0, odds=2.0), 3)  # odds 0.54/0.46 doubled
    0.701
    """
    o = check_choice("outcome", outcome, OUTCOMES)
    x = check_number("lift", lift, low=-4.0, high=4.0)
    k = check_number("odds", odds, low=0.0, low_open=True, high=100.0)
    return float(_odds_shift(REPURCHASE_BY_OUTCOME[o], x, k))


# --------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceRecords:
    """The simulated service-records database, one DataFrame per table."""

    customers: pd.DataFrame
    appliances: pd.DataFrame
    tickets: pd.DataFrame
    upgrades: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name → DataFrame, in the database's order."""
        return {"customers": self.customers, "appliances": self.appliances,
                "tickets": self.tickets, "upgrades": self.upgrades}


def _days(x) -> np.ndarray:
    return pd.to_timedelta(np.round(np.asarray(x) * 24 * 60), unit="min")


def _tickets_for(rng, app_customer, app_area, product_code, sold, levels, rates, year0):
    """Tickets for a set of appliances (arrays), drawn in a fixed order."""
    n = sold.size
    end_days = (END_DATE - sold) / pd.Timedelta(days=1)
    exposure = np.minimum(SERVICE_WINDOW_YEARS * 365.25, np.asarray(end_days, dtype=float))
    model_idx = sold.year.to_numpy() - year0
    lam = rates[model_idx, product_code, :] * (exposure / 365.25)[:, None]
    k = rng.poisson(lam)
    counts = k.ravel()
    app = np.repeat(np.repeat(np.arange(n), len(CATEGORIES)), counts)
    cat = np.repeat(np.tile(np.arange(len(CATEGORIES)), n), counts)
    m = app.size
    u_when, g_resp, u_disp, u_fix, u_never = (rng.random(m), rng.standard_gamma(RESPONSE_SHAPE, m),
                                              rng.random(m), rng.random(m), rng.random(m))
    extra, repair, g_gap = rng.poisson(1.0, m), rng.uniform(0.5, 3.0, m), rng.standard_gamma(2.0, m)
    u_call, u_recover, z_sat, u_feed = rng.random(m), rng.random(m), rng.standard_normal(m), rng.random(m)

    when = u_when * exposure[app]                      # days after the sale
    day = np.floor(when)
    requested = sold[app] + _days(day + (8 + 11.9 * (when - day)) / 24)  # calls 08:00–19:54
    requested = pd.DatetimeIndex(requested).floor("min")
    yi = requested.year.to_numpy() - year0
    lv = {c: levels[c].to_numpy()[yi] for c in levels.columns}
    area_factor = np.where(app_area[app] == 0, 1.0, COUNTY_RESPONSE_FACTOR)
    response_h = g_resp * lv["response_hours"] / RESPONSE_SHAPE * area_factor
    dispatch_h = response_h * (0.1 + 0.3 * u_disp)
    first_fix = u_fix < lv["ftfr"]
    never = ~first_fix & (u_never < UNRESOLVED_SHARE)
    revisits = np.where(first_fix, 0, 1 + np.where(never, extra, extra // 2))
    follow = u_call < lv["follow_up"]
    recovered = never & follow & (u_recover < RECOVERY_RATE)
    never = never & ~recovered
    revisits = revisits + recovered
    gap_h = g_gap / 2.0 * (24.0 + 0.5 * lv["response_hours"])
    fix_h = response_h + repair + revisits * gap_h + recovered * 72.0
    arrived = requested + _days(response_h / 24)
    fixed = pd.Series(requested + _days(fix_h / 24))
    fixed[never] = pd.NaT
    outcome = np.where(never, 0, np.where(fix_h <= QUICK_HOURS, 2, 1))
    sat_mean = np.array([SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES])[outcome] + lv["satisfaction_shift"]
    satisfaction = np.where(follow, np.clip(np.rint(sat_mean + SATISFACTION_SD * z_sat), 1, 5), np.nan)
    return pd.DataFrame({
        "_app": app,
        "customer_id": app_customer[app],
        "category": np.array(CATEGORIES)[cat],
        "requested_at": requested,
        "dispatched_at": requested + _days(dispatch_h / 24),
        "arrived_at": arrived,
        "fixed_at": fixed.to_numpy(),
        "revisits": revisits.astype("int64"),
        "follow_up_call": follow,
        "satisfaction": satisfaction,
        "fed_back_to_rnd": u_feed < lv["feedback"],
        "_outcome": outcome,
        "_shift": lv["satisfaction_shift"],
    })


def make_haier_records(n=6000, *, seed=None, learning_rate=LEARNING_RATE,
                       city_share=CITY_SHARE) -> ServiceRecords:
    """Simulate Haier's service records, 1992–2007.

    Parameters
    ----------
    n : int >= 10
        Number of customers (first purchases 1992–2002, growing 20% a year).
    seed : None, int or numpy Generator
    learning_rate : float in [0, 5]
        Closed-loop strength: how fast design failures fall per year of full
        feedback to R&D (0 = feedback changes nothing).
    city_share : float in [0, 1]
        Share of customers living in cities.

    Returns
    -------
    ServiceRecords
        ``customers``, ``appliances``, ``tickets`` and ``upgrades`` with the
        columns of :data:`CUSTOMER_SCHEMA`, :data:`APPLIANCE_SCHEMA`,
        :data:`TICKET_SCHEMA` and :data:`UPGRADE_SCHEMA`.

    Notes
    -----
    * Each appliance fails in each category as a Poisson process over its
      first three years, at :func:`failure_rates` for its model year.
    * A ticket follows the service levels of the year it is requested
      (:func:`service_levels`): response time is gamma-distributed (1.6× as
      long outside cities), the first visit fixes it with probability
      FTFR, otherwise 30% are never fixed unless a follow-up call (回访)
      finds them (60% recovered).
    * Outcome: never fixed → ``unresolved``; fixed within 48 h of the request
      → ``resolved_quickly``; otherwise ``resolved``.
    * A customer buys a second Haier appliance 3–5 years after the first with
      TARP's large-loss repurchase rate for the worst outcome of the first
      appliance's tickets (19%, 54%, 82%), or 80% without a ticket
      (TARP 1986; see :data:`casekit.metrics.TARP_LOYALTY`). Courtesy
      upgrades in force at that ticket raise its satisfaction, and each
      point of satisfaction lift multiplies the odds of buying again by
      :data:`SATISFACTION_ODDS` (:func:`repurchase_probability`).

    Examples
    --------
    >>> rec = make_haier_records(200, seed=1)
    >>> list(rec.tickets.columns) == list(TICKET_SCHEMA)
    True
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=10, integer=True)
    rng = check_seed("seed", seed)
    eta = check_number("learning_rate", learning_rate, low=0.0, high=5.0)
    p_city = check_probability("city_share", city_share)

    years = np.arange(FIRST_YEAR, END_DATE.year + 1)
    levels = service_levels(FIRST_YEAR, END_DATE.year)
    rates = _rate_array(years, eta)

    # Customers and their first appliance.
    sale_years = np.arange(FIRST_YEAR, LAST_SALE_YEAR + 1)
    w = SALES_GROWTH ** (sale_years - FIRST_YEAR)
    y_first = rng.choice(sale_years, size=n, p=w / w.sum())
    u_day = rng.random(n)
    area = (rng.random(n) >= p_city).astype(int)
    prod1 = rng.choice(len(PRODUCTS), size=n, p=PRODUCT_MIX)
    z_price1 = rng.standard_normal(n)
    start = pd.to_datetime(pd.Series(y_first).astype(str) + "-01-01").to_numpy()
    leap = (y_first % 4 == 0) & ((y_first % 100 != 0) | (y_first % 400 == 0))
    days_in_year = np.where(leap, 366, 365)
    sold1 = pd.DatetimeIndex(start + pd.to_timedelta(np.floor(u_day * days_in_year), unit="D"))
    customer_ids = np.arange(1, n + 1)

    t1 = _tickets_for(rng, customer_ids, area, prod1, sold1, levels, rates, FIRST_YEAR)

    # Repeat purchase, driven by the worst outcome of the first appliance's tickets.
    # A courtesy upgrade in force at that ticket raises satisfaction, and satisfaction raises repurchase.
    worst = np.full(n, 3)
    t1_app, t1_out = t1["_app"].to_numpy(), t1["_outcome"].to_numpy()
    np.minimum.at(worst, t1_app, t1_out)
    shift = np.zeros(n)
    is_worst = t1_out == worst[t1_app]
    np.maximum.at(shift, t1_app[is_worst], t1["_shift"].to_numpy()[is_worst])
    p_again = np.full(n, NO_PROBLEM_REPURCHASE)
    had = worst < 3
    base = np.array([REPURCHASE_BY_OUTCOME[o] for o in OUTCOMES])[worst[had]]
    mu = np.array([SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES])[worst[had]]
    lift = _expected_score(mu + shift[had]) - _expected_score(mu)
    p_again[had] = _odds_shift(base, lift, SATISFACTION_ODDS)
    again = rng.random(n) < p_again
    lag_years = rng.uniform(*REPURCHASE_AFTER_YEARS, n)
    prod2_all = rng.choice(len(PRODUCTS), size=n, p=PRODUCT_MIX)
    z_price2 = rng.standard_normal(n)
    sold2 = pd.DatetimeIndex(sold1 + pd.to_timedelta(np.floor(lag_years * 365.25), unit="D"))[again]
    who2 = np.flatnonzero(again)
    prod2 = prod2_all[again]
    t2 = _tickets_for(rng, customer_ids[who2], area[who2], prod2, sold2, levels, rates, FIRST_YEAR)
    t2["_app"] = t2["_app"] + n

    price = np.array([PRICE_YUAN[p] for p in PRODUCTS])
    appliances = pd.DataFrame({
        "appliance_id": np.arange(1, n + who2.size + 1, dtype="int64"),
        "customer_id": np.concatenate([customer_ids, customer_ids[who2]]).astype("int64"),
        "product": pd.Categorical.from_codes(np.concatenate([prod1, prod2]), categories=list(PRODUCTS)),
        "purchase_no": np.concatenate([np.ones(n), np.full(who2.size, 2)]).astype("int64"),
        "sold_on": np.concatenate([sold1.to_numpy(), sold2.to_numpy()]),
        "model_year": np.concatenate([sold1.year.to_numpy(), sold2.year.to_numpy()]).astype("int64"),
        "price_yuan": np.round(np.concatenate([price[prod1] * np.exp(0.15 * z_price1),
                                               price[prod2] * np.exp(0.15 * z_price2[again])]), 0),
    })

    tickets = pd.concat([t1, t2], ignore_index=True)
    tickets = tickets.sort_values(["requested_at", "_app"], kind="stable").reset_index(drop=True)
    tickets.insert(0, "appliance_id", (tickets.pop("_app") + 1).astype("int64"))
    tickets.insert(0, "ticket_id", np.arange(1, len(tickets) + 1, dtype="int64"))
    tickets = tickets.drop(columns=["_outcome", "_shift"])
    tickets["category"] = pd.Categorical(tickets["category"], categories=list(CATEGORIES))
    tickets["customer_id"] = tickets["customer_id"].astype("int64")
    tickets = tickets[list(TICKET_SCHEMA)]

    customers = pd.DataFrame({
        "customer_id": customer_ids.astype("int64"),
        "area": pd.Categorical.from_codes(area, categories=list(AREAS)),
        "first_purchase": sold1.to_numpy(),
    })
    return ServiceRecords(customers, appliances, tickets, upgrade_table())


@functools.cache
def _default_records() -> ServiceRecords:
    return make_haier_records(N_CUSTOMERS, seed=HAIER_SEED)


def default_records() -> ServiceRecords:
    """The shipped records: ``make_haier_records(N_CUSTOMERS, seed=HAIER_SEED)`` (cached; copies)."""
    rec = _default_records()
    return ServiceRecords(*(t.copy() for t in rec.tables().values()))


# --------------------------------------------------------------------------
# Analysis helpers (pandas)
# --------------------------------------------------------------------------

def ticket_outcomes(tickets) -> pd.Series:
    """Each ticket's outcome (TARP classes): ``unresolved`` if never fixed,
    ``resolved_quickly`` if fixed within :data:`QUICK_HOURS` of the request,
    else ``resolved``. Returns an ordered categorical Series."""
    _ck.check_frame("tickets", tickets)

    df = check_frame("tickets", tickets, ["requested_at", "fixed_at"])
    hours = (pd.to_datetime(df["fixed_at"]) - pd.to_datetime(df["requested_at"])) / pd.Timedelta(hours=1)
    code = np.where(hours.isna(), 0, np.where(hours <= QUICK_HOURS, 2, 1))
    return pd.Series(pd.Categorical.from_codes(code, categories=list(OUTCOMES), ordered=True),
                     index=df.index, name="outcome")


def yearly_kpis(tickets) -> pd.DataFrame:
    """Service measures by year of request (pandas version of the notebook's SQL).

    Returns a DataFrame indexed by ``year`` with ``tickets``,
    ``response_hours`` (mean, request → arrival), ``within_24h`` (share
    arriving within a day), ``first_visit_fix`` (share with no revisit,
    among fixed and unfixed tickets), ``follow_up`` (share called back),
    ``satisfaction`` (mean score among those called), ``satisfaction_lift``
    (mean score above what each ticket's fix outcome alone predicts: what
    courtesy adds, among those called), ``fixed_quickly``
    (share resolved within 48 h), ``unresolved`` (share never fixed),
    ``visits_per_ticket`` (mean) and ``fed_back`` (share reported to R&D).
    """
    _ck.check_frame("tickets", tickets)

    df = check_frame("tickets", tickets, ["requested_at", "arrived_at", "fixed_at", "revisits",
                                          "follow_up_call", "satisfaction", "fed_back_to_rnd"])
    resp = (df["arrived_at"] - df["requested_at"]) / pd.Timedelta(hours=1)
    outcome = ticket_outcomes(df)
    by_outcome = dict(zip(OUTCOMES, _expected_score([SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES])))
    expected = outcome.astype(str).map(by_outcome).astype(float)  # score the fix outcome alone predicts
    work = pd.DataFrame({
        "year": df["requested_at"].dt.year,
        "response_hours": resp,
        "within_24h": resp <= 24,
        "first_visit_fix": (df["revisits"] == 0) & df["fixed_at"].notna(),
        "follow_up": df["follow_up_call"].astype(bool),
        "satisfaction": df["satisfaction"],
        "satisfaction_lift": df["satisfaction"] - expected,
        "fixed_quickly": outcome == "resolved_quickly",
        "unresolved": df["fixed_at"].isna(),
        "visits_per_ticket": 1 + df["revisits"],
        "fed_back": df["fed_back_to_rnd"].astype(bool),
    })
    g = work.groupby("year")
    out = g.mean()
    out.insert(0, "tickets", g.size().astype("int64"))
    return out


def service_value(kpis, *, problem_rate=PROBLEM_RATE, margin=MARGIN_YUAN, discount=DISCOUNT,
                  satisfaction_odds=SATISFACTION_ODDS) -> pd.DataFrame:
    """Loyalty and lifetime value implied by each year's service, read from
    the tickets' outcomes and the satisfaction scores of follow-up calls.

    Parameters
    ----------
    kpis : DataFrame from :func:`yearly_kpis` (needs ``fixed_quickly``,
        ``unresolved``, ``visits_per_ticket`` and ``satisfaction_lift``).
    problem_rate, margin, discount : float
        φ, margin per customer-year (yuan) and discount rate; held fixed
        across years so that only service changes.
    satisfaction_odds : float > 0
        Each point of satisfaction lift multiplies the odds of buying again
        by this (:func:`repurchase_probability`); 1 switches the link off.

    Returns
    -------
    DataFrame indexed by year with ``loyalty`` (share who buy again) and
    ``clv`` (yuan per customer).

    Notes
    -----
    loyalty = (1 − φ)·0.80 + φ·Σ share(outcome)·p(outcome, lift), where
    p(outcome, 0) is TARP's large-loss rate (82%, 54%, 19%; TARP 1986) and
    the year's satisfaction lift (points above what the fix outcomes
    predict, from the follow-up calls; 0 in a year without calls) raises
    the odds of buying again (Jones & Sasser 1995). Service cost =
    φ·visits per ticket·80 yuan; CLV = (margin − service cost)·r/(1 + d − r)
    (:func:`casekit.metrics.clv`).
    """

    k = check_frame("kpis", kpis, ["fixed_quickly", "unresolved", "visits_per_ticket", "satisfaction_lift"])
    phi = check_probability("problem_rate", problem_rate)
    m = check_number("margin", margin)
    d = check_number("discount", discount, low=0.0, high=1.0)
    odds = check_number("satisfaction_odds", satisfaction_odds, low=0.0, low_open=True, high=100.0)
    rep = REPURCHASE_BY_OUTCOME
    quick, unres = k["fixed_quickly"], k["unresolved"]
    lift = k["satisfaction_lift"].fillna(0.0).to_numpy()
    mix = (quick * _odds_shift(rep["resolved_quickly"], lift, odds)
           + (1 - quick - unres) * _odds_shift(rep["resolved"], lift, odds)
           + unres * _odds_shift(rep["unresolved"], lift, odds))
    loyalty = (1 - phi) * NO_PROBLEM_REPURCHASE + phi * mix
    cost = phi * k["visits_per_ticket"] * COST_PER_VISIT
    value = [metrics.clv(m - c, r, d) for c, r in zip(cost, loyalty)]  # one per year
    return pd.DataFrame({"loyalty": loyalty, "clv": value}, index=k.index)


def upgrade_effects(kpis) -> pd.DataFrame:
    """Change in each measure from the year before an upgrade to its year.

    Parameters
    ----------
    kpis : DataFrame from :func:`yearly_kpis` (indexed by year).

    Returns
    -------
    DataFrame indexed by upgrade year with the upgrade's name and the change
    (year of the upgrade minus the year before) in ``response_hours``,
    ``first_visit_fix``, ``follow_up``, ``satisfaction``,
    ``satisfaction_lift``, ``fixed_quickly``,
    ``loyalty`` and ``clv`` (from :func:`service_value`).
    """

    k = check_frame("kpis", kpis, ["response_hours", "first_visit_fix", "follow_up", "satisfaction",
                                   "satisfaction_lift", "fixed_quickly", "unresolved", "visits_per_ticket"])
    k = k.join(service_value(k))
    cols = ["response_hours", "first_visit_fix", "follow_up", "satisfaction", "satisfaction_lift",
            "fixed_quickly", "loyalty", "clv"]
    rows = []
    for year, key, _, _, lever, *_ in UPGRADES:
        if year in k.index and year - 1 in k.index:
            d = k.loc[year, cols] - k.loc[year - 1, cols]
            rows.append({"year": year, "upgrade": upgrade_name(key), "lever": lever_label(lever), **d.to_dict()})
    return pd.DataFrame(rows).set_index("year")


def repurchase_by_outcome(records: ServiceRecords) -> pd.DataFrame:
    """Share of customers who bought a second Haier appliance, by the worst
    outcome of their first appliance's tickets (``no_ticket`` if none).

    Returns a DataFrame indexed by outcome with ``customers`` and
    ``repurchase`` (share), ordered worst to best.
    """
    if not isinstance(records, ServiceRecords):
        raise TypeError(f"`records` must be ServiceRecords from make_haier_records, got {type(records).__name__}")
    t = records.tickets
    a = records.appliances
    first = a.loc[a["purchase_no"] == 1, ["appliance_id", "customer_id"]]
    tt = t[t["appliance_id"].isin(first["appliance_id"])]
    code = pd.Series(ticket_outcomes(tt).cat.codes.to_numpy(), index=tt["customer_id"].to_numpy())
    worst = code.groupby(level=0).min()
    labels = list(OUTCOMES) + ["no_ticket"]
    cust = pd.Series(3, index=first["customer_id"].to_numpy())
    cust.loc[worst.index] = worst.to_numpy()
    again = a.groupby("customer_id")["purchase_no"].max().reindex(cust.index) > 1
    frame = pd.DataFrame({"outcome": np.array(labels)[cust.to_numpy()], "again": again.to_numpy()})
    out = frame.groupby("outcome")["again"].agg(customers="size", repurchase="mean")
    return out.reindex(["unresolved", "resolved", "no_ticket", "resolved_quickly"])


def failures_by_model_year(records: ServiceRecords) -> pd.DataFrame:
    """Tickets in an appliance's first year, per 100 appliances, by model year
    and complaint category (first-year window so every model year is
    measured the same way). Rows: model years; columns: categories."""
    if not isinstance(records, ServiceRecords):
        raise TypeError(f"`records` must be ServiceRecords from make_haier_records, got {type(records).__name__}")
    a = records.appliances
    t = records.tickets.merge(a[["appliance_id", "sold_on", "model_year"]], on="appliance_id")
    first_year = (t["requested_at"] - t["sold_on"]) < pd.Timedelta(days=365)
    counts = (t[first_year].groupby(["model_year", "category"], observed=False).size()
              .unstack("category").reindex(columns=list(CATEGORIES)))
    sold = a[a["sold_on"] <= END_DATE - pd.Timedelta(days=365)].groupby("model_year").size()
    return (100 * counts.reindex(sold.index).fillna(0).div(sold, axis=0)).round(2)


# --------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------

def _sql_values(df: pd.DataFrame, schema: dict) -> list[tuple]:
    cols = []
    for c, (kind, _) in schema.items():
        s = df[c]
        if kind == "datetime":
            v = s.dt.strftime("%Y-%m-%d %H:%M:%S" if c.endswith("_at") else "%Y-%m-%d")
            v = v.astype(object).where(s.notna(), None)
        elif kind == "bool":
            v = s.astype("int64").astype(object)
        elif kind == "int":
            v = s.astype("int64").astype(object)
        elif kind == "float":
            f = s.astype("float64")
            v = f.astype(object).where(f.notna(), None)
            if c == "satisfaction":
                v = v.map(lambda x: None if x is None else int(x))
        else:
            v = s.astype(str).astype(object)
        cols.append(v.tolist())
    return list(zip(*cols))


def _create_sql(table: str, schema: dict) -> str:
    lines = []
    for i, (c, (kind, desc)) in enumerate(schema.items()):
        typ = "INTEGER" if c == "satisfaction" else _SQL_TYPES[kind.split(":")[0]]
        desc = desc.replace("(True/False)", "(1 = yes, 0 = no)").replace("empty", "NULL")
        if kind == "datetime":
            desc += ", text " + ("YYYY-MM-DD HH:MM:SS" if c.endswith("_at") else "YYYY-MM-DD")
        key = " PRIMARY KEY" if i == 0 and c.endswith("_id") else ""
        comma = "," if i < len(schema) - 1 else ""
        lines.append(f"    {c} {typ}{key}{comma}  -- {desc}")
    return f"CREATE TABLE {table} (\n" + "\n".join(lines) + "\n)"


def build_database(path=None, *, records: ServiceRecords | None = None) -> Path:
    """(Re)build the SQLite database from the simulator, with the standard
    library's ``sqlite3``.

    Parameters
    ----------
    path : path, optional
        Where to write; defaults to :data:`DB_PATH`. The folder must exist.
        An existing SQLite file is replaced (written to a temporary file
        first, then renamed; the temporary file is removed if anything
        fails); any other existing file is refused, never overwritten.
    records : ServiceRecords, optional
        Defaults to :func:`default_records` (seed :data:`HAIER_SEED`).

    Notes
    -----
    Tables ``customers``, ``appliances``, ``tickets``, ``upgrades``; the
    ``CREATE TABLE`` text stored in the file carries one comment per column
    with its unit (``SELECT sql FROM sqlite_master``). Dates and times are
    text ``YYYY-MM-DD HH:MM:SS`` (use ``julianday()`` for durations);
    True/False are 1/0; missing values are NULL. The same records always
    give the same rows in the same order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = build_database(pathlib.Path(tempfile.mkdtemp()) / "h.sqlite",
    ...                    records=make_haier_records(50, seed=3))
    >>> sqlkit.tables(p)
    ['appliances', 'customers', 'tickets', 'upgrades']
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path or None, got {path!r:.80} ({type(path).__name__})")
    target = Path(path) if path is not None else DB_PATH
    if records is not None and not isinstance(records, ServiceRecords):
        raise TypeError(f"`records` must be ServiceRecords from make_haier_records, got {type(records).__name__}")
    if not target.parent.is_dir():
        raise ValueError(f"`path` must be in an existing folder, got {str(target)!r} "
                         f"({str(target.parent)!r} does not exist)")
    if target.is_dir():
        raise ValueError(f"`path` must be a file, got the folder {str(target)!r}")
    if target.exists() and target.stat().st_size > 0:
        with open(target, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ValueError(f"`path` must be a new file or an SQLite database to replace; "
                                 f"{str(target)!r} is another kind of file and is left as it is")
    rec = records if records is not None else default_records()
    fd, tmp = tempfile.mkstemp(suffix=".sqlite", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA page_size = 4096")
            for name, schema in _DB_TABLES:
                con.execute(_create_sql(name, schema))
                marks = ", ".join("?" * len(schema))
                con.executemany(f"INSERT INTO {name} VALUES ({marks})", _sql_values(rec.tables()[name], schema))
            for table, col in _INDEXES:
                con.execute(f"CREATE INDEX idx_{table}_{col} ON {table}({col})")
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise
    return target


def query(sql: str, *, params=None, db=None) -> pd.DataFrame:
    """Run SQL against the Haier service database; errors come back as one
    plain message in the reader's language (:class:`casekit.sqlkit.SQLError`).

    >>> query("SELECT COUNT(*) AS n FROM upgrades")["n"].item()
    9
    """
    return sqlkit.query(sql, db=DB_PATH if db is None else db, params=params)


# --------------------------------------------------------------------------
# Service network → loyalty → CLV (the what-if model)
# --------------------------------------------------------------------------



@functools.cache
def _sorted_response_draws() -> np.ndarray:
    # Common random numbers: one set of standard gamma draws, reused by every slider move.
    rng = np.random.default_rng(HAIER_SEED)
    return np.sort(rng.standard_gamma(RESPONSE_SHAPE, _N_DRAWS))


def _share_within(hours, mean_hours) -> np.ndarray:
    draws = _sorted_response_draws()
    x = np.asarray(hours, dtype=float) / (np.asarray(mean_hours, dtype=float) / RESPONSE_SHAPE)
    return np.searchsorted(draws, x, side="right") / draws.size


def network_model(outlets, fix_rate, follow_up, *, problem_rate=PROBLEM_RATE,
                  installed_base=INSTALLED_BASE, margin=MARGIN_YUAN, discount=DISCOUNT,
                  cost_per_visit=COST_PER_VISIT, outlet_cost=OUTLET_COST, courtesy=0.0,
                  satisfaction_odds=SATISFACTION_ODDS, cost_per_call=COST_PER_CALL,
                  dispatch_hours=DISPATCH_HOURS, travel_hours=TRAVEL_HOURS_AT_REF,
                  no_problem_repurchase=NO_PROBLEM_REPURCHASE, unresolved_share=UNRESOLVED_SHARE,
                  recovery_rate=RECOVERY_RATE) -> dict:
    """Service network → response time → loyalty → CLV, for one setting.

    Parameters
    ----------
    outlets : float >= 1
        Service outlets covering the installed base.
    fix_rate : float in (0, 1]
        First-time fix rate, FTFR.
    follow_up : float in [0, 1]
        Share of tickets that get a follow-up call.
    problem_rate : float in [0, 1]
        φ, problems per customer-year.
    installed_base : float > 0
        U, customers served.
    margin : float
        Margin per customer-year before service costs (yuan).
    discount : float in [0, 1]
    cost_per_visit, outlet_cost : float >= 0
        Yuan per visit; yuan per outlet-year.
    courtesy : float in [0, 4]
        Points added to every ticket's satisfaction by courtesy upgrades
        (three free, five ones …); 0.5 with all of Haier's by 2003.
    satisfaction_odds : float > 0
        Odds multiplier of buying again per point of satisfaction lift
        (:func:`repurchase_probability`).
    cost_per_call, dispatch_hours, travel_hours, no_problem_repurchase, unresolved_share, recovery_rate
        The other assumptions of :data:`ASSUMPTIONS`, for sensitivity analysis.

    Returns
    -------
    dict with ``response_hours``, ``fixed_quickly`` (share of problems fixed
    within 48 h), outcome shares, ``visits`` (per year), ``loyalty``
    (retention), ``service_cost`` (per customer-year), ``clv`` (yuan per
    customer) and ``network_value`` (CLV × U, yuan).

    Notes
    -----
    * Response time R = 6 h + 14 h·√(5000/outlets): travel falls with the
      square root of outlet density (mean distance to the nearest of N
      points in a plane ∝ 1/√N).
    * Share fixed quickly q = FTFR · P(response ≤ 48 h − 2 h of repair),
      P from cached gamma(2.5) draws; unresolved u = (1 − FTFR)·0.3·(1 −
      0.6·follow-up); resolved = 1 − q − u.
    * Visits = U·φ/FTFR (each problem needs 1/FTFR visits on average).
    * Loyalty r = (1 − φ)·0.80 + φ·(q·p_q + resolved·p_r + u·p_u), where
      p is TARP's large-loss rate by outcome (82%, 54%, 19%; TARP 1986),
      raised by the satisfaction that courtesy adds
      (:func:`repurchase_probability`; with ``courtesy=0`` exactly TARP's).
    * CLV = (margin − service cost)·r/(1 + d − r) (Gupta & Lehmann 2003),
      via :func:`casekit.metrics.clv`.

    Examples
    --------
    >>> m = network_model(5000, 0.88, 0.9)
    >>> round(m["response_hours"], 1)
    20.0
    """
    _ck.check_at_most("outlets", outlets, MAX_OUTLETS)
    n_out = check_number("outlets", outlets, low=1)
    f = check_probability("fix_rate", fix_rate, allow_zero=False)
    c = check_probability("follow_up", follow_up)
    phi = check_probability("problem_rate", problem_rate)
    base = check_number("installed_base", installed_base, low=0, low_open=True)
    m = check_number("margin", margin)
    d = check_number("discount", discount, low=0.0, high=1.0)
    cv = check_number("cost_per_visit", cost_per_visit, low=0.0)
    co = check_number("outlet_cost", outlet_cost, low=0.0)
    shift = check_number("courtesy", courtesy, low=0.0, high=4.0)
    odds = check_number("satisfaction_odds", satisfaction_odds, low=0.0, low_open=True, high=100.0)
    cc = check_number("cost_per_call", cost_per_call, low=0.0)
    t_disp = check_number("dispatch_hours", dispatch_hours, low=0.0, high=240.0)
    t_travel = check_number("travel_hours", travel_hours, low=0.0, high=240.0)
    r0 = check_probability("no_problem_repurchase", no_problem_repurchase, allow_one=False)
    never = check_probability("unresolved_share", unresolved_share)
    rescue = check_probability("recovery_rate", recovery_rate)
    response = t_disp + t_travel * np.sqrt(REF_OUTLETS / n_out)
    p_on_time = float(_share_within(QUICK_HOURS - 2.0, response))
    quick = f * p_on_time
    unresolved = (1 - f) * never * (1 - rescue * c)
    resolved = 1.0 - quick - unresolved
    rate = {o: float(_odds_shift(REPURCHASE_BY_OUTCOME[o], satisfaction_lift(o, shift), odds)) for o in OUTCOMES}
    loyal_problem = quick * rate["resolved_quickly"] + resolved * rate["resolved"] + unresolved * rate["unresolved"]
    loyalty = (1 - phi) * r0 + phi * loyal_problem
    visits = base * phi / f
    cost = (visits * cv + base * phi * c * cc + n_out * co) / base
    value = metrics.clv(m - cost, min(loyalty, 0.999), d)
    return {
        "response_hours": float(response),
        "within_24h": float(_share_within(24.0, response)),
        "fixed_quickly": float(quick),
        "resolved": float(resolved),
        "unresolved": float(unresolved),
        "visits": float(visits),
        "loyalty": float(loyalty),
        "service_cost": float(cost),
        "clv": float(value),
        "network_value": float(value * base),
    }


def whatif_network(outlets, fix_rate, follow_up) -> dict:
    """What-if panel result: the network model, rounded and labelled in the
    current language.

    >>> whatif_network(5000, 0.88, 0.9)["loyalty (retention)"]
    '79.3%'
    """
    _ck.check_at_most("outlets", outlets, MAX_OUTLETS)
    r = network_model(outlets, fix_rate, follow_up)
    t = i18n.t
    return {
        t("haier.whatif.response_hours"): round(r["response_hours"], 1),
        t("haier.whatif.within_24h"): f"{r['within_24h']:.1%}",
        t("haier.whatif.fixed_quickly"): f"{r['fixed_quickly']:.1%}",
        t("haier.whatif.unresolved"): f"{r['unresolved']:.1%}",
        t("haier.whatif.visits"): round(r["visits"] / 1e6, 2),
        t("haier.whatif.loyalty"): f"{r['loyalty']:.1%}",
        t("haier.whatif.service_cost"): round(r["service_cost"], 1),
        t("haier.whatif.clv"): round(r["clv"], 1),
        t("haier.whatif.network_value"): round(r["network_value"] / 1e9, 2),
    }


OUTLET_GRID = np.arange(500, 10_001, 250)


def network_curve(fix_rate, follow_up, *, outlets=OUTLET_GRID) -> pd.DataFrame:
    """Network model over a range of outlet counts (one row per count)."""
    _ck.check_array_like("outlets", outlets, rule="checks.rule.outlets", max_size=10_000)
    if np.ndim(outlets) != 1 or np.size(outlets) == 0:
        raise ValueError(f"`outlets` must be a non-empty 1-D list of outlet counts, got {outlets!r:.60}")
    _ck.check_values("outlets", outlets, allow_negative=False)
    if np.min(outlets) < 1:
        raise ValueError(f"`outlets` must hold outlet counts >= 1, got min {np.min(outlets):g}")
    _ck.check_at_most("outlets", float(np.max(outlets)), MAX_OUTLETS)
    grid = np.asarray(outlets, dtype=float)
    rows = [network_model(n, fix_rate, follow_up) for n in grid]
    return pd.DataFrame(rows, index=pd.Index(grid.astype("int64"), name="outlets"))


@functools.lru_cache(maxsize=256)
def _chart_curve(fix_rate: float, follow_up: float) -> pd.DataFrame:
    """:func:`network_curve` for :func:`plot_network`, kept: a move of the
    what-if panel's outlets slider does not change the curve. Read only."""
    return network_curve(fix_rate, follow_up)


def plot_network(result=None, *, ax=None, outlets=REF_OUTLETS, fix_rate=0.88, follow_up=0.9, **_):
    """CLV per customer against the number of outlets, current setting marked."""
    if result is not None and not isinstance(result, dict):
        raise TypeError(f"`result` must be the dict from whatif_network or None, got {type(result).__name__}")
    _ck.check_number("outlets", outlets, low=1)
    _ck.check_at_most("outlets", outlets, MAX_OUTLETS)
    _ck.check_probability("fix_rate", fix_rate, allow_zero=False)
    _ck.check_probability("follow_up", follow_up)
    from .plotting import PALETTE, get_axes

    ax = get_axes(ax)
    curve = _chart_curve(float(fix_rate), float(follow_up))
    t = i18n.t
    ax.plot(curve.index, curve["clv"], lw=2, color=PALETTE["blue"], label=t("haier.chart.network.clv"))
    ax.axvline(float(outlets), color=PALETTE["vermillion"], ls="--", lw=1, label=t("haier.chart.network.current"))
    best = int(curve["clv"].idxmax())
    ax.plot([best], [curve["clv"].max()], "o", color=PALETTE["green"], label=t("haier.chart.network.best", best=best))
    ax.set_title(t("haier.chart.network.title"))
    ax.set_xlabel(t("haier.chart.network.xlabel"))
    ax.set_ylabel(t("haier.chart.network.ylabel"))
    ax.set_ylim(0, float(curve["clv"].max()) * 1.15)  # from zero: the curve's differences are modest
    ax.legend(loc="lower right")
    return ax


def build_network_widget(outlets=REF_OUTLETS, fix_rate=0.80, follow_up=0.60):
    """The notebook's what-if panel: outlets, fix rate, follow-up coverage →
    response time, loyalty, CLV (with the CLV-against-outlets chart)."""
    _ck.check_number("outlets", outlets, low=500, high=10_000, integer=True)
    _ck.check_number("fix_rate", fix_rate, low=0.5, high=0.95)
    _ck.check_number("follow_up", follow_up, low=0.0, high=1.0)
    from . import widgets

    return widgets.what_if(
        whatif_network,
        {
            "outlets": widgets.slider(i18n.t("haier.widget.outlets"), int(outlets), 500, 10_000, 250),
            "fix_rate": widgets.slider(i18n.t("haier.widget.fix_rate"), float(fix_rate), 0.50, 0.95, 0.01,
                                       percent=True),
            "follow_up": widgets.slider(i18n.t("haier.widget.follow_up"), float(follow_up), 0.0, 1.0, 0.05,
                                        percent=True),
        },
        chart=plot_network,
        title=i18n.t("haier.widget.title"),
        kinds={i18n.t(f"haier.whatif.{key}"): kind for key, kind in _WHATIF_KINDS.items()},
    )


_WHATIF_KINDS = {"response_hours": "dec1", "visits": "dec2", "service_cost": "dec1", "clv": "dec1",
                 "network_value": "dec2"}
"""How the panel writes each number of :func:`whatif_network` (:data:`casekit.formatting.KINDS`)."""


@functools.cache
def _all_levels() -> pd.DataFrame:
    return service_levels(FIRST_YEAR, END_DATE.year)


def _outlets_for(hours, *, dispatch_hours=DISPATCH_HOURS, travel_hours=TRAVEL_HOURS_AT_REF):
    # Outlets that give this response time (inverse of the network's response formula).
    travel = max(hours - dispatch_hours, 0.5)
    return REF_OUTLETS * (travel_hours / travel) ** 2


def _service_of(year, **params) -> dict:
    """Network-model settings that reproduce a year's service levels."""
    lv = _all_levels().loc[year]
    keys = {k: params[k] for k in ("dispatch_hours", "travel_hours") if k in params}
    return {"outlets": _outlets_for(float(lv["response_hours"]), **keys), "fix_rate": float(lv["ftfr"]),
            "follow_up": float(lv["follow_up"]), "courtesy": float(lv["satisfaction_shift"])}


def network_gain(*, before=1993, after=2003, **params) -> float:
    """The case's headline figure: lifetime value per customer (yuan) that
    the service network of ``after`` adds over the service of ``before``,
    with the same products (problem rate) in both.

    Parameters
    ----------
    before, after : int
        Years whose service levels (:func:`service_levels`) are compared;
        the outlets are those that give each year's response time.
    **params
        Any keyword of :func:`network_model` except the three settings,
        e.g. ``margin=300`` or ``satisfaction_odds=1``; defaults are the
        values in :data:`ASSUMPTIONS`. Pure and fast (cached draws), so
        :func:`casekit.sensitivity.tornado` can call it many times.

    Examples
    --------
    >>> network_gain() > 0
    True
    >>> network_gain(before=2003, after=2003)
    0.0
    """
    a = check_number("before", before, low=FIRST_YEAR, high=END_DATE.year, integer=True)
    b = check_number("after", after, low=FIRST_YEAR, high=END_DATE.year, integer=True)
    fixed = {k: v for k, v in params.items() if k not in ("outlets", "fix_rate", "follow_up", "courtesy")}
    if len(fixed) < len(params):
        raise ValueError("`params` must not set outlets, fix_rate, follow_up or courtesy: "
                         f"they come from the years; got {sorted(params)}")
    old = network_model(**_service_of(a, **params), **fixed)["clv"]
    new = network_model(**_service_of(b, **params), **fixed)["clv"]
    return float(new - old)


def courtesy_value(year, **params) -> float:
    """Lifetime value per customer (yuan) that one upgrade's satisfaction
    shift adds, with every other lever at that year's level: the network
    model with the year's courtesy minus the same without this upgrade's
    share of it. ``params`` as for :func:`network_gain`.

    >>> courtesy_value(1997) > 0
    True
    >>> courtesy_value(1997, satisfaction_odds=1.0)  # no link from satisfaction to loyalty
    0.0
    """
    y = check_number("year", year, low=FIRST_YEAR, high=END_DATE.year, integer=True)
    step = sum(v for yr, *_, eff in UPGRADES if yr == y
               for lever, (op, v) in eff.items() if lever == "satisfaction")
    if not step:
        years = [yr for yr, *_, eff in UPGRADES if "satisfaction" in eff]
        raise ValueError(f"`year` must be a year with a courtesy upgrade ({years}), got {y}")
    with_it = _service_of(y, **params)
    without = {**with_it, "courtesy": with_it["courtesy"] - step}
    fixed = {k: v for k, v in params.items() if k not in with_it}
    return float(network_model(**with_it, **fixed)["clv"] - network_model(**without, **fixed)["clv"])


def satisfaction_by_year(tickets) -> pd.DataFrame:
    """How precisely each year's follow-up calls measure satisfaction.

    Returns a DataFrame indexed by year with ``calls`` (tickets with a
    follow-up call, count), ``satisfaction_lift`` (mean score above what the
    fix outcomes predict) and ``standard_error`` of that mean (points).
    """
    k = check_frame("tickets", tickets, ["requested_at", "fixed_at", "follow_up_call", "satisfaction"])
    called = k[k["follow_up_call"].astype(bool)]
    outcome = ticket_outcomes(called).astype(str)
    by_outcome = dict(zip(OUTCOMES, _expected_score([SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES])))
    lift = called["satisfaction"] - outcome.map(by_outcome).astype(float)
    g = lift.groupby(called["requested_at"].dt.year.rename("year"))
    out = pd.DataFrame({"calls": g.size().astype("int64"), "satisfaction_lift": g.mean(),
                        "standard_error": g.std(ddof=1) / np.sqrt(g.size())})
    return out


def network_labels() -> dict:
    """Human labels of :data:`NETWORK_ASSUMPTIONS` for tables and charts, in
    the current language (``haier.assumption.*`` in the catalogue)."""
    return i18n.labels("haier.assumption", NETWORK_ASSUMPTIONS)


with i18n.language("en"):
    NETWORK_LABELS = network_labels()
"""The English labels of :data:`NETWORK_ASSUMPTIONS` (see :func:`network_labels`)."""


def sensitivity_table() -> pd.DataFrame:
    """How sure are we? :func:`casekit.sensitivity.tornado` of
    :func:`network_gain` over :data:`NETWORK_ASSUMPTIONS` (one row per
    assumption, largest swing first; yuan per customer)."""
    params = {n: ASSUMPTIONS[n] for n in NETWORK_ASSUMPTIONS}
    return sensitivity.tornado(network_gain, params, labels=network_labels())


def service_vs_product(*, outlets=None) -> pd.DataFrame:
    """Is competition in service or in product? Four scenarios, 1993 → 2003.

    * ``before`` (1993, before the upgrades): 1993 fix rate, follow-up and
      courtesy, the 1993 problem rate, and outlets set to give 1993's
      response time;
    * ``product_only``: the problem rate of the 2003 model year
      (closed-loop design improvements), 1993 service;
    * ``service_only``: 2003 service levels, 1993 problem rate;
    * ``both``: 2003 service and 2003 products.

    The index holds these ids; :func:`reader_table` shows their names.

    Returns a DataFrame indexed by scenario with ``problem_rate``,
    ``fix_rate``, ``follow_up``, ``response_hours``, ``loyalty`` and ``clv``.

    ``outlets`` is not a setting: each scenario's outlets follow from its
    year's response time. It is kept only so that old calls fail clearly.
    """
    if outlets is not None:
        raise TypeError("`outlets` is not used by service_vs_product: each scenario's outlets follow from its "
                        f"year's response time; leave it out (got {outlets!r:.40})")
    mix = np.array(PRODUCT_MIX)
    rates = _rate_array(np.array([1993, 2003]), LEARNING_RATE)
    per_year = (rates.sum(axis=2) * mix).sum(axis=1)  # failures per appliance-year
    phi93, phi03 = float(per_year[0]), float(per_year[1])
    s93, s03 = _service_of(1993), _service_of(2003)
    rows = {}
    for name, (svc, phi) in {"before": (s93, phi93), "product_only": (s93, phi03),
                             "service_only": (s03, phi93), "both": (s03, phi03)}.items():
        r = network_model(**svc, problem_rate=min(phi, 1.0))
        rows[name] = {"problem_rate": phi, "fix_rate": svc["fix_rate"], "follow_up": svc["follow_up"],
                      "response_hours": r["response_hours"], "loyalty": r["loyalty"], "clv": r["clv"]}
    out = pd.DataFrame(rows).T
    out.index.name = "scenario"
    return out


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------

def plot_yearly(kpis, *, ax=None):
    """Response time (left axis) and first-visit fix rate (right axis) by
    year, with the upgrade years marked."""
    _ck.check_frame("kpis", kpis)
    from .plotting import PALETTE, get_axes

    k = check_frame("kpis", kpis, ["response_hours", "first_visit_fix"])
    ax = get_axes(ax)
    t = i18n.t
    ax.plot(k.index, k["response_hours"], "-o", lw=2, ms=4, color=PALETTE["blue"], label=t("haier.chart.yearly.response"))
    ax.set_ylim(0, max(k["response_hours"].max() * 1.1, 1))
    ax2 = ax.twinx()
    ax2.plot(k.index, 100 * k["first_visit_fix"], "-s", lw=2, ms=4, color=PALETTE["orange"],
             label=t("haier.chart.yearly.fix"))
    ax2.set_ylim(0, 100)
    ax2.set_ylabel(t("haier.chart.yearly.ylabel2"))
    ax2.grid(False)
    for year, *_ in UPGRADES:
        if k.index.min() <= year <= k.index.max():
            ax.axvline(year, color=PALETTE["black"], lw=0.6, ls=":")
    ax.set_title(t("haier.chart.yearly.title"))
    ax.set_xlabel(t("haier.chart.yearly.xlabel"))
    ax.set_ylabel(t("haier.chart.yearly.ylabel"))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="center right")
    return ax


def plot_closed_loop(table, *, ax=None):
    """First-year failures per 100 appliances by model year: design
    categories (fed back to R&D) against installation and usage."""
    _ck.check_frame("table", table)
    from .plotting import PALETTE, get_axes

    t = check_frame("table", table, list(CATEGORIES))
    ax = get_axes(ax)
    say = i18n.t
    ax.plot(t.index, t[list(DESIGN_CATEGORIES)].sum(axis=1), "-o", lw=2, ms=4, color=PALETTE["blue"],
            label=say("haier.chart.loop.design"))
    ax.plot(t.index, t["installation"], "-s", lw=2, ms=4, color=PALETTE["orange"],
            label=say("haier.chart.loop.installation"))
    ax.plot(t.index, t["usage"], "-^", lw=2, ms=4, color=PALETTE["green"], label=say("haier.chart.loop.usage"))
    ax.axvline(1998, color=PALETTE["black"], lw=0.8, ls=":", label=say("haier.chart.loop.routine", year=1998))
    ax.set_title(say("haier.chart.loop.title"))
    ax.set_xlabel(say("haier.chart.loop.xlabel"))
    ax.set_ylabel(say("haier.chart.loop.ylabel"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
    return ax


# --------------------------------------------------------------------------
# Datasets (CSV exports of the database tables)
# --------------------------------------------------------------------------

def _table(name):
    def build():
        return default_records().tables()[name]
    return build


_DESC = (
    "Simulated service records of a Haier-like appliance maker, 1992–2007, made by "
    f"`casekit.haier.make_haier_records({N_CUSTOMERS}, seed={HAIER_SEED})`; the same table is in the SQLite "
    "database `haier_service.sqlite`. Each service upgrade (1994–2003; years and names from the course "
    "source text, not verified) changes response time, first-time fix rate (Aberdeen benchmarks 63% → 80% "
    "→ 88%), follow-up calls or feedback to R&D in the simulation; the effect sizes are teaching assumptions. "
)

DATASETS = (
    Dataset(name="haier_customers", title="Haier service records: customers (simulated)",
            title_zh="海尔服务记录：顾客（模拟数据）",
            description=_DESC + "One row per customer.", build=_table("customers"), columns=CUSTOMER_SCHEMA),
    Dataset(name="haier_appliances", title="Haier service records: appliances sold (simulated)",
            title_zh="海尔服务记录：售出的家电（模拟数据）",
            description=_DESC + "One row per appliance sold; a customer's second appliance is a repeat "
            "purchase, more likely after good service (TARP 1986 rates).",
            build=_table("appliances"), columns=APPLIANCE_SCHEMA),
    Dataset(name="haier_tickets", title="Haier service records: service tickets (simulated)",
            title_zh="海尔服务记录：服务工单（模拟数据）",
            description=_DESC + "One row per service ticket (a call to the hotline about one appliance).",
            build=_table("tickets"), columns=TICKET_SCHEMA),
    Dataset(name="haier_upgrades", title="Haier's service upgrades, 1994–2003",
            title_zh="海尔的服务升级，1994–2003 年",
            description="The service upgrades named in the course source text (not verified), with the "
            "lever each one changes in the simulation.", build=_table("upgrades"), columns=UPGRADE_SCHEMA),
)


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {build_database()}")
