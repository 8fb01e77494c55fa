"""IKEA (宜家): what does IKEA sell? Store visits, the catalogue and flat-pack
prices, simulated.

The source text sums up IKEA's China strategy as "one core, two tactics, three
kinds of marketing, four pillars". This
module turns three of its claims into models a class can test:

* **Store visits** (:func:`make_ikea_visits`): visitors walking the showroom
  path — dwell time, items looked at, product labels read, planned and impulse
  purchases, the restaurant, staff minutes — in a self-service "transparent"
  store (透明营销: rich labels, staff who may not push) or a sales-staff store.
  Both stores are simulated on the *same* visitors (common random numbers), so
  every difference comes from the store, not from luck.
* **The catalogue** (DM, 目录营销; :func:`make_ikea_catalogue`,
  :func:`catalogue_economics`): print and delivery cost against the visits and
  purchases a catalogue triggers, by segment; a targeted catalogue against
  untargeted mailing and mass advertising.
* **Flat-pack and low price** (:func:`flatpack_price`): a smaller packed volume
  cuts logistics cost, which funds a price cut, which raises demand; the IKEA
  effect (宜家效应) as a willingness-to-pay premium.

What-if functions (:func:`whatif_store`, :func:`build_store_widget`) recompute
from cached draws, so a slider move does not simulate anew.

Every figure is a named constant with its source, graded [S] (study), [M]
(media report of company figures) or [F] (folklore); the case's references in
``casekit/content/ikea.toml`` give the full citations. Figures marked
*assumption* are set for teaching; each has a plausible range in
:data:`ASSUMPTIONS`, and :func:`self_service_gap` recomputes the case's main
conclusion with any of them changed.

"Contribution" in this module is gross margin on goods plus the restaurant's
margin, minus the costs the model follows visitor by visitor (staff minutes,
labels, catalogue copies). It is *not* profit: rent, store staff not tied to
a visitor, central costs, depreciation and tax are not deducted.
All money is in yuan (RMB, ¥).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import i18n
from ._checks import (
    check_bool,
    check_choice,
    check_frame,
    check_number,
    check_positive,
    check_probability,
    check_seed,
)
from .datasets import Dataset
from .plotting import PALETTE
from .sensitivity import Assumption

__all__ = [
    "SEGMENTS",
    "STORES",
    "STORE_FORMATS",
    "VISIT_SCHEMA",
    "HOUSEHOLD_SCHEMA",
    "CATALOGUE_RUNS",
    "IMPULSE_SHARE",
    "FOOD_ONLY_SHARE_OF_DINERS",
    "IKEA_EFFECT_PREMIUM",
    "EKTORP_VOLUME_CUT",
    "EKTORP_PRICE_CUT",
    "LOGISTICS_SHARE",
    "PRICE_ELASTICITY",
    "IKEA_SEED",
    "ASSUMPTIONS",
    "GAP_ASSUMPTIONS",
    "NET_MARGIN_FY2012",
    "VisitDraws",
    "draw_visits",
    "visit_outcomes",
    "make_ikea_visits",
    "compare_stores",
    "store_summary",
    "paired_differences",
    "store_formats_table",
    "self_service_gap",
    "pushing_alone_table",
    "self_service_worst_case",
    "GAP_LABELS",
    "revenue_per_visitor",
    "make_ikea_catalogue",
    "catalogue_economics",
    "catalogue_vs_ads",
    "flatpack_price",
    "flatpack_table",
    "ikea_effect_wtp",
    "gross_margin_rate",
    "copycat_table",
    "growth_needed",
    "breakeven_elasticity",
    "contribution_curves",
    "knowledge_table",
    "cagr",
    "whatif_store",
    "build_store_widget",
    "plot_store_comparison",
    "plot_catalogue_roi",
    "VIEWS",
    "show",
    "funnel_stages",
    "plot_funnel",
    "spending_by_segment",
    "plot_spending",
    "spending_shares",
    "push_effects",
    "ikea_effect_table",
    "plot_price_curves",
    "gap_labels",
    "plot_gap_tornado",
    "name_list",
    "DATASETS",
]

# --------------------------------------------------------------------------
# Figures from the sources and the literature (full citations: the case registry)
# --------------------------------------------------------------------------

IMPULSE_SHARE = 0.60
"""Share of spending that was not planned. Alan Penn's (UCL) estimate for IKEA,
quoted in the press — an estimate, not a study [F/M]. Explorable."""

FOOD_ONLY_SHARE_OF_DINERS = 0.30
"""About 30% of IKEA restaurant diners come only to eat [M]."""

FOOD_TICKET = 20.0
"""Mean restaurant spend per diner (¥): IKEA Food sold about USD 1.8 bn to
650 m diners in 2016 [M], ≈ USD 2.8 per diner ≈ ¥20 at about ¥7 per USD."""

IKEA_EFFECT_PREMIUM = 0.63
"""People who assembled a storage box bid about 63% more for it than people
who got it ready-made; the premium vanished when the build failed [S]
(Norton, Mochon & Ariely 2012, J. Consumer Psychology 22, 453–460)."""

EKTORP_VOLUME_CUT = 0.50
EKTORP_PRICE_CUT = 0.14
"""Ektorp sofa redesign: packed volume −50%, price −14% [M] (S. Chaudhuri,
"IKEA Can't Stop Obsessing About Its Packaging", Wall Street Journal,
17 June 2015)."""

LOGISTICS_SHARE = EKTORP_PRICE_CUT / EKTORP_VOLUME_CUT
"""L in Δp ≈ L·x: the price cut per unit of packed-volume cut, calibrated so
that the Ektorp's x = 0.5 gives Δp = 0.14 (so L = 0.28)."""

TEXTUR_PRICE_CUT = 0.34
TEXTUR_PALLET = (80, 128)
"""Textur lamp: price −34%, lamps per pallet 80 → 128 [M] (Chaudhuri, WSJ,
17 June 2015)."""

CATALOGUE_RUNS = pd.DataFrame(
    {"year": [1951, 2006, 2013, 2016, 2017, 2021],
     "copies_million": [0.285, 175.0, 212.0, 200.0, 203.0, 40.0],
     "note": ["first edition, southern Sweden", "", "largest run quoted", "peak per IKEA's 2020 statement",
              "", "last edition (end announced 7 Dec 2020)"]}
)
"""Printed catalogue runs (millions of copies) [S/M]: 2006, 2013, 2017 from
Stora Enso (2014); 1951, 2016 and 2021 from IKEA's statement of 7 December
2020 as reported by UPI and The New Daily."""

VISITS_FY2013 = 690e6
GROUP_STORES_FY2013, SALES_FY2013_EUR_BN = 303, 27.9
"""IKEA Group stores (303, all group-owned) had about 690 m visits in FY2013
(Sept 2012 – Aug 2013), with sales of EUR 27.9 bn [M] (Reuters, "IKEA sales
grow 3.1 pct in fiscal year 2012/13", 14 October 2013). Visits, sales and
stores are all IKEA Group figures: franchised IKEA stores are not in them."""

CNY_PER_EUR_2013 = 8.16
"""Average yuan per euro in 2013, about 8.16 (ECB reference rates)."""

REVENUE_PER_VISIT = SALES_FY2013_EUR_BN * 1e9 / VISITS_FY2013 * CNY_PER_EUR_2013
"""Revenue per store visit, ≈ ¥330: IKEA Group sales of EUR 27.9 bn over
about 690 m visits to its 303 stores in FY2013 (both [M]), at ¥8.16 per
euro. A rough calibration target (sales include a little online and
catalogue ordering)."""

SALES_GROWTH_CLAIM = 0.25
"""The source says IKEA's sales grew about 25% a year (no year or base given)."""

SALES_1997_USD_BN, STORES_1997 = 6.0, 138
"""1997: "close to" USD 6 bn of sales from a group of 138 stores in 28
countries [M] (C. W. L. Hill, "Sweden's IKEA", closing case in International
Business: Competing in the Global Marketplace, McGraw-Hill; edition not
checked). The case does not say whether franchised stores are counted."""

SALES_FY2012_EUR_BN, GROWTH_FY2012, SAME_STORE_GROWTH_FY2012 = 27.6, 0.095, 0.046
STORES_FY2012, NEW_STORES_FY2012 = 298, 11
NET_PROFIT_FY2012_EUR_BN = 3.2
"""IKEA Group FY2012 (Sept 2011 – Aug 2012): sales EUR 27.6 bn, up 9.5%, of
which 4.6% in comparable stores; net profit EUR 3.2 bn; 298 group-owned
stores in 26 countries, 11 opened that year [M] (IKEA Group, Yearly Summary
FY12, January 2013, as reported by b24.am, BTH Heimtex 02/2013 and
distribuzionemoderna.info). Sales and store count are both IKEA Group
figures; franchised IKEA stores are in neither."""

NET_MARGIN_FY2012 = NET_PROFIT_FY2012_EUR_BN / SALES_FY2012_EUR_BN
"""IKEA Group's net margin in FY2012, about 11.6% of sales: the yardstick
against which the model's contribution (which deducts only visitor-level
costs) must be read."""

USD_PER_EUR_2012 = 1.285
"""Average euro exchange rate in 2012, about USD 1.285 (ECB reference rate)."""

# --------------------------------------------------------------------------
# Store model: assumptions for teaching (all explorable by argument)
# --------------------------------------------------------------------------

SEGMENTS = ("first_home", "family", "upgrader", "day_out", "food_only")
"""Visitor segments: young people furnishing a first home; families; owners
upgrading a home; a day out (leisure, browsing — the source's "fun shopping"
娱乐购物 visitors); and diners who come only for the restaurant."""

STORES = ("transparent", "sales_staff")

STORE_FORMATS = {
    "transparent": {"label_quality": 0.9, "push_share": 0.0},
    "sales_staff": {"label_quality": 0.3, "push_share": 0.8},
}
"""The two stores compared: IKEA's self-service store with rich labels and
staff who answer but never push (the source's 透明营销), and a conventional
furniture store with thin labels where sales staff approach 80% of visitors
(assumption)."""

SEGMENT_MIX = np.array([0.25, 0.30, 0.19, 0.16, 0.10])
"""Share of visitors by segment (assumption; food_only is set so that about
30% of diners come only to eat, as reported [M])."""

PLAN_PROB = np.array([0.85, 0.80, 0.80, 0.25, 0.0])
"""Probability a visitor arrives with a shopping list (assumption)."""

LIST_VALUE = np.array([225.0, 257.0, 348.0, 80.0, 0.0])
"""Mean value of the shopping list, ¥ (assumption, lognormal spread 0.6), set so
that revenue per visitor in the transparent store is near IKEA's reported
figure (:data:`REVENUE_PER_VISIT`)."""
LIST_SIGMA = 0.6

DWELL_MEAN = np.array([150.0, 165.0, 140.0, 130.0, 45.0])
"""Mean minutes in the store; 2–3 hours is the figure quoted for a visit [F]."""
DWELL_SIGMA = 0.30

ITEMS_PER_MINUTE = 0.30
"""Items looked at per minute of walking the showroom path (assumption)."""

LABEL_READ_MIN, LABEL_READ_MAX = 0.05, 0.45
"""Chance of reading the label of an item looked at, at label quality 0 and 1."""

LABELS_FOR_HALF_INFORMED = 6.0
"""Labels read that leave a visitor about half-informed: knowledge
K = 1 − exp(−labels · ln 2 / 6) (assumption)."""

STAFF_KNOWLEDGE = 0.45
"""Knowledge a visitor gets from a sales person's pitch (assumption): useful,
but less trusted than reading for oneself."""

P_BUY_BASE, P_BUY_KNOWLEDGE = 0.40, 0.45
"""Chance of buying the planned items: 0.40 + 0.45·K (assumption)."""

PUSH_CLOSE = 0.10
"""Extra chance of closing the planned sale when a sales person pushes."""

PUSH_DWELL_CUT = 0.30
"""A pushed visitor stays 30% less time in the store (assumption: pressure
shortens browsing)."""

P_IMPULSE_BASE, P_IMPULSE_KNOWLEDGE = 0.30, 0.45
"""Chance of buying something unplanned: (0.30 + 0.45·K)·min(1, items/30)."""
IMPULSE_ITEMS_REF = 30.0
IMPULSE_SIGMA = 0.8

EAT_PROB = np.array([0.22, 0.28, 0.20, 0.28, 1.0])
"""Chance of eating in the restaurant, by segment (assumption; calibrated with
SEGMENT_MIX to FOOD_ONLY_SHARE_OF_DINERS)."""
FOOD_SIGMA = 0.4

SAT_BASE, SAT_KNOWLEDGE, SAT_PUSH, SAT_FOOD, SAT_NOISE = 3.2, 1.3, -0.6, 0.2, 0.6
"""Satisfaction (1–5) = 3.2 + 1.3·K − 0.6·pushed + 0.2·ate + noise (assumption).
The source argues that a customer who buys without knowing the product, or
because someone talked them into it, feels cheated afterwards."""

REGRET_BASE, REGRET_PUSH, REGRET_KNOWLEDGE = 0.06, 0.14, -0.04
"""Chance a buyer regrets the purchase: 0.06 + 0.14·pushed − 0.04·K."""

ASK_MAX, ASK_MINUTES, SALES_MINUTES = 0.5, 4.0, 12.0
"""Visitors ask staff for help with chance 0.5·(1 − K), for 4 minutes; a sales
pitch takes 12 minutes of staff time (assumptions)."""

STAFF_WAGE = 50.0
"""Cost of one staff hour, ¥ (assumption)."""

LABEL_COST = 1.2
"""Cost per visitor of writing, translating and keeping up rich labels at
label quality 1, ¥ (assumption; scales linearly with quality)."""

REFERENCE_MARGIN = 0.35
"""Gross margin of an assembled (not flat-packed) product at the reference
price, as a share of that price (assumption)."""

BASE_PRICE_CUT = EKTORP_PRICE_CUT
"""The simulated store sells at flat-pack prices: 14% below the reference."""

FOOD_MARGIN = 0.30
"""Contribution margin on restaurant sales (assumption)."""

PRICE_ELASTICITY = 1.8
"""ε in Q = Q0·(1 − Δp)^(−ε) (assumption for home furnishings; explorable)."""

VISIT_PRICE_SHARE = 1 / 3
"""Share of the price response that comes as more visits rather than bigger
baskets (assumption)."""

STORE_VISITS_PER_YEAR = VISITS_FY2013 / GROUP_STORES_FY2013
"""Visits to one store a year: IKEA Group's 690 m visits over its 303 stores
in FY2013 [M], about 2.28 million (an average store, for scale)."""

# --------------------------------------------------------------------------
# Catalogue model: assumptions for teaching
# --------------------------------------------------------------------------

HOUSEHOLD_MIX = np.array([0.20, 0.30, 0.25, 0.15, 0.10])
"""Households in the catchment by segment (assumption)."""

BASE_VISIT_RATE = np.array([2.2, 2.4, 1.6, 2.6, 3.0])
"""Store visits a year without a catalogue for a household next to the store
(assumption); falls with distance: rate·exp(−km / 25)."""
DISTANCE_SCALE_KM = 25.0
DISTANCE_MEAN_KM = 15.0

CATALOGUE_UPLIFT = np.array([0.10, 0.08, 0.06, 0.03, 0.0])
"""Relative rise in visits when a household gets the catalogue (assumption:
strongest for people furnishing a first home or a family home)."""

AD_UPLIFT = 0.01
"""Relative rise in visits from mass advertising (TV, outdoor), for every
household it reaches (assumption)."""

COPY_COST = 15.0
"""Print and delivery cost of one catalogue copy at IKEA's scale, ¥
(assumption: a 300-page book printed in runs of 200 m copies)."""

AD_COST_PER_HOUSEHOLD = 2.0
"""Cost of mass advertising per household reached in a year, ¥ (assumption)."""

CATALOGUE_DESIGN_COST = 100e6
"""Fixed cost of producing a catalogue edition (photography, design, 30+
languages), ¥ (assumption); spread over IKEA's 200 m copies it is ¥0.5 a copy,
over a rival's 1 m copies ¥100 a copy."""

CATCHMENT_HOUSEHOLDS = 1.0e6
"""Households the simulated catalogue sample stands for (assumption)."""

MAX_N = 1_000_000
"""Most visits or households one simulation makes (the course uses 5,000 and 20,000)."""
IKEA_SEED = 2006
"""Seed of the shipped IKEA datasets (the year of the 175 m catalogue run)."""

# --------------------------------------------------------------------------
# Assumptions and their plausible ranges
# --------------------------------------------------------------------------

ASSUMPTIONS = {
    "push_dwell_cut": Assumption(
        PUSH_DWELL_CUT, 0.0, 0.5, "share of visit time",
        "Assumed: pressure shortens browsing. No source measures it; 0 means pushing does not "
        "shorten a visit at all."),
    "push_close": Assumption(
        PUSH_CLOSE, 0.0, 0.25, "chance of a planned sale",
        "Assumed extra chance that a salesperson closes a planned sale."),
    "staff_knowledge": Assumption(
        STAFF_KNOWLEDGE, 0.2, 0.7, "knowledge score 0–1",
        "Assumed: what a pitch teaches a visitor, against about 0.9 after 20 labels."),
    "sales_minutes": Assumption(
        SALES_MINUTES, 5.0, 20.0, "staff minutes per pitch",
        "Assumed length of one sales conversation."),
    "ask_minutes": Assumption(
        ASK_MINUTES, 2.0, 8.0, "staff minutes per question",
        "Assumed length of answering one visitor's question."),
    "labels_for_half_informed": Assumption(
        LABELS_FOR_HALF_INFORMED, 3.0, 12.0, "labels read",
        "Assumed: labels a visitor must read to be half-informed."),
    "label_read_max": Assumption(
        LABEL_READ_MAX, 0.3, 0.6, "chance per item looked at",
        "Assumed chance of reading a label of the richest quality."),
    "p_buy_knowledge": Assumption(
        P_BUY_KNOWLEDGE, 0.25, 0.55, "chance of a planned sale",
        "Assumed: how much knowledge raises the chance of buying the planned items."),
    "p_impulse_knowledge": Assumption(
        P_IMPULSE_KNOWLEDGE, 0.25, 0.55, "chance of an unplanned sale",
        "Assumed: how much knowledge raises the chance of buying something unplanned."),
    "sat_push": Assumption(
        SAT_PUSH, -1.2, 0.0, "points on the 1–5 scale",
        "Assumed after the source's argument that pushed buyers feel cheated. Satisfaction does "
        "not feed sales in the model."),
    "regret_push": Assumption(
        REGRET_PUSH, 0.0, 0.3, "chance a buyer regrets",
        "Assumed after the source's argument. Regret does not feed sales or returns in the model."),
    "sales_push_share": Assumption(
        STORE_FORMATS["sales_staff"]["push_share"], 0.5, 1.0, "share of visitors pushed",
        "Assumed for a conventional furniture store with sales staff."),
    "sales_label_quality": Assumption(
        STORE_FORMATS["sales_staff"]["label_quality"], 0.0, 0.6, "label quality 0–1",
        "Assumed: a conventional store's labels (price and little else)."),
    "staff_wage": Assumption(
        STAFF_WAGE, 30.0, 80.0, "¥ per staff hour",
        "Assumed cost of a store employee's hour, with social charges, in a large Chinese city."),
    "label_cost": Assumption(
        LABEL_COST, 0.5, 3.0, "¥ per visitor",
        "Assumed cost of writing, translating and keeping up rich labels."),
    "reference_margin": Assumption(
        REFERENCE_MARGIN, 0.25, 0.45, "share of the reference price",
        "Assumed gross margin of an assembled product in home furnishing retail."),
    "food_margin": Assumption(
        FOOD_MARGIN, 0.15, 0.45, "share of restaurant sales",
        "Assumed contribution margin of the restaurant."),
    "price_elasticity": Assumption(
        PRICE_ELASTICITY, 1.0, 3.0, "ε",
        "Assumed price elasticity of demand for home furnishing."),
    "visit_price_share": Assumption(
        VISIT_PRICE_SHARE, 0.1, 0.5, "share of the price response",
        "Assumed share of the price response that comes as more visits."),
    "copy_cost": Assumption(
        COPY_COST, 8.0, 25.0, "¥ per copy",
        "Assumed print and delivery cost of a 300-page book in runs of 200 m copies."),
    "ad_cost_per_household": Assumption(
        AD_COST_PER_HOUSEHOLD, 1.0, 4.0, "¥ per household a year",
        "Assumed cost of mass advertising per household reached."),
    "ad_uplift": Assumption(
        AD_UPLIFT, 0.005, 0.03, "relative rise in visits",
        "Assumed effect of mass advertising on a household's visits."),
    "catalogue_design_cost": Assumption(
        CATALOGUE_DESIGN_COST, 50e6, 200e6, "¥ per edition",
        "Assumed fixed cost of a catalogue edition (photography, design, 30+ languages)."),
}
"""Every scalar assumption of the store and catalogue models, with the value
the model uses and a plausible low–high range (``sensitivity.Assumption``).
Figures calibrated to a source (impulse share, visit length, diners who only
eat, the Ektorp price cut, visits per store) are not listed here."""

GAP_ASSUMPTIONS = {
    "impulse_share": Assumption(
        IMPULSE_SHARE, 0.3, 0.7, "share of goods spending",
        "Alan Penn's estimate (folklore-grade): calibrated to a source, but a weak one."),
    **{k: ASSUMPTIONS[k] for k in (
        "push_dwell_cut", "push_close", "staff_knowledge", "sales_minutes", "ask_minutes",
        "labels_for_half_informed", "label_read_max", "p_buy_knowledge", "p_impulse_knowledge",
        "sat_push", "regret_push", "sales_push_share", "sales_label_quality", "staff_wage",
        "label_cost", "reference_margin", "food_margin")},
}
"""The assumptions :func:`self_service_gap` takes, for the tornado chart of
the case's main conclusion."""

GAP_LABELS = {
    "impulse_share": "Impulse share of spending",
    "push_dwell_cut": "Visit shortened by pushing",
    "push_close": "Extra close when pushed",
    "staff_knowledge": "Knowledge from a pitch",
    "sales_minutes": "Staff minutes per pitch",
    "ask_minutes": "Staff minutes per question",
    "labels_for_half_informed": "Labels to be half-informed",
    "label_read_max": "Chance of reading a rich label",
    "p_buy_knowledge": "Knowledge effect on planned buying",
    "p_impulse_knowledge": "Knowledge effect on impulse buying",
    "sat_push": "Satisfaction lost when pushed",
    "regret_push": "Extra regret when pushed",
    "sales_push_share": "Visitors pushed (sales-staff store)",
    "sales_label_quality": "Label quality (sales-staff store)",
    "staff_wage": "Staff cost per hour",
    "label_cost": "Cost of rich labels per visitor",
    "reference_margin": "Gross margin of an assembled product",
    "food_margin": "Restaurant margin",
}
"""Human labels of :data:`GAP_ASSUMPTIONS` for tables and charts."""

_BEHAVIOUR = ("push_dwell_cut", "push_close", "staff_knowledge", "labels_for_half_informed",
              "label_read_max", "p_buy_knowledge", "p_impulse_knowledge", "ask_minutes",
              "sales_minutes", "sat_push", "regret_push")


def _behaviour(params=None) -> dict:
    """The visitor-behaviour parameters: module values, with ``params``
    overriding any of them by name."""
    p = {"push_dwell_cut": PUSH_DWELL_CUT, "push_close": PUSH_CLOSE, "staff_knowledge": STAFF_KNOWLEDGE,
         "labels_for_half_informed": LABELS_FOR_HALF_INFORMED, "label_read_max": LABEL_READ_MAX,
         "p_buy_knowledge": P_BUY_KNOWLEDGE, "p_impulse_knowledge": P_IMPULSE_KNOWLEDGE,
         "ask_minutes": ASK_MINUTES, "sales_minutes": SALES_MINUTES, "sat_push": SAT_PUSH,
         "regret_push": REGRET_PUSH}
    if params:
        if not isinstance(params, dict):
            raise TypeError(f"`params` must be a dict name → value, got {type(params).__name__}")
        unknown = sorted(set(params) - set(p))
        if unknown:
            raise ValueError(f"`params` must use the names {sorted(p)}; got {unknown}")
        for k, v in params.items():
            lo, hi = (-5.0, 5.0) if k == "sat_push" else (0.0, 60.0)
            p[k] = check_number(f"params[{k!r}]", v, low=lo, high=hi)
        if p["labels_for_half_informed"] <= 0:
            raise ValueError(f"`params['labels_for_half_informed']` must be > 0, got {p['labels_for_half_informed']}")
    return p

# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------

_SEG_KIND = "ordered:" + ",".join(SEGMENTS)

VISIT_SCHEMA = {
    "visit_id": ("int", "visitor number; the same visitor appears once in each store (paired)"),
    "store": ("ordered:" + ",".join(STORES),
              "transparent = self-service, rich labels, no pushing; sales_staff = thin labels, staff push"),
    "segment": (_SEG_KIND, "first_home / family / upgrader / day_out / food_only (visitor type)"),
    "planned": ("bool", "came with a shopping list (True/False)"),
    "dwell_min": ("float", "time in the store (minutes)"),
    "items_looked": ("int", "products looked at along the showroom path (count)"),
    "labels_read": ("int", "product labels read (count)"),
    "pushed": ("bool", "approached by a sales person who pushed a product (True/False)"),
    "asked_staff": ("bool", "asked a staff member for help (True/False)"),
    "staff_min": ("float", "staff time spent on this visitor (minutes)"),
    "bought_planned": ("bool", "bought the planned items (True/False)"),
    "planned_spend": ("float", "spend on planned items (¥)"),
    "bought_impulse": ("bool", "bought something not planned (True/False)"),
    "impulse_spend": ("float", "spend on unplanned items (¥)"),
    "basket": ("float", "goods spend = planned_spend + impulse_spend (¥)"),
    "ate": ("bool", "ate in the restaurant (True/False)"),
    "food_spend": ("float", "restaurant spend (¥)"),
    "satisfaction": ("int", "satisfaction with the visit, from 1 = very dissatisfied to 5 = very satisfied (score)"),
    "regret": ("bool", "buyer regrets a purchase (felt talked into it or misinformed) (True/False)"),
}

HOUSEHOLD_SCHEMA = {
    "household_id": ("int", "household number"),
    "segment": (_SEG_KIND, "first_home / family / upgrader / day_out / food_only (household type)"),
    "distance_km": ("float", "distance to the store (km)"),
    "got_catalogue": ("bool", "received the printed catalogue this year (True/False)"),
    "visits": ("int", "store visits in the year (count)"),
    "visits_triggered": ("int", "of those, visits the catalogue caused (count; simulated, not observable in practice)"),
    "spend": ("float", "goods spend in the store over the year (¥)"),
    "spend_triggered": ("float", "of that, spend on the catalogue-triggered visits (¥)"),
}


# --------------------------------------------------------------------------
# Store visits
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitDraws:
    """All random numbers of a set of visitors, drawn once.

    Every store and every what-if setting is computed from the same draws
    (common random numbers), so differences come from the settings only.
    """

    segment: np.ndarray
    u_plan: np.ndarray
    z_list: np.ndarray
    z_dwell: np.ndarray
    z_items: np.ndarray
    z_labels: np.ndarray
    u_push: np.ndarray
    u_buy: np.ndarray
    u_impulse: np.ndarray
    z_impulse: np.ndarray
    u_eat: np.ndarray
    z_food: np.ndarray
    u_ask: np.ndarray
    z_sat: np.ndarray
    u_regret: np.ndarray

    @property
    def n(self) -> int:
        return int(self.segment.size)


def draw_visits(n=5000, *, seed=None) -> VisitDraws:
    """Draw the random numbers for ``n`` visitors (in a fixed order).

    Parameters
    ----------
    n : int >= 1
    seed : None, int or numpy Generator

    Examples
    --------
    >>> d = draw_visits(10, seed=1)
    >>> d.n
    10
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=1, integer=True)
    rng = check_seed("seed", seed)
    seg = rng.choice(len(SEGMENTS), size=n, p=SEGMENT_MIX / SEGMENT_MIX.sum())
    return VisitDraws(
        segment=seg,
        u_plan=rng.random(n), z_list=rng.standard_normal(n), z_dwell=rng.standard_normal(n),
        z_items=rng.standard_normal(n), z_labels=rng.standard_normal(n), u_push=rng.random(n),
        u_buy=rng.random(n), u_impulse=rng.random(n), z_impulse=rng.standard_normal(n),
        u_eat=rng.random(n), z_food=rng.standard_normal(n), u_ask=rng.random(n),
        z_sat=rng.standard_normal(n), u_regret=rng.random(n),
    )


def _count(mean, z):
    """A count with the given mean from a standard normal draw (normal
    approximation to Poisson/binomial noise; monotone in ``mean`` so common
    random numbers stay paired)."""
    return np.maximum(0, np.rint(mean + np.sqrt(np.maximum(mean, 0)) * z)).astype("int64")


def _lognormal(mean, sigma, z):
    return mean * np.exp(sigma * z - sigma**2 / 2)


def _knowledge(labels_read, half=LABELS_FOR_HALF_INFORMED):
    return 1.0 - np.exp(-np.asarray(labels_read, float) * np.log(2) / half)


def _core(d: VisitDraws, label_quality: float, push_share: float, p: dict | None = None) -> dict:
    """Everything except the impulse scaling, for one store setting
    (``p``: behaviour parameters from :func:`_behaviour`)."""
    p = _behaviour() if p is None else p
    seg = d.segment
    planned = d.u_plan < PLAN_PROB[seg]
    pushed = (d.u_push < push_share) & (seg != SEGMENTS.index("food_only"))
    dwell = _lognormal(DWELL_MEAN[seg], DWELL_SIGMA, d.z_dwell) * np.where(pushed, 1 - p["push_dwell_cut"], 1.0)
    items = _count(ITEMS_PER_MINUTE * dwell, d.z_items)
    p_read = LABEL_READ_MIN + (p["label_read_max"] - LABEL_READ_MIN) * label_quality
    labels = np.minimum(items, _count(items * p_read, d.z_labels))
    know = _knowledge(labels, p["labels_for_half_informed"])
    know = np.where(pushed, np.maximum(know, p["staff_knowledge"]), know)
    p_buy = np.clip(P_BUY_BASE + p["p_buy_knowledge"] * know + p["push_close"] * pushed, 0, 1)
    bought_planned = planned & (d.u_buy < p_buy)
    list_value = _lognormal(LIST_VALUE[seg], LIST_SIGMA, d.z_list)
    planned_spend = np.where(bought_planned, list_value, 0.0)
    p_imp = (P_IMPULSE_BASE + p["p_impulse_knowledge"] * know) * np.minimum(1.0, items / IMPULSE_ITEMS_REF)
    p_imp = np.where(LIST_VALUE[seg] > 0, p_imp, 0.0)
    bought_impulse = d.u_impulse < p_imp
    raw_impulse = np.where(bought_impulse, items * _lognormal(1.0, IMPULSE_SIGMA, d.z_impulse), 0.0)
    return dict(planned=planned, pushed=pushed, dwell=dwell, items=items, labels=labels, know=know,
                bought_planned=bought_planned, planned_spend=planned_spend,
                bought_impulse=bought_impulse, raw_impulse=raw_impulse)


_SCALE_CACHE: dict = {}


def _impulse_scale(d: VisitDraws, p: dict | None = None) -> np.ndarray:
    """Per-segment ¥ per unit of raw impulse so that, in the reference store
    (transparent) and with impulse share i, unplanned spending is i/(1 − i)
    of planned spending in every segment. Cached per set of draws and
    behaviour parameters (the calibration holds whatever they are)."""
    p = _behaviour() if p is None else p
    key = (id(d), tuple(sorted(p.items())))
    hit = _SCALE_CACHE.get(key)
    if hit is not None and hit[0] is d:
        return hit[1]
    ref = _core(d, **STORE_FORMATS["transparent"], p=p)
    k = len(SEGMENTS)
    planned = np.bincount(d.segment, weights=ref["planned_spend"], minlength=k)
    raw = np.bincount(d.segment, weights=ref["raw_impulse"], minlength=k)
    scale = np.divide(planned, raw, out=np.zeros(k), where=raw > 0)
    if len(_SCALE_CACHE) > 64:
        _SCALE_CACHE.clear()
    _SCALE_CACHE[key] = (d, scale)
    return scale


def visit_outcomes(draws, *, label_quality, push_share, impulse_share=IMPULSE_SHARE, params=None) -> dict:
    """Outcomes of every visitor in one store setting, from cached draws.

    Parameters
    ----------
    draws : VisitDraws
    label_quality : float in [0, 1]
        How rich and clear the product labels are (0 = price only, 1 = price,
        function, care, how to buy, cartoons on how to judge the product).
    push_share : float in [0, 1]
        Share of visitors a sales person approaches and pushes a product to
        (0 = IKEA's rule: staff may not push).
    impulse_share : float in [0, 0.9]
        Share of goods spending that is unplanned in the reference
        (transparent) store.
    params : dict, optional
        Override behaviour assumptions by name (see :data:`ASSUMPTIONS`):
        push_dwell_cut, push_close, staff_knowledge, labels_for_half_informed,
        label_read_max, p_buy_knowledge, p_impulse_knowledge, ask_minutes,
        sales_minutes, sat_push, regret_push.

    Returns
    -------
    dict of NumPy arrays, one value per visitor (names as in :data:`VISIT_SCHEMA`).

    Notes
    -----
    Knowledge K = 1 − exp(−labels·ln 2 / 6), or at least 0.45 when a sales
    person pitched. Planned purchase with chance 0.40 + 0.45·K (+0.10 when
    pushed); unplanned spending scales with the items looked at and K, and is
    normalised so that the transparent store's impulse share equals
    ``impulse_share``: spend per visitor = planned/(1 − i), the funnel's
    b·B/(1 − i).
    """
    if params is not None and not isinstance(params, dict):
        raise TypeError(f"`params` must be a dict of behaviour parameters or None, got {type(params).__name__}")
    if not isinstance(draws, VisitDraws):
        raise TypeError(f"`draws` must be VisitDraws from draw_visits(), got {type(draws).__name__}")
    q = check_probability("label_quality", label_quality)
    push = check_probability("push_share", push_share)
    i = check_number("impulse_share", impulse_share, low=0.0, high=0.9)
    p = _behaviour(params)
    c = _core(draws, q, push, p)
    seg = draws.segment
    impulse = _impulse_scale(draws, p)[seg] * c["raw_impulse"] * (i / (1 - i))
    ate = draws.u_eat < EAT_PROB[seg]
    food = np.where(ate, _lognormal(FOOD_TICKET, FOOD_SIGMA, draws.z_food), 0.0)
    asked = (~c["pushed"]) & (draws.u_ask < ASK_MAX * (1 - c["know"])) & (seg != SEGMENTS.index("food_only"))
    staff_min = p["ask_minutes"] * asked + p["sales_minutes"] * c["pushed"]
    sat = SAT_BASE + SAT_KNOWLEDGE * c["know"] + p["sat_push"] * c["pushed"] + SAT_FOOD * ate + SAT_NOISE * draws.z_sat
    bought = c["bought_planned"] | c["bought_impulse"]
    p_regret = np.clip(REGRET_BASE + p["regret_push"] * c["pushed"] + REGRET_KNOWLEDGE * c["know"], 0, 1)
    return {
        "planned": c["planned"], "dwell_min": c["dwell"], "items_looked": c["items"],
        "labels_read": c["labels"], "pushed": c["pushed"], "asked_staff": asked,
        "staff_min": staff_min, "bought_planned": c["bought_planned"],
        "planned_spend": c["planned_spend"], "bought_impulse": c["bought_impulse"],
        "impulse_spend": impulse, "basket": c["planned_spend"] + impulse, "ate": ate,
        "food_spend": food, "satisfaction": np.clip(np.rint(sat), 1, 5).astype("int64"),
        "regret": bought & (draws.u_regret < p_regret),
        "_knowledge": c["know"],
    }


def make_ikea_visits(n=5000, *, store="transparent", seed=None, label_quality=None, push_share=None,
                     impulse_share=IMPULSE_SHARE) -> pd.DataFrame:
    """Simulate ``n`` visits to one IKEA-style store.

    Parameters
    ----------
    n : int >= 1
        Number of visitors.
    store : {"transparent", "sales_staff"}
        Store format; sets the default label quality and push share
        (:data:`STORE_FORMATS`).
    seed : None, int or numpy Generator
        The same seed gives the same visitors in either store (common random
        numbers).
    label_quality, push_share : float in [0, 1], optional
        Override the store format's settings.
    impulse_share : float in [0, 0.9]
        Unplanned share of goods spending in the transparent store
        (Alan Penn's ≈ 0.6 [F/M]).

    Returns
    -------
    DataFrame with the columns of :data:`VISIT_SCHEMA`, in that order.

    Examples
    --------
    >>> a = make_ikea_visits(200, store="transparent", seed=3)
    >>> b = make_ikea_visits(200, store="sales_staff", seed=3)
    >>> bool((a["segment"] == b["segment"]).all())   # same visitors
    True
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=1, integer=True)
    check_choice("store", store, STORES)
    fmt = STORE_FORMATS[store]
    q = fmt["label_quality"] if label_quality is None else label_quality
    p = fmt["push_share"] if push_share is None else push_share
    draws = draw_visits(n, seed=seed)
    out = visit_outcomes(draws, label_quality=q, push_share=p, impulse_share=impulse_share)
    return _visit_frame(draws, out, store)


def _visit_frame(draws, out, store) -> pd.DataFrame:
    n = draws.n
    cols = {
        "visit_id": np.arange(1, n + 1, dtype="int64"),
        "store": pd.Categorical.from_codes(np.full(n, STORES.index(store)), categories=list(STORES), ordered=True),
        "segment": pd.Categorical.from_codes(draws.segment, categories=list(SEGMENTS), ordered=True),
    }
    money = ("planned_spend", "impulse_spend", "basket", "food_spend")
    for name in list(VISIT_SCHEMA)[3:]:
        v = out[name]
        if name in money:
            v = np.round(v, 2)
        elif name in ("dwell_min", "staff_min"):
            v = np.round(v, 1)
        cols[name] = v
    return pd.DataFrame(cols)


def compare_stores(n=5000, *, seed=None, impulse_share=IMPULSE_SHARE) -> pd.DataFrame:
    """The same ``n`` visitors in both stores (2·n rows, transparent first).

    Examples
    --------
    >>> df = compare_stores(100, seed=1)
    >>> df["store"].value_counts().tolist()
    [100, 100]
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=1, integer=True)
    rng = check_seed("seed", seed)
    draws = draw_visits(n, seed=rng)
    frames = [_visit_frame(draws, visit_outcomes(draws, impulse_share=impulse_share, **STORE_FORMATS[s]), s)
              for s in STORES]
    return pd.concat(frames, ignore_index=True)


def gross_margin_rate(price_cut=BASE_PRICE_CUT, *, volume_cut=EKTORP_VOLUME_CUT,
                      logistics_share=LOGISTICS_SHARE, reference_margin=REFERENCE_MARGIN) -> float:
    """Gross margin on sales after a price cut funded by a packed-volume cut.

    Notes
    -----
    In units of the reference price: price 1 − Δp, unit cost
    (1 − m_ref) − L·x, so margin rate = (m_ref + L·x − Δp) / (1 − Δp).
    At the defaults (Ektorp: x = 0.5, L = 0.28, Δp = 0.14, m_ref = 0.35) it is
    0.35 / 0.86 ≈ 0.407.

    Examples
    --------
    >>> round(gross_margin_rate(0.14), 3)
    0.407
    >>> round(gross_margin_rate(0.14, volume_cut=0.0), 3)   # price cut without flat-pack
    0.244
    """
    dp = check_number("price_cut", price_cut, low=0.0, high=0.9)
    x = check_probability("volume_cut", volume_cut)
    L = check_probability("logistics_share", logistics_share)
    m = check_probability("reference_margin", reference_margin)
    return (m + L * x - dp) / (1 - dp)


def store_summary(visits, *, gross_margin=None) -> pd.DataFrame:
    """Key figures per store from a visits frame (one row per store).

    Columns: visitors, conversion (share who bought anything), planned
    conversion (of visitors with a list), basket per buyer (¥), revenue per
    visitor (goods + food, ¥), impulse share of goods, labels read, dwell
    (minutes), staff minutes, cost per visitor (staff + labels, ¥),
    contribution per visitor (gross margin on goods + food margin − cost,
    ¥; before rent, fixed staff, central costs and tax, so not profit),
    satisfaction (mean 1–5) and regret (share of buyers). Satisfaction and
    regret follow from assumed effects of pushing (:data:`ASSUMPTIONS`).

    Examples
    --------
    >>> s = store_summary(compare_stores(500, seed=2))
    >>> list(s.index)
    ['transparent', 'sales_staff']
    """
    check_frame("visits", visits)
    if visits.empty:
        raise ValueError("`visits` must have at least one row (from make_ikea_visits), got an empty table")
    df = check_frame("visits", visits, list(VISIT_SCHEMA)[1:])
    g = gross_margin_rate() if gross_margin is None else check_probability("gross_margin", gross_margin)
    rows = {}
    for store, v in df.groupby("store", observed=True, sort=True):
        fmt = STORE_FORMATS.get(str(store), {"label_quality": 0.0})
        buyers = v["bought_planned"] | v["bought_impulse"]
        revenue = v["basket"] + v["food_spend"]
        cost = v["staff_min"] / 60 * STAFF_WAGE + LABEL_COST * fmt["label_quality"]
        contribution = g * v["basket"] + FOOD_MARGIN * v["food_spend"] - cost
        rows[str(store)] = {
            "visitors": len(v),
            "conversion": buyers.mean(),
            "planned conversion": v.loc[v["planned"], "bought_planned"].mean(),
            "basket per buyer (¥)": v.loc[buyers, "basket"].mean(),
            "revenue per visitor (¥)": revenue.mean(),
            "impulse share of goods": v["impulse_spend"].sum() / v["basket"].sum(),
            "labels read": v["labels_read"].mean(),
            "dwell (min)": v["dwell_min"].mean(),
            "staff minutes per visitor": v["staff_min"].mean(),
            "cost per visitor (¥)": cost.mean(),
            "contribution per visitor (¥)": contribution.mean(),
            "satisfaction (1-5)": v["satisfaction"].mean(),
            "regret (share of buyers)": v.loc[buyers, "regret"].mean(),
        }
    return pd.DataFrame(rows).T


def store_formats_table(settings=None, *, draws=None) -> pd.DataFrame:
    """Separate the effect of thin labels from the effect of pushing, on the
    same visitors (common random numbers).

    Parameters
    ----------
    settings : dict name → (label_quality, push_share), optional
        Default: the transparent store, thin labels only, pushing only, and
        the sales-staff store.
    draws : VisitDraws, optional
        Default: the shipped dataset's 5,000 visitors.

    Returns
    -------
    DataFrame, one row per setting: planned conversion, impulse share,
    dwell (min), revenue, cost and contribution per visitor (¥),
    satisfaction, regret (share of buyers).

    Examples
    --------
    >>> t = store_formats_table()
    >>> list(t.index)[0]
    'transparent (rich labels, no push)'
    """
    if settings is None:
        settings = {
            "transparent (rich labels, no push)": (0.9, 0.0),
            "thin labels, no push": (0.3, 0.0),
            "rich labels, staff push": (0.9, 0.8),
            "sales-staff store (thin labels, push)": (0.3, 0.8),
        }
    if not isinstance(settings, dict) or not settings:
        raise ValueError(f"`settings` must be a non-empty dict name → (label_quality, push_share), got {settings!r}")
    d = _default_draws() if draws is None else draws
    g = gross_margin_rate()
    rows = {}
    for name, pair in settings.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ValueError(f"`settings[{name!r}]` must be a pair (label_quality, push_share), got {pair!r}")
        q, push = pair
        o = visit_outcomes(d, label_quality=q, push_share=push)
        buyers = o["bought_planned"] | o["bought_impulse"]
        m = _money(o, q, g)
        rows[name] = {
            "planned conversion": o["bought_planned"][o["planned"]].mean(),
            "impulse share of goods": o["impulse_spend"].sum() / max(o["basket"].sum(), 1e-9),
            "dwell (min)": o["dwell_min"].mean(),
            "revenue per visitor (¥)": m["revenue"],
            "cost per visitor (¥)": m["cost"],
            "contribution per visitor (¥)": m["contribution"],
            "satisfaction (1-5)": o["satisfaction"].mean(),
            "regret (share of buyers)": o["regret"][buyers].mean(),
        }
    return pd.DataFrame(rows).T.astype(float)


def _money(o, label_quality, g, *, staff_wage=STAFF_WAGE, label_cost=LABEL_COST,
           food_margin=FOOD_MARGIN) -> dict:
    """Mean revenue, visitor-level cost and contribution per visitor (¥) of
    one store's visitor outcomes."""
    revenue = float(np.mean(o["basket"] + o["food_spend"]))
    cost = float(np.mean(o["staff_min"])) / 60 * staff_wage + label_cost * label_quality
    contribution = g * float(np.mean(o["basket"])) + food_margin * float(np.mean(o["food_spend"])) - cost
    return {"revenue": revenue, "cost": cost, "contribution": contribution}


_GAP_STORE_KEYS = ("sales_push_share", "sales_label_quality", "impulse_share", "staff_wage", "label_cost",
                   "reference_margin", "food_margin")


def self_service_gap(measure="contribution", *, draws=None, **params) -> float:
    """The case's main conclusion as one number: the self-service
    (transparent) store's revenue or contribution per visitor minus the
    sales-staff store's, on the same visitors (¥ per visitor).

    Parameters
    ----------
    measure : {"contribution", "revenue"}
    draws : VisitDraws, optional
        Default: the shipped dataset's 5,000 visitors (cached draws, so a call
        takes milliseconds).
    **params
        Any assumption of :data:`GAP_ASSUMPTIONS` by name, e.g.
        ``push_dwell_cut=0.0``; the others keep their module values.

    Returns
    -------
    float, ¥ per visitor (positive: self-service earns more).

    Notes
    -----
    Contribution = g·basket + food margin·food − staff minutes/60·wage −
    label cost·label quality, with g = :func:`gross_margin_rate` at the
    given reference margin. The impulse scaling is recalibrated for each set
    of behaviour parameters, so the transparent store's impulse share stays
    at ``impulse_share``.

    Examples
    --------
    >>> self_service_gap() > 0
    True
    >>> self_service_gap(regret_push=0.3) == self_service_gap()   # regret does not feed money
    True
    """
    check_choice("measure", measure, ("contribution", "revenue"))
    unknown = sorted(set(params) - set(_BEHAVIOUR) - set(_GAP_STORE_KEYS))
    if unknown:
        raise ValueError(f"`params` must use the names of GAP_ASSUMPTIONS {sorted(GAP_ASSUMPTIONS)}; got {unknown}")
    if draws is not None and not isinstance(draws, VisitDraws):
        raise TypeError(f"`draws` must be VisitDraws from draw_visits(), got {type(draws).__name__}")
    d = _default_draws() if draws is None else draws
    beh = {k: v for k, v in params.items() if k in _BEHAVIOUR}
    i = params.get("impulse_share", IMPULSE_SHARE)
    q_tr = STORE_FORMATS["transparent"]["label_quality"]
    q_ss = check_probability("sales_label_quality",
                             params.get("sales_label_quality", STORE_FORMATS["sales_staff"]["label_quality"]))
    push_ss = check_probability("sales_push_share",
                                params.get("sales_push_share", STORE_FORMATS["sales_staff"]["push_share"]))
    m = check_probability("reference_margin", params.get("reference_margin", REFERENCE_MARGIN))
    g = gross_margin_rate(reference_margin=m)
    costs = {"staff_wage": check_positive("staff_wage", params.get("staff_wage", STAFF_WAGE), allow_zero=True),
             "label_cost": check_positive("label_cost", params.get("label_cost", LABEL_COST), allow_zero=True),
             "food_margin": check_probability("food_margin", params.get("food_margin", FOOD_MARGIN))}
    push_tr = STORE_FORMATS["transparent"]["push_share"]
    if draws is None:   # cached: a tornado reuses each store's outcomes across cost parameters
        key = tuple(sorted(beh.items()))
        tr = _cached_outcomes(q_tr, push_tr, i, key)
        ss = _cached_outcomes(q_ss, push_ss, i, key)
    else:
        tr = visit_outcomes(d, label_quality=q_tr, push_share=push_tr, impulse_share=i, params=beh)
        ss = visit_outcomes(d, label_quality=q_ss, push_share=push_ss, impulse_share=i, params=beh)
    return _money(tr, q_tr, g, **costs)[measure] - _money(ss, q_ss, g, **costs)[measure]


def pushing_alone_table(dwell_cuts=(0.0, 0.15, 0.30, 0.50)) -> pd.DataFrame:
    """What pushing alone (rich labels kept) does to revenue and contribution
    per visitor, for several assumed cuts in visit length.

    The shorter visit of a pushed visitor is an assumption, not a finding
    (:data:`ASSUMPTIONS` ``push_dwell_cut``); this table shows how far the
    "pushing does not pay" result rests on it. Positive numbers: the store
    without pushing earns more.

    Examples
    --------
    >>> t = pushing_alone_table((0.0, 0.3))
    >>> list(t.columns)
    ['revenue gap (¥)', 'contribution gap (¥)']
    """
    if isinstance(dwell_cuts, (str, bytes, dict, set)) or not isinstance(dwell_cuts, (list, tuple, range, np.ndarray, pd.Series)):
        raise TypeError(f"`dwell_cuts` must be a list of numbers, got {dwell_cuts!r:.60} ({type(dwell_cuts).__name__})")
    if not 0 < len(dwell_cuts) <= 1_000:
        raise ValueError(f"`dwell_cuts` must list 1 to 1,000 values, got {len(dwell_cuts):,}")
    cuts = [check_number("dwell_cuts", c, low=0.0, high=0.9) for c in dwell_cuts]
    if not cuts:
        raise ValueError("`dwell_cuts` must list at least one value, got none")
    rich = STORE_FORMATS["transparent"]["label_quality"]
    rows = {c: {"revenue gap (¥)": self_service_gap("revenue", sales_label_quality=rich, push_dwell_cut=c),
                "contribution gap (¥)": self_service_gap("contribution", sales_label_quality=rich,
                                                         push_dwell_cut=c)}
            for c in cuts}
    t = pd.DataFrame(rows).T
    t.index = pd.Index(cuts, name="visit shortened by pushing")
    return t


def self_service_worst_case(table) -> dict:
    """Every assumption at the end of its range that is worst for self-service,
    all at once (a tornado varies one at a time, so it cannot show this).

    Parameters
    ----------
    table : DataFrame from ``sensitivity.tornado(self_service_gap, GAP_ASSUMPTIONS)``

    Returns
    -------
    dict: ``params`` (the worst end of each), ``contribution`` and ``revenue``
    gaps (¥ per visitor) with all of them together.
    """
    df = check_frame("table", table, ["low", "high", "figure_low", "figure_high"])
    unknown = sorted(set(df.index) - set(GAP_ASSUMPTIONS))
    if unknown:
        raise ValueError(f"`table` must be a tornado over GAP_ASSUMPTIONS; it has {unknown}")
    worst = {str(n): float(r["low"] if r["figure_low"] <= r["figure_high"] else r["high"])
             for n, r in df.iterrows()}
    return {"params": worst, "contribution": self_service_gap("contribution", **worst),
            "revenue": self_service_gap("revenue", **worst)}


def paired_differences(visits) -> pd.DataFrame:
    """Sales-staff store minus transparent store, visitor by visitor (common
    random numbers), by segment: mean difference in basket, food, staff
    minutes and satisfaction.

    Examples
    --------
    >>> t = paired_differences(compare_stores(300, seed=4))
    >>> "all visitors" in t.index
    True
    """
    df = check_frame("visits", visits, ["visit_id", "store", "segment", "basket", "food_spend",
                                        "staff_min", "satisfaction"])
    a = df[df["store"] == "transparent"].set_index("visit_id")
    b = df[df["store"] == "sales_staff"].set_index("visit_id")
    if len(a) == 0 or len(b) == 0:
        raise ValueError("`visits` must hold both stores (use compare_stores); got "
                         f"{sorted(map(str, df['store'].unique()))}")
    common = a.index.intersection(b.index)
    a, b = a.loc[common], b.loc[common]
    cols = ["basket", "food_spend", "staff_min", "satisfaction"]
    diff = (b[cols].astype(float) - a[cols].astype(float))
    diff["segment"] = a["segment"]
    out = diff.groupby("segment", observed=True)[cols].mean()
    out.loc["all visitors"] = diff[cols].mean()
    return out.rename(columns={"basket": "basket (¥)", "food_spend": "food (¥)",
                               "staff_min": "staff minutes", "satisfaction": "satisfaction (points)"})


def revenue_per_visitor(conversion, basket, impulse_share, food_attach, food_ticket) -> float:
    """The store funnel: revenue per visitor = b·B/(1 − i) + f·F.

    Parameters
    ----------
    conversion : float in [0, 1]
        b, share of visitors who buy the planned items.
    basket : float >= 0
        B, planned spend per buyer (¥).
    impulse_share : float in [0, 1)
        i, unplanned share of goods spending.
    food_attach : float in [0, 1]
        f, share of visitors who eat.
    food_ticket : float >= 0
        F, spend per diner (¥).

    Examples
    --------
    >>> revenue_per_visitor(0.5, 400, 0.6, 0.3, 20)
    506.0
    """
    b = check_probability("conversion", conversion)
    B = check_positive("basket", basket, allow_zero=True)
    i = check_probability("impulse_share", impulse_share, allow_one=False)
    f = check_probability("food_attach", food_attach)
    F = check_positive("food_ticket", food_ticket, allow_zero=True)
    return b * B / (1 - i) + f * F


# --------------------------------------------------------------------------
# Catalogue (DM)
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Households:
    segment: np.ndarray
    distance: np.ndarray
    u_rank: np.ndarray
    base_visits: np.ndarray
    extra_visits: np.ndarray
    z_spend: np.ndarray

    @property
    def base_rate(self):
        return BASE_VISIT_RATE[self.segment] * np.exp(-self.distance / DISTANCE_SCALE_KM)


def _draw_households(n, rng) -> _Households:
    seg = rng.choice(len(SEGMENTS), size=n, p=HOUSEHOLD_MIX / HOUSEHOLD_MIX.sum())
    dist = rng.exponential(DISTANCE_MEAN_KM, n)
    rate = BASE_VISIT_RATE[seg] * np.exp(-dist / DISTANCE_SCALE_KM)
    return _Households(segment=seg, distance=dist, u_rank=rng.random(n),
                       base_visits=rng.poisson(rate), extra_visits=rng.poisson(rate * CATALOGUE_UPLIFT[seg]),
                       z_spend=rng.standard_normal(n))


def _spend_per_visit() -> np.ndarray:
    """Goods spend per visit by segment (¥), from the transparent store at
    the default seed (cached)."""
    return _default_store_means()["basket"]


@functools.cache
def _default_store_means() -> dict:
    draws = _default_draws()
    out = visit_outcomes(draws, **STORE_FORMATS["transparent"])
    k = len(SEGMENTS)
    cnt = np.bincount(draws.segment, minlength=k)
    return {name: np.bincount(draws.segment, weights=np.asarray(out[name], float), minlength=k) / cnt
            for name in ("basket", "food_spend")}


@functools.cache
def _default_draws() -> VisitDraws:
    return draw_visits(5000, seed=IKEA_SEED)


def _choose(h: _Households, reach, targeted, spend_per_visit):
    n = h.segment.size
    k = int(round(reach * n))
    if targeted:
        score = h.base_rate * CATALOGUE_UPLIFT[h.segment] * spend_per_visit[h.segment]
        order = np.lexsort((h.u_rank, -score))
    else:
        order = np.argsort(h.u_rank, kind="stable")
    got = np.zeros(n, dtype=bool)
    got[order[:k]] = True
    return got


def make_ikea_catalogue(n=20000, *, reach=0.6, targeted=True, seed=None) -> pd.DataFrame:
    """Simulate a year of store visits by ``n`` households in a store's
    catchment, some of whom get the printed catalogue.

    Parameters
    ----------
    n : int >= 1
        Households (the sample stands for :data:`CATCHMENT_HOUSEHOLDS`).
    reach : float in [0, 1]
        Share of households sent a catalogue.
    targeted : bool
        True: send to the households with the highest expected extra spend
        (segment, distance); False: send at random.
    seed : None, int or numpy Generator

    Returns
    -------
    DataFrame with the columns of :data:`HOUSEHOLD_SCHEMA`, in that order.

    Notes
    -----
    Visits = Poisson(λ) + Poisson(λ·u)·got, with λ = rate·exp(−km/25) and u
    the segment's catalogue uplift; both counts are drawn for every
    household, so any reach or targeting reuses the same draws.

    Examples
    --------
    >>> h = make_ikea_catalogue(1000, seed=1)
    >>> round(float(h["got_catalogue"].mean()), 1)
    0.6
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=1, integer=True)
    r = check_probability("reach", reach)
    t = check_bool("targeted", targeted)
    rng = check_seed("seed", seed)
    h = _draw_households(n, rng)
    spv = _spend_per_visit()
    got = _choose(h, r, t, spv)
    triggered = np.where(got, h.extra_visits, 0)
    visits = h.base_visits + triggered
    per_visit = _lognormal(spv[h.segment], 0.5, h.z_spend)
    return pd.DataFrame({
        "household_id": np.arange(1, n + 1, dtype="int64"),
        "segment": pd.Categorical.from_codes(h.segment, categories=list(SEGMENTS), ordered=True),
        "distance_km": np.round(h.distance, 1),
        "got_catalogue": got,
        "visits": visits.astype("int64"),
        "visits_triggered": triggered.astype("int64"),
        "spend": np.round(visits * per_visit, 2),
        "spend_triggered": np.round(triggered * per_visit, 2),
    })


def catalogue_economics(households, *, copy_cost=COPY_COST, gross_margin=None) -> pd.DataFrame:
    """Catalogue return by segment from a households frame.

    Columns: households, copies, cost (¥), visits triggered, extra margin
    (¥: gross margin on triggered spend), contribution (¥: extra margin −
    cost of the copies; no fixed cost such as the catalogue's design is
    deducted) and ROI = contribution / cost; plus an ``all`` row.

    Notes
    -----
    ROI = (g·S_triggered − c·copies) / (c·copies), g the gross margin rate.

    Examples
    --------
    >>> t = catalogue_economics(make_ikea_catalogue(2000, seed=1))
    >>> "all" in t.index
    True
    """
    check_frame("households", households)
    if households.empty:
        raise ValueError("`households` must have at least one row (from make_ikea_catalogue), got an empty table")
    df = check_frame("households", households, ["segment", "got_catalogue", "visits_triggered",
                                                "spend_triggered"])
    c = check_positive("copy_cost", copy_cost)
    g = gross_margin_rate() if gross_margin is None else check_probability("gross_margin", gross_margin)
    grp = df.groupby("segment", observed=True)
    t = pd.DataFrame({
        "households": grp.size(),
        "copies": grp["got_catalogue"].sum(),
        "visits triggered": grp["visits_triggered"].sum(),
        "spend triggered (¥)": grp["spend_triggered"].sum(),
    })
    t.loc["all"] = t.sum()
    t["cost (¥)"] = t["copies"] * c
    t["extra margin (¥)"] = g * t["spend triggered (¥)"]
    t["contribution (¥)"] = t["extra margin (¥)"] - t["cost (¥)"]
    t["ROI"] = np.where(t["cost (¥)"] > 0, t["contribution (¥)"] / t["cost (¥)"].where(t["cost (¥)"] > 0, 1), np.nan)
    return t.astype(float)


def catalogue_vs_ads(households, *, budget_per_household=AD_COST_PER_HOUSEHOLD, copy_cost=COPY_COST,
                     ad_cost=AD_COST_PER_HOUSEHOLD, ad_uplift=AD_UPLIFT) -> pd.DataFrame:
    """Spend exactly the same budget three ways: a targeted catalogue, an
    untargeted (random) mailing, or mass advertising.

    Parameters
    ----------
    households : DataFrame with ``segment`` and ``distance_km``
    budget_per_household : float, ¥ per household in the area
        At most ``ad_cost``: mass advertising reaches every household at that
        cost and has nothing to spend more on, so a bigger budget could not be
        spent equally. The default spends what advertising to everyone costs.
    copy_cost, ad_cost : float, ¥ per catalogue copy and per household reached
    ad_uplift : float, relative rise in visits of a household the ads reach

    Returns
    -------
    DataFrame, one row per option: households reached, cost (¥, equal in
    every row), extra visits, extra margin (¥), contribution (¥: extra margin
    − cost) and ROI = contribution / cost.

    Notes
    -----
    Uses expected extra visits (λ·uplift) of each household, so the result
    does not depend on which households happened to be lucky. The budget
    buys budget/copy_cost copies; a fraction of a copy counts as that
    fraction of the next household's expected gain, so every option spends
    the budget to the yuan.

    Examples
    --------
    >>> t = catalogue_vs_ads(make_ikea_catalogue(2000, seed=1))
    >>> list(t.index)
    ['targeted catalogue', 'untargeted catalogue', 'mass advertising']
    >>> float(t["cost (¥)"].max() - t["cost (¥)"].min())
    0.0
    """
    check_frame("households", households, ["segment", "distance_km"])
    if households.empty:
        raise ValueError("`households` must have at least one row (from make_ikea_catalogue), got an empty table")
    df = check_frame("households", households, ["segment", "distance_km"])
    bph = check_positive("budget_per_household", budget_per_household)
    c = check_positive("copy_cost", copy_cost)
    a = check_positive("ad_cost", ad_cost)
    up = check_probability("ad_uplift", ad_uplift)
    if bph > a:
        raise ValueError(f"`budget_per_household` must be at most `ad_cost` (¥{a:g}): mass advertising reaches "
                         f"every household at that cost and cannot spend more; got ¥{bph:g}")
    if bph > c:
        raise ValueError(f"`budget_per_household` must be at most `copy_cost` (¥{c:g}): the catalogue cannot "
                         f"send more than one copy per household; got ¥{bph:g}")
    seg = df["segment"].cat.codes.to_numpy()
    rate = BASE_VISIT_RATE[seg] * np.exp(-df["distance_km"].to_numpy(float) / DISTANCE_SCALE_KM)
    spv = _spend_per_visit()
    g = gross_margin_rate()
    n = len(df)
    budget = bph * n
    copies = budget / c
    gain = rate * CATALOGUE_UPLIFT[seg]
    value = gain * spv[seg]
    order = np.argsort(-value, kind="stable")
    k = int(np.floor(copies))
    frac = copies - k
    weights = np.zeros(n)
    weights[order[:k]] = 1.0
    if k < n:
        weights[order[k]] = frac
    # An untargeted mailing reaches an average household: expected gain is the mean.
    reach_ads = budget / (a * n)
    rows = {
        "targeted catalogue": (copies, budget, (weights * gain).sum(), (weights * value).sum()),
        "untargeted catalogue": (copies, budget, copies * gain.mean(), copies * value.mean()),
        "mass advertising": (reach_ads * n, budget, reach_ads * (rate * up).sum(),
                             reach_ads * (rate * up * spv[seg]).sum()),
    }
    t = pd.DataFrame(rows, index=["households reached", "cost (¥)", "extra visits", "extra spend (¥)"]).T
    t["extra margin (¥)"] = g * t["extra spend (¥)"]
    t["contribution (¥)"] = t["extra margin (¥)"] - t["cost (¥)"]
    t["ROI"] = t["contribution (¥)"] / t["cost (¥)"]
    return t.drop(columns="extra spend (¥)").astype(float)


# --------------------------------------------------------------------------
# Flat-pack, low price, the IKEA effect
# --------------------------------------------------------------------------

def ikea_effect_wtp(base_wtp, *, premium=IKEA_EFFECT_PREMIUM, build_success=1.0) -> float:
    """Willingness to pay of someone who assembles the product themselves.

    WTP = base · (1 + premium · s), s the share of builds that succeed; the
    premium vanishes when the build fails (Norton, Mochon & Ariely 2012).

    Examples
    --------
    >>> round(ikea_effect_wtp(100.0), 2)
    163.0
    >>> round(ikea_effect_wtp(100.0, build_success=0.5), 2)
    131.5
    """
    w0 = check_positive("base_wtp", base_wtp, allow_zero=True)
    w = check_number("premium", premium, low=0.0, high=2.0)
    s = check_probability("build_success", build_success)
    return w0 * (1 + w * s)


def flatpack_price(volume_cut, *, logistics_share=LOGISTICS_SHARE, elasticity=PRICE_ELASTICITY,
                   pass_through=1.0, ikea_effect=0.0, build_success=1.0,
                   reference_margin=REFERENCE_MARGIN) -> dict:
    """From a packed-volume cut to price, demand, revenue and gross margin.

    Parameters
    ----------
    volume_cut : float in [0, 1]
        x, the cut in packed volume (Ektorp: 0.5).
    logistics_share : float in [0, 1]
        L, price cut per unit of volume cut (0.28, from the Ektorp).
    elasticity : float >= 0
        ε, price elasticity of demand.
    pass_through : float in [0, 1]
        Share of the saving passed on as a lower price.
    ikea_effect : float in [0, 2]
        w, willingness-to-pay premium from self-assembly (0 to 0.63).
    build_success : float in [0, 1]
        s, share of builds that succeed (the premium needs a success).

    Returns
    -------
    dict: price cut Δp, quantity ratio, revenue ratio, margin rate, gross
    margin ratio (all against the assembled product at the reference price).

    Notes
    -----
    Δp = pass_through·L·x; Q/Q0 = ((1 − Δp)/(1 + w·s))^(−ε); revenue ratio =
    (1 − Δp)·Q/Q0; margin per unit (reference-price units)
    m_ref + L·x − Δp; gross margin ratio = Q/Q0·(m_ref + L·x − Δp)/m_ref.

    Examples
    --------
    >>> r = flatpack_price(0.5)
    >>> round(r["price cut"], 2)
    0.14
    """
    x = check_probability("volume_cut", volume_cut)
    L = check_probability("logistics_share", logistics_share)
    eps = check_number("elasticity", elasticity, low=0.0, high=10.0)
    pt = check_probability("pass_through", pass_through)
    w = check_number("ikea_effect", ikea_effect, low=0.0, high=2.0)
    s = check_probability("build_success", build_success)
    m = check_probability("reference_margin", reference_margin, allow_zero=False)
    dp = pt * L * x
    q = ((1 - dp) / (1 + w * s)) ** (-eps)
    unit_margin = m + L * x - dp
    return {
        "volume cut": x, "price cut": dp, "quantity ratio": q, "revenue ratio": (1 - dp) * q,
        "margin rate": unit_margin / (1 - dp), "gross margin ratio": q * unit_margin / m,
    }


def flatpack_table(volume_cuts=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6), **kwargs) -> pd.DataFrame:
    """:func:`flatpack_price` for several volume cuts, one row each.

    Examples
    --------
    >>> flatpack_table([0.0, 0.5]).shape[0]
    2
    """
    if isinstance(volume_cuts, (str, bytes, dict, set)) or not isinstance(volume_cuts, (list, tuple, range, np.ndarray, pd.Series)):
        raise TypeError(f"`volume_cuts` must be a list of numbers, got {volume_cuts!r:.80} ({type(volume_cuts).__name__})")
    if len(volume_cuts) > 1_000:
        raise ValueError(f"`volume_cuts` must list at most 1,000 values, got {len(volume_cuts):,}")
    cuts = [check_probability("volume_cuts", v) for v in volume_cuts]
    if not cuts:
        raise ValueError("`volume_cuts` must list at least one value, got none")
    return pd.DataFrame([flatpack_price(v, **kwargs) for v in cuts]).set_index("volume cut")


# --------------------------------------------------------------------------
# Store what-if (cached draws)
# --------------------------------------------------------------------------

@functools.cache
def _default_households() -> _Households:
    return _draw_households(20000, np.random.default_rng(IKEA_SEED + 1))


@functools.lru_cache(maxsize=256)
def _catalogue_visit_gain(reach, targeted=True):
    """Extra visits per year (as a share of base visits) and copies per base
    visit, from the cached default households (expected values)."""
    h = _default_households()
    spv = _spend_per_visit()
    got = _choose(h, reach, targeted, spv)
    rate = h.base_rate
    base = rate.sum()
    extra = (rate * CATALOGUE_UPLIFT[h.segment])[got].sum()
    return extra / base, got.sum() / base


def whatif_store(label_quality=0.9, push_share=0.0, catalogue_reach=0.6, price_cut=BASE_PRICE_CUT,
                 impulse_share=IMPULSE_SHARE, elasticity=PRICE_ELASTICITY, *, draws=None) -> dict:
    """A year of one store under the chosen settings, from cached draws.

    Parameters
    ----------
    label_quality, push_share : float in [0, 1]
        See :func:`visit_outcomes`.
    catalogue_reach : float in [0, 1]
        Share of catchment households sent a (targeted) catalogue.
    price_cut : float in [0, 0.5]
        Price cut against the assembled reference price; flat-pack saves
        L·x = 0.14 of it (Ektorp), so cuts beyond 0.14 eat into margin.
    impulse_share : float in [0, 0.9]
        Unplanned share of spending in the reference (transparent) store.
    elasticity : float in [0, 10]
        ε, price elasticity of demand.
    draws : VisitDraws, optional
        Cached visitor draws (default: the shipped dataset's 5,000 visitors).

    Returns
    -------
    dict with visits a year, conversion, revenue per visitor, cost per
    visitor, contribution per visitor, contribution a year, impulse share
    and satisfaction. Contribution deducts only visitor-level costs (staff
    minutes, labels, catalogue copies), not rent, fixed staff, central costs
    or tax, so it is far above a profit.

    Notes
    -----
    Goods spend scales with ((1 − Δp)/(1 − 0.14))^(1 − ε) against the
    simulated store at Ektorp prices; margin rate from
    :func:`gross_margin_rate`. Visits = 2 m·(1 + catalogue gain)·
    ((1 − Δp)/(1 − 0.14))^(−ε·0.3) (a third of the price effect comes as
    more visits, an assumption). Cost per visitor = staff + labels +
    catalogue copies.

    Examples
    --------
    >>> r = whatif_store()
    >>> r["revenue per visitor (¥)"] > r["cost per visitor (¥)"]
    True
    """
    q = check_probability("label_quality", label_quality)
    push = check_probability("push_share", push_share)
    reach = check_probability("catalogue_reach", catalogue_reach)
    dp = check_number("price_cut", price_cut, low=0.0, high=0.5)
    i = check_number("impulse_share", impulse_share, low=0.0, high=0.9)
    eps = check_number("elasticity", elasticity, low=0.0, high=10.0)
    out = (_cached_outcomes(q, push, i) if draws is None
           else visit_outcomes(draws, label_quality=q, push_share=push, impulse_share=i))
    y = _store_year(out, q, reach, dp, eps)
    bought = out["bought_planned"] | out["bought_impulse"]
    return {
        "visits a year (m)": round(float(y["visits"]) / 1e6, 3),
        "conversion": f"{bought.mean():.1%}",
        "revenue per visitor (¥)": round(float(y["revenue"]), 2),
        "cost per visitor (¥)": round(float(y["cost"]), 2),
        "contribution per visitor (¥)": round(float(y["contribution"]), 2),
        "contribution a year (¥ m)": round(float(y["contribution"] * y["visits"]) / 1e6, 1),
        "gross margin on goods": f"{y['margin']:.1%}",
        "impulse share of goods": f"{out['impulse_spend'].sum() / max(out['basket'].sum(), 1e-9):.1%}",
        "satisfaction (1-5)": round(float(out["satisfaction"].mean()), 2),
    }


@functools.lru_cache(maxsize=128)
def _cached_outcomes(q, push, i, behaviour=()) -> dict:
    """Visitor outcomes of the default draws for one setting (cached, so the
    what-if table and its chart share one computation). ``behaviour`` is a
    sorted tuple of (name, value) overrides of the behaviour assumptions."""
    return visit_outcomes(_default_draws(), label_quality=q, push_share=push, impulse_share=i,
                          params=dict(behaviour) or None)


def _store_year(out, q, reach, dp, eps) -> dict:
    """A year of the store from visitor outcomes (unrounded floats)."""
    rel = (1 - dp) / (1 - BASE_PRICE_CUT)
    spend_factor = rel ** (1 - eps * (1 - VISIT_PRICE_SHARE))
    visit_factor = rel ** (-eps * VISIT_PRICE_SHARE)
    g = gross_margin_rate(dp)
    basket = float(out["basket"].mean()) * spend_factor
    food = float(out["food_spend"].mean())
    gain, copies_per_visit = _catalogue_visit_gain(reach)
    visits = STORE_VISITS_PER_YEAR * (1 + gain) * visit_factor
    copies = copies_per_visit * STORE_VISITS_PER_YEAR
    staff = float(out["staff_min"].mean()) / 60 * STAFF_WAGE
    cost = staff + LABEL_COST * q + copies * COPY_COST / visits
    profit = g * basket + FOOD_MARGIN * food - cost
    return {"visits": visits, "revenue": basket + food, "cost": cost, "contribution": profit, "margin": g}


def contribution_curves(price_cuts, elasticities) -> pd.DataFrame:
    """A year's contribution (¥ million) of the default transparent store
    against the price cut, one column per elasticity (fast: one set of cached
    visitor outcomes, no rounding).

    Examples
    --------
    >>> t = contribution_curves([0.0, 0.14], [1.8])
    >>> list(t.columns)
    ['ε = 1.8']
    """
    if isinstance(price_cuts, (str, bytes, dict, set)) or not isinstance(price_cuts, (list, tuple, range, np.ndarray, pd.Series)):
        raise TypeError(f"`price_cuts` must be a list of numbers, got {price_cuts!r:.60} ({type(price_cuts).__name__})")
    if not 0 < len(price_cuts) <= 1_000:
        raise ValueError(f"`price_cuts` must list 1 to 1,000 values, got {len(price_cuts):,}")

    if isinstance(elasticities, (str, bytes, dict, set)) or not isinstance(elasticities, (list, tuple, range, np.ndarray, pd.Series)):
        raise TypeError(f"`elasticities` must be a list of numbers, got {elasticities!r:.60} ({type(elasticities).__name__})")
    if not 0 < len(elasticities) <= 1_000:
        raise ValueError(f"`elasticities` must list 1 to 1,000 values, got {len(elasticities):,}")
    cuts = [check_number("price_cuts", p, low=0.0, high=0.5) for p in price_cuts]
    eps = [check_number("elasticities", e, low=0.0, high=10.0) for e in elasticities]
    if not cuts or not eps:
        raise ValueError("`price_cuts` and `elasticities` must each list at least one value")
    d = _WHATIF_DEFAULTS
    out = _cached_outcomes(d["label_quality"], d["push_share"], d["impulse_share"])
    cols = {}
    for e in eps:
        ys = []
        for p in cuts:
            y = _store_year(out, d["label_quality"], d["catalogue_reach"], p, e)
            ys.append(y["contribution"] * y["visits"] / 1e6)
        cols[f"ε = {e:g}"] = ys
    return pd.DataFrame(cols, index=pd.Index(cuts, name="price cut"))


def breakeven_elasticity(price_cut=BASE_PRICE_CUT, *, catalogue_reach=0.6) -> float:
    """The price elasticity above which passing a flat-pack saving on as a
    price cut of ``price_cut`` earns more contribution in a year than
    keeping it as margin (price cut 0), in the default transparent store.

    Found by bisection on ε in [0, 10] with :func:`whatif_store`'s model.

    Examples
    --------
    >>> 1.0 < breakeven_elasticity() < 4.0
    True
    """
    dp = check_number("price_cut", price_cut, low=0.0, high=0.5, low_open=True)
    reach = check_probability("catalogue_reach", catalogue_reach)
    q = STORE_FORMATS["transparent"]["label_quality"]
    out = visit_outcomes(_default_draws(), **STORE_FORMATS["transparent"])

    def gap(eps):
        a = _store_year(out, q, reach, dp, eps)
        b = _store_year(out, q, reach, 0.0, eps)
        return a["contribution"] * a["visits"] - b["contribution"] * b["visits"]

    lo, hi = 0.0, 10.0
    if gap(hi) < 0:
        raise ValueError(f"`price_cut` of {dp:g} does not pay even at elasticity 10")
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def knowledge_table(visits, *, bands=(0, 5, 10, 20)) -> pd.DataFrame:
    """Shoppers grouped by how many labels they read: visitors, share who
    bought anything, planned conversion, basket per visitor (¥), regret
    among buyers and satisfaction. Diners who came only to eat are left out.

    Parameters
    ----------
    visits : DataFrame with the columns of :data:`VISIT_SCHEMA`
    bands : increasing whole numbers, the lower edge of each band

    Examples
    --------
    >>> t = knowledge_table(make_ikea_visits(500, seed=1))
    >>> list(t.index)
    ['0–4', '5–9', '10–19', '20+']
    """
    if isinstance(bands, (str, bytes, dict, set)) or not isinstance(bands, (list, tuple, range, np.ndarray, pd.Series)):
        raise TypeError(f"`bands` must be a list of numbers, got {bands!r:.80} ({type(bands).__name__})")
    if len(bands) > 1_000:
        raise ValueError(f"`bands` must list at most 1,000 values, got {len(bands):,}")

    check_frame("visits", visits)
    if visits.empty:
        raise ValueError("`visits` must have at least one row (from make_ikea_visits), got an empty table")
    df = check_frame("visits", visits, ["segment", "labels_read", "planned", "bought_planned",
                                        "bought_impulse", "basket", "regret", "satisfaction"])
    edges = [check_number("bands", b, low=0, integer=True) for b in bands]
    if not edges or any(b2 <= b1 for b1, b2 in zip(edges, edges[1:])):
        raise ValueError(f"`bands` must be increasing whole numbers, got {list(bands)}")
    labels = [f"{a}–{b - 1}" for a, b in zip(edges, edges[1:])] + [f"{edges[-1]}+"]
    shop = df[df["segment"] != "food_only"]
    band = pd.cut(shop["labels_read"], bins=edges + [np.inf], right=False, labels=labels)
    buyers = shop["bought_planned"] | shop["bought_impulse"]
    g = shop.assign(band=band, bought=buyers, regret_b=shop["regret"].astype(float).where(buyers))
    grp = g.groupby("band", observed=False)
    t = pd.DataFrame({
        "visitors": grp.size(),
        "bought anything": grp["bought"].mean(),
        "planned conversion": g[g["planned"]].groupby("band", observed=False)["bought_planned"].mean(),
        "basket per visitor (¥)": grp["basket"].mean(),
        "regret (share of buyers)": grp["regret_b"].mean(),
        "satisfaction (1-5)": grp["satisfaction"].mean(),
    })
    t.index = pd.Index([str(x) for x in t.index], name="labels read")
    return t


_WHATIF_DEFAULTS = {"label_quality": 0.9, "push_share": 0.0, "catalogue_reach": 0.6,
                    "price_cut": BASE_PRICE_CUT, "impulse_share": IMPULSE_SHARE,
                    "elasticity": PRICE_ELASTICITY}


def build_store_widget(**defaults):
    """The store what-if panel: sliders → :func:`whatif_store` → HTML table
    and a chart of a year's contribution against the price cut.

    Parameters
    ----------
    **defaults
        Starting values for any slider (label_quality, push_share,
        catalogue_reach, price_cut, impulse_share, elasticity).

    Examples
    --------
    >>> w = build_store_widget()
    >>> w.controls["push_share"].value = 0.8
    >>> w.result["contribution per visitor (¥)"] < build_store_widget().result["contribution per visitor (¥)"]
    True
    """
    from . import widgets as _w
    from .plotting import plot_what_if

    unknown = set(defaults) - set(_WHATIF_DEFAULTS)
    if unknown:
        raise ValueError(f"`defaults` must use the names {sorted(_WHATIF_DEFAULTS)}; got {sorted(unknown)}")
    v = {**_WHATIF_DEFAULTS, **defaults}
    controls = {
        "label_quality": _w.slider(i18n.t("ikea.slider.label_quality"), v["label_quality"], 0.0, 1.0, 0.05),
        "push_share": _w.slider(i18n.t("ikea.slider.push_share"), v["push_share"], 0.0, 1.0, 0.05, percent=True),
        "catalogue_reach": _w.slider(i18n.t("ikea.slider.catalogue_reach"), v["catalogue_reach"], 0.0, 1.0, 0.05,
                                     percent=True),
        "price_cut": _w.slider(i18n.t("ikea.slider.price_cut"), v["price_cut"], 0.0, 0.4, 0.01, percent=True),
        "impulse_share": _w.slider(i18n.t("ikea.slider.impulse_share"), v["impulse_share"], 0.0, 0.8, 0.05,
                                   percent=True),
        "elasticity": _w.slider(i18n.t("ikea.slider.elasticity"), v["elasticity"], 0.5, 4.0, 0.1),
    }
    grid = np.round(np.arange(0.0, 0.41, 0.02), 2)

    def chart(result, *, ax, label_quality, push_share, catalogue_reach, price_cut, impulse_share, elasticity):
        out = _cached_outcomes(float(label_quality), float(push_share), float(impulse_share))
        years = [_store_year(out, label_quality, catalogue_reach, float(p), elasticity) for p in grid]
        ys = [y["contribution"] * y["visits"] / 1e6 for y in years]
        plot_what_if(100 * grid, {i18n.t("ikea.widget.line"): ys}, ax=ax, current=100 * price_cut,
                     title=i18n.t("ikea.widget.chart_title"), xlabel=i18n.t("ikea.chart.price_cut_x"),
                     ylabel=i18n.t("ikea.chart.contribution_year_y"))
        ax.set_ylim(bottom=min(0.0, 1.1 * min(ys)))   # from zero (or below it if the store loses money)
        _legend_in_language(ax, "lower left")   # a fixed place: "best" costs a search at every draw

    language = i18n.get_language()

    def compute(**values):
        with i18n.language(language):
            return _whatif_labelled(whatif_store(**values))

    return _w.what_if(compute, controls, chart=chart, title=i18n.t("ikea.widget.title"))


def _whatif_labelled(result: dict) -> dict:
    """:func:`whatif_store`'s result with the reader's labels as keys."""
    return {i18n.t(f"ikea.whatif.{k}"): v for k, v in result.items()}


def _legend_in_language(ax, loc, **kwargs):
    """Draw the legend at ``loc``, with plotting.plot_what_if's English
    "current setting" label in the reader's language."""
    for line in ax.get_lines():
        if line.get_label() == "current setting":
            line.set_label(i18n.t("ikea.chart.current_setting"))
    ax.legend(loc=loc, **kwargs)


# --------------------------------------------------------------------------
# Four pillars: what can a rival copy?
# --------------------------------------------------------------------------

def copycat_table(*, rival_copies=1.0e6, reach=0.6) -> pd.DataFrame:
    """Contribution per visitor of a rival sales-staff store that copies one
    IKEA element at a time, against the rival as it is.

    Rows: the rival as it is (sales staff, thin labels, assembled prices, no
    catalogue); copy the labels and no-push rule (management control);
    copy the catalogue at the rival's print run (brand control: the design
    cost is spread over ``rival_copies``); copy the 14% price cut without
    flat-pack logistics (cost control missing); copy the price cut with
    flat-pack logistics (cost control + logistics); copy everything.

    Examples
    --------
    >>> t = copycat_table()
    >>> float(t.loc["rival as it is", "change vs rival (¥)"])
    0.0
    """
    copies = check_positive("rival_copies", rival_copies)
    r = check_probability("reach", reach)
    d = _default_draws()

    def per_visitor(q, push, dp, flatpack, catalogue):
        out = visit_outcomes(d, label_quality=q, push_share=push)
        rel = (1 - dp) / (1 - BASE_PRICE_CUT)
        basket = out["basket"].mean() * rel ** (1 - PRICE_ELASTICITY * (1 - VISIT_PRICE_SHARE))
        visits = rel ** (-PRICE_ELASTICITY * VISIT_PRICE_SHARE)
        g = gross_margin_rate(dp, volume_cut=EKTORP_VOLUME_CUT if flatpack else 0.0)
        cost = out["staff_min"].mean() / 60 * STAFF_WAGE + LABEL_COST * q
        if catalogue:
            gain, cpv = _catalogue_visit_gain(r)
            visits *= 1 + gain
            copy_cost = COPY_COST + CATALOGUE_DESIGN_COST / copies
            cost = cost + cpv * copy_cost / visits
        profit = g * basket + FOOD_MARGIN * out["food_spend"].mean() - cost
        return profit, visits

    base_q, base_push = STORE_FORMATS["sales_staff"].values()
    ikea_q, ikea_push = STORE_FORMATS["transparent"].values()
    scen = {
        "rival as it is": (base_q, base_push, 0.0, False, False, "—"),
        "copy labels and no-push rule": (ikea_q, ikea_push, 0.0, False, False, "management control"),
        "copy the catalogue": (base_q, base_push, 0.0, False, True, "brand control"),
        "copy the low price without flat-pack": (base_q, base_push, BASE_PRICE_CUT, False, False,
                                                 "cost control (missing)"),
        "copy the low price with flat-pack logistics": (base_q, base_push, BASE_PRICE_CUT, True, False,
                                                        "cost and logistics control"),
        "copy everything": (ikea_q, ikea_push, BASE_PRICE_CUT, True, True, "all four pillars"),
    }
    rows = {}
    for name, (q, push, dp, fp, cat, pillar) in scen.items():
        # Without flat-pack an assembled product keeps the reference margin m_ref
        # at the reference price: gross_margin_rate(0, volume_cut=0) = m_ref.
        p, v = per_visitor(q, push, dp, fp, cat)
        rows[name] = {"pillar it needs": pillar, "contribution per visitor (¥)": p, "visits (index)": v}
    t = pd.DataFrame(rows).T
    t["contribution per visitor (¥)"] = t["contribution per visitor (¥)"].astype(float)
    t["visits (index)"] = t["visits (index)"].astype(float)
    base = t.loc["rival as it is"]
    t["change vs rival (¥)"] = t["contribution per visitor (¥)"] - base["contribution per visitor (¥)"]
    t["contribution a year (index)"] = (t["contribution per visitor (¥)"] * t["visits (index)"]
                                        / (base["contribution per visitor (¥)"] * base["visits (index)"]))
    t.loc["rival as it is", "change vs rival (¥)"] = 0.0
    return t


# --------------------------------------------------------------------------
# Growth
# --------------------------------------------------------------------------

def cagr(start, end, years) -> float:
    """Compound yearly growth rate from ``start`` to ``end`` over ``years``:
    (end / start)^(1 / years) − 1.

    Examples
    --------
    >>> round(cagr(100, 121, 2), 4)
    0.1
    """
    s0 = check_positive("start", start)
    s1 = check_positive("end", end)
    y = check_positive("years", years)
    return (s1 / s0) ** (1 / y) - 1


def growth_needed(target=SALES_GROWTH_CLAIM, *, same_store_growth=0.0, years=10) -> pd.DataFrame:
    """What a yearly sales growth rate means over ``years``, and how much of
    it must come from new stores when existing stores grow at
    ``same_store_growth``.

    Notes
    -----
    (1 + g) = (1 + g_same)·(1 + g_stores), so g_stores = (1 + g)/(1 + g_same) − 1.

    Examples
    --------
    >>> t = growth_needed(0.25, same_store_growth=0.05, years=3)
    >>> round(float(t.loc[3, "sales (index)"]), 3)
    1.953
    """
    g = check_number("target", target, low=-0.5, high=2.0)
    gs = check_number("same_store_growth", same_store_growth, low=-0.5, high=2.0)
    y = check_number("years", years, low=1, high=100, integer=True)
    years_ = np.arange(0, y + 1)
    g_st = (1 + g) / (1 + gs) - 1
    return pd.DataFrame({
        "sales (index)": (1 + g) ** years_,
        "sales per store (index)": (1 + gs) ** years_,
        "stores (index)": (1 + g_st) ** years_,
    }, index=pd.Index(years_, name="year"))


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------

def _row(value) -> str:
    """The reader's label of a row or cell value (a store, a segment, a
    scenario), from the catalogue's ``ikea.row`` keys; other values as they are."""
    key = f"ikea.row.{value}"
    return i18n.t(key) if i18n.has(key) else str(value)


def plot_store_comparison(summary, *, ax=None, columns=("revenue per visitor (¥)", "cost per visitor (¥)",
                                                          "contribution per visitor (¥)"),
                          title=None, ylabel=None):
    """Grouped bars of :func:`store_summary` columns, one group per column.
    Titles and labels default to the reader's language.

    Examples
    --------
    >>> import matplotlib
    >>> ax = plot_store_comparison(store_summary(compare_stores(300, seed=1)))
    >>> ax.get_title()
    'Same visitors, two stores'
    """
    if isinstance(columns, (str, bytes, dict)) or not isinstance(columns, (list, tuple)) or not columns:
        raise TypeError(f"`columns` must be a list of column names of `summary`, got {columns!r:.80}")
    df = check_frame("summary", summary, list(columns))
    title = i18n.t("ikea.chart.stores_title") if title is None else title
    ylabel = i18n.t("ikea.chart.stores_y") if ylabel is None else ylabel
    from .plotting import _axes, _label

    ax = _axes(ax)
    x = np.arange(len(columns))
    width = 0.8 / max(len(df), 1)
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    for k, (name, row) in enumerate(df.iterrows()):
        vals = row[list(columns)].astype(float).to_numpy()
        bars = ax.bar(x + (k - (len(df) - 1) / 2) * width, vals, width, label=_row(name),
                      color=colours[k % len(colours)])
        ax.bar_label(bars, fmt="%.0f", fontsize=8)
    ticks = [i18n.t(f"ikea.measure.{c}") if i18n.has(f"ikea.measure.{c}") else c.replace(" (¥)", "")
             for c in columns]
    ax.set_xticks(x, ticks)
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    ax.grid(axis="x", visible=False)
    _label(ax, title, i18n.t("ikea.chart.measure"), ylabel)
    ax.legend(loc="upper right")   # a fixed place: "best" costs a search at every draw
    return ax


def plot_catalogue_roi(table, *, ax=None, title=None, xlabel=None, ylabel=None):
    """Bars of the ROI column of :func:`catalogue_economics` (without ``all``).
    Titles and labels default to the reader's language.

    Examples
    --------
    >>> ax = plot_catalogue_roi(catalogue_economics(make_ikea_catalogue(2000, seed=1)))
    >>> ax.get_ylabel()
    'ROI (contribution per ¥1 spent)'
    """
    df = check_frame("table", table, ["ROI"])
    title = i18n.t("ikea.chart.roi_title") if title is None else title
    xlabel = i18n.t("ikea.chart.segment_x") if xlabel is None else xlabel
    ylabel = i18n.t("ikea.chart.roi_y") if ylabel is None else ylabel
    from .plotting import _axes, _label

    ax = _axes(ax)
    t = df.drop(index="all", errors="ignore")["ROI"].dropna()
    colours = [PALETTE["green"] if v >= 0 else PALETTE["vermillion"] for v in t]
    bars = ax.bar([_row(i) for i in t.index], t.to_numpy(float), color=colours)
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    ax.grid(axis="x", visible=False)
    _label(ax, title, xlabel, ylabel)
    return ax


# --------------------------------------------------------------------------
# What a reader sees: tables, charts and figures in the reader's language
# --------------------------------------------------------------------------

def _pct0(x) -> str:
    return f"{x:.0%}"


_VIEWS = {
    # view: (formats, columns shown (None: all), index: a formatter, a column that
    # labels the rows (its label from `ikea.view.<view>.<column>`), or None: row labels)
    "catalogue_runs": ({"year": str, "copies_million": "dec1"}, None, None),
    "spending": ({"planned goods": "cny", "unplanned goods": "cny", "restaurant": "cny", "visitors": "share"},
                 None, None),
    "knowledge": ({"visitors": "count", "bought anything": "share", "planned conversion": "share",
                   "basket per visitor (¥)": "cny", "regret (share of buyers)": "share",
                   "satisfaction (1-5)": "dec2"}, None, None),
    "summary": ({"revenue per visitor (¥)": "dec1", "cost per visitor (¥)": "dec2",
                 "contribution per visitor (¥)": "dec1", "dwell (min)": "dec1", "labels read": "dec1",
                 "satisfaction (1-5)": "dec2", "regret (share of buyers)": "share"},
                ["revenue per visitor (¥)", "cost per visitor (¥)", "contribution per visitor (¥)",
                 "dwell (min)", "labels read", "satisfaction (1-5)", "regret (share of buyers)"], None),
    "paired": ({"basket (¥)": "dec1", "food (¥)": "dec1", "staff minutes": "dec1",
                "satisfaction (points)": "dec2"}, None, None),
    "formats": ({"planned conversion": "share", "impulse share of goods": "share", "dwell (min)": "dec1",
                 "revenue per visitor (¥)": "dec1", "cost per visitor (¥)": "dec2",
                 "contribution per visitor (¥)": "dec1"},
                ["planned conversion", "impulse share of goods", "dwell (min)", "revenue per visitor (¥)",
                 "cost per visitor (¥)", "contribution per visitor (¥)"], None),
    "pushing": ({"revenue gap (¥)": "dec1", "contribution gap (¥)": "dec1"}, None, _pct0),
    "roi": ({"households": "count", "copies": "count", "visits triggered": "count", "cost (¥)": "cny",
             "extra margin (¥)": "cny", "contribution (¥)": "cny", "ROI": "dec2"},
            ["households", "copies", "visits triggered", "cost (¥)", "extra margin (¥)", "contribution (¥)", "ROI"],
            None),
    "vs_ads": ({"households reached": "count", "cost (¥)": "cny", "extra visits": "count",
                "extra margin (¥)": "cny", "contribution (¥)": "cny", "ROI": "dec2"}, None, None),
    "flatpack": ({"price cut": "share", "margin rate": "share", "quantity ratio": "dec2", "revenue ratio": "dec2",
                  "gross margin ratio": "dec2"}, None, _pct0),
    "ikea_effect": ({"builds that succeed": "share", "willingness to pay (base 100)": "dec1"}, None, None),
    "copycat": ({"contribution per visitor (¥)": "dec1", "change vs rival (¥)": "dec1",
                 "contribution a year (index)": "dec2"},
                ["pillar it needs", "contribution per visitor (¥)", "change vs rival (¥)",
                 "contribution a year (index)"], None),
    "growth": ({"sales (index)": "dec2", "sales per store (index)": "dec2", "stores (index)": "dec2"}, None, str),
    "gap": ({"low": "dec2", "base": "dec2", "high": "dec2", "figure_low": "dec1", "figure_high": "dec1",
             "swing": "dec1"}, ["low", "base", "high", "figure_low", "figure_high", "swing"], "label"),
}
"""The tables the IKEA notebook shows: how each column is formatted and
which columns are shown. Headers, the index label and row labels come from
the catalogue (``ikea.view.<view>.<column>``, ``ikea.row.<value>``)."""

VIEWS = tuple(_VIEWS)


def show(view, table):
    """A table of the IKEA notebook for readers, in the reader's language.

    Parameters
    ----------
    view : one of :data:`VIEWS`
        Which table it is ("summary", "roi", "gap", ...): sets the formats,
        the columns shown and the labels.
    table : DataFrame
        The computed table (e.g. from :func:`store_summary`).

    Examples
    --------
    >>> show("catalogue_runs", CATALOGUE_RUNS).frame.columns[0]
    'Year'
    """
    check_choice("view", view, VIEWS)
    formats, columns, index_fmt = _VIEWS[view]
    index_col = index_fmt if isinstance(index_fmt, str) else None
    df = check_frame("table", table, list(columns or formats) + ([index_col] if index_col else []))
    shown = list(df.columns) if columns is None else list(columns)
    df = df.copy()
    if index_col:
        df.index = [str(x) for x in df[index_col]]
    else:
        df.index = [index_fmt(x) if index_fmt is not None else _row(x) for x in df.index]
    for c in shown:
        if (df[c].dtype == object or pd.api.types.is_string_dtype(df[c])) and formats.get(c) is None:
            df[c] = df[c].map(lambda x: _row(x) if isinstance(x, str) else x)
    labels = i18n.labels(f"ikea.view.{view}", shown)
    index_key = f"ikea.view.{view}.{index_col or '_index'}"
    index_label = i18n.t(index_key) if i18n.has(index_key) else None
    from .formatting import table as _table

    return _table(df, {c: f for c, f in formats.items() if c in shown}, labels=labels, columns=shown,
                  index_label=index_label)


def funnel_stages(store) -> pd.Series:
    """Visitors of one store at each stage (came, had a list, bought planned
    items, bought something unplanned, ate), indexed by stage id."""
    df = check_frame("store", store, ["planned", "bought_planned", "bought_impulse", "ate"])
    return pd.Series({
        "visitors": len(df),
        "came with a list": int(df["planned"].sum()),
        "bought planned items": int(df["bought_planned"].sum()),
        "bought something unplanned": int(df["bought_impulse"].sum()),
        "ate in the restaurant": int(df["ate"].sum()),
    })


def plot_funnel(store, *, ax=None):
    """The store's visitors stage by stage (:func:`funnel_stages`), labelled
    in the reader's language."""
    from . import formatting as _fmt
    from .plotting import plot_funnel as _plot_funnel

    stages = funnel_stages(store)
    stages.index = [i18n.t(f"ikea.funnel.{k}") for k in stages.index]
    return _plot_funnel(stages, ax=ax, title=i18n.t("ikea.chart.funnel_title"),
                        xlabel=i18n.t("ikea.chart.funnel_x", n=_fmt.count(len(store))),
                        ylabel=i18n.t("ikea.chart.funnel_y"))


def spending_by_segment(store) -> pd.DataFrame:
    """Mean planned, unplanned and restaurant spend per visitor (¥) by
    segment, and each segment's share of visitors."""
    df = check_frame("store", store, ["segment", "planned_spend", "impulse_spend", "food_spend"])
    parts = (df.groupby("segment", observed=True)[["planned_spend", "impulse_spend", "food_spend"]].mean()
             .rename(columns={"planned_spend": "planned goods", "impulse_spend": "unplanned goods",
                              "food_spend": "restaurant"}))
    parts["visitors"] = df["segment"].value_counts(normalize=True).reindex(parts.index)
    return parts


def plot_spending(parts, *, ax=None):
    """Stacked bars of :func:`spending_by_segment`: planned, unplanned and
    restaurant spend per visitor, by segment."""
    cols = ["planned goods", "unplanned goods", "restaurant"]
    df = check_frame("parts", parts, cols)
    from .plotting import _axes, _label

    ax = _axes(ax)
    names = [_row(s) for s in df.index]
    bottom = np.zeros(len(df))
    for c, colour in zip(cols, (PALETTE["blue"], PALETTE["orange"], PALETTE["green"])):
        vals = df[c].to_numpy(float)
        ax.bar(names, vals, bottom=bottom, color=colour, label=i18n.t(f"ikea.view.spending.{c}"), width=0.5)
        bottom += vals
    ax.grid(axis="x", visible=False)
    _label(ax, i18n.t("ikea.chart.spending_title"), i18n.t("ikea.chart.segment_x"), i18n.t("ikea.chart.spending_y"))
    ax.legend(loc="upper right")
    return ax


def spending_shares(store, knowledge) -> dict:
    """The shares the notebook's q1 rests on: unplanned share of goods,
    visitors on a day out or only eating, the restaurant's share of revenue,
    and the buy rate of the lowest and highest label bands of ``knowledge``
    (from :func:`knowledge_table`)."""
    df = check_frame("store", store, ["segment", "basket", "impulse_spend", "food_spend"])
    k = check_frame("knowledge", knowledge, ["bought anything"])
    return {
        "unplanned": float(df["impulse_spend"].sum() / df["basket"].sum()),
        "day_out": float(df["segment"].isin(["day_out", "food_only"]).mean()),
        "restaurant": float(df["food_spend"].sum() / (df["basket"] + df["food_spend"]).sum()),
        "bottom_band": str(k.index[0]), "bottom_buy": float(k["bought anything"].iloc[0]),
        "top_band": str(k.index[-1]), "top_buy": float(k["bought anything"].iloc[-1]),
    }


def push_effects(formats) -> dict:
    """What pushing alone (rich labels kept) and thin labels alone (no
    pushing) change, from :func:`store_formats_table`'s default rows:
    planned conversion and impulse share (percentage points), visit
    (minutes), cost and contribution per visitor (¥), and ``thin`` — the
    contribution change of thin labels alone (¥ per visitor)."""
    df = check_frame("formats", formats, ["planned conversion", "impulse share of goods", "dwell (min)",
                                          "cost per visitor (¥)", "contribution per visitor (¥)"])
    need = ["transparent (rich labels, no push)", "rich labels, staff push", "thin labels, no push"]
    missing = [r for r in need if r not in df.index]
    if missing:
        raise ValueError(f"`formats` must be store_formats_table()'s default rows; missing {missing}")
    tr, push, thin = (df.loc[r] for r in need)
    return {
        "conversion": float(100 * (push["planned conversion"] - tr["planned conversion"])),
        "impulse": float(100 * (push["impulse share of goods"] - tr["impulse share of goods"])),
        "dwell": float(push["dwell (min)"] - tr["dwell (min)"]),
        "cost": float(push["cost per visitor (¥)"] - tr["cost per visitor (¥)"]),
        "contribution": float(push["contribution per visitor (¥)"] - tr["contribution per visitor (¥)"]),
        "thin": float(thin["contribution per visitor (¥)"] - tr["contribution per visitor (¥)"]),
    }


def ikea_effect_table(successes=(1.0, 0.8, 0.5, 0.0), *, base=100.0) -> pd.DataFrame:
    """Willingness to pay (ready-made = ``base``) for several shares of
    builds that succeed (:func:`ikea_effect_wtp`)."""
    if isinstance(successes, (str, bytes, dict, set)) or not isinstance(successes, (list, tuple, np.ndarray)):
        raise TypeError(f"`successes` must be a list of shares, got {successes!r:.60}")
    s = [check_probability("successes", x) for x in successes]
    b = check_positive("base", base, allow_zero=True)
    return pd.DataFrame({"builds that succeed": s,
                         "willingness to pay (base 100)": [ikea_effect_wtp(b, build_success=x) for x in s]})


def plot_price_curves(curves, *, ax=None):
    """:func:`contribution_curves` as lines, the Ektorp's 14% cut marked."""
    df = check_frame("curves", curves)
    if df.empty:
        raise ValueError("`curves` must have at least one row and column (from contribution_curves), got an empty table")
    from .plotting import plot_what_if

    ax = plot_what_if(100 * df.index.to_numpy(float), df.to_dict("list"), ax=ax, current=100 * EKTORP_PRICE_CUT,
                      title=i18n.t("ikea.chart.curves_title"), xlabel=i18n.t("ikea.chart.price_cut_x"),
                      ylabel=i18n.t("ikea.chart.contribution_year_y"))
    ax.set_ylim(bottom=0)
    _legend_in_language(ax, "lower left")
    return ax


def gap_labels() -> dict:
    """:data:`GAP_LABELS` in the reader's language (for the tornado)."""
    return i18n.labels("ikea.gap", GAP_ASSUMPTIONS)


def plot_gap_tornado(table, *, top=10, ax=None):
    """The tornado of :func:`self_service_gap` (its ``top`` largest swings),
    labelled in the reader's language."""
    from . import sensitivity as _sens
    from .plotting import _axes

    n = check_number("top", top, low=1, high=len(GAP_ASSUMPTIONS), integer=True)
    table = check_frame("table", table, ["label", "low", "base", "high", "figure_low", "figure_high", "swing"])
    if table.empty:
        raise ValueError("`table` must have at least one row (from sensitivity.tornado), got an empty table")
    ax = _axes(ax) if ax is not None else None
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 5))
    _sens.plot_tornado(table.head(n), ax=ax, title=i18n.t("ikea.chart.tornado_title", n=n),
                       xlabel=i18n.t("ikea.chart.tornado_x"))
    ax.set_ylabel(i18n.t("ikea.chart.tornado_y"))
    ax.set_xlim(left=0)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return ax


def name_list(names) -> str:
    """Assumption names as the reader's labels, joined ("none" if empty)."""
    if isinstance(names, (str, bytes, dict, set)) or not isinstance(names, (list, tuple, pd.Index, np.ndarray)):
        raise TypeError(f"`names` must be a list of assumption names, got {names!r:.60} ({type(names).__name__})")
    labels = gap_labels()
    items = [labels.get(str(n), str(n)) for n in names]
    return i18n.t("ikea.list_sep").join(items) if items else i18n.t("ikea.none")


# --------------------------------------------------------------------------
# Shipped datasets
# --------------------------------------------------------------------------

def _ikea_visits() -> pd.DataFrame:
    return compare_stores(5000, seed=IKEA_SEED)


def _ikea_households() -> pd.DataFrame:
    return make_ikea_catalogue(20000, reach=0.6, targeted=True, seed=IKEA_SEED + 1)


DATASETS = (
    Dataset(
        name="ikea_visits",
        title="IKEA store visits: the same visitors in two stores (simulated)",
        title_zh="宜家门店客流：同一批顾客在两家门店的表现（模拟数据）",
        description=(
            "5,000 simulated visitors, each shown twice: in a self-service 'transparent' store (rich labels, "
            "staff may not push) and in a sales-staff store (thin labels, 80% of visitors pushed). Made by "
            f"`casekit.ikea.compare_stores(5000, seed={IKEA_SEED})`; the same visit_id is the same person "
            "(common random numbers). Calibration: impulse purchases are 60% of goods spending in the "
            "transparent store (Alan Penn's estimate, folklore-grade); about 30% of diners come only to eat; "
            "a shopping visit lasts about 2.5 hours. Other parameters are teaching assumptions listed in "
            "casekit/ikea.py. Money in yuan (¥)."
        ),
        build=_ikea_visits,
        columns=VISIT_SCHEMA,
    ),
    Dataset(
        name="ikea_households",
        title="IKEA catalogue: a year of households in one store's catchment (simulated)",
        title_zh="宜家产品目录：一家门店商圈内的家庭一年的数据（模拟数据）",
        description=(
            "20,000 simulated households near one store; 60% of them (those with the highest expected extra "
            "spend) got the printed catalogue. Made by `casekit.ikea.make_ikea_catalogue(20000, reach=0.6, "
            f"targeted=True, seed={IKEA_SEED + 1})`. visits_triggered and spend_triggered are the visits and "
            "spend the catalogue caused — known here because the data are simulated. Money in yuan (¥)."
        ),
        build=_ikea_households,
        columns=HOUSEHOLD_SCHEMA,
    ),
)
