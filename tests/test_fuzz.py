"""Fuzz every public name of casekit (issue #14, item 13).

Every callable in every module's ``__all__`` is called once per parameter
per bad value of a battery (None, text, negative, zero, a billion, NaN, inf,
a bool, an empty list, an object, an empty DataFrame, a dict), the other
arguments left at their defaults or at a small valid value. Each call runs
in a worker process under a memory limit (``RLIMIT_AS``) and a time limit
(an interval timer), so a call that hangs or exhausts memory is a finding,
not a frozen test run.

The only outcomes allowed: a result, or a ``ValueError``/``TypeError``
whose message names the bad argument in backticks (`` `n` ``) — or, when
the other arguments cannot be made valid here, names one of the function's
parameters. Anything else (an ``AttributeError`` from inside, a
``ZeroDivisionError``, a ``KeyError``, a ``MemoryError``, a time-out) fails
the test with the call that caused it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import importlib
import inspect
import io
import math
import multiprocessing
import os
import pkgutil
import resource
import shutil
import signal
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import casekit

CALL_SECONDS = 3.0           # one call's time limit
MEMORY_HEADROOM = 1_500_000_000  # bytes a worker may grow beyond its start
WORKERS = 2

# Tools that run notebooks, nbgrader, whole benchmarks, a presentation or
# class-view server, or a site/slides build (Sphinx, nbconvert, files
# written): their inputs are checked by their own tests; fuzzing them could
# start kernels or servers, or write files.
SKIP_MODULES = {"casekit.bench", "casekit.nbtools", "casekit.grading", "casekit.present", "casekit.site",
                "casekit.slides", "casekit.classview"}

_MARKER = object()


class _Timeout(BaseException):
    pass


def _bad_values(default):
    """The battery of bad values for one parameter (None only where None is
    not the default, a bool only where the default is not a bool)."""
    values = [("'abc'", "abc"), ("-1", -1), ("0", 0), ("10**9", 10**9), ("nan", math.nan),
              ("inf", math.inf), ("[]", []), ("object()", object()), ("DataFrame()", pd.DataFrame()),
              ("{}", {})]
    if default is not None:
        values.insert(0, ("None", None))
    if not isinstance(default, (bool, np.bool_)):
        values.append(("True", True))
    return values


def _public():
    """(module name, public name) of every callable in every ``__all__``."""
    out = []
    for info in pkgutil.iter_modules(casekit.__path__):
        modname = f"casekit.{info.name}"
        if info.name.startswith("_") or modname in SKIP_MODULES:
            continue
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if not callable(obj) or (isinstance(obj, type) and issubclass(obj, (BaseException, Warning))):
                continue
            out.append((modname, name))
    return out


# -- valid values for required arguments ------------------------------------

def _valid(modname: str, fname: str, param: str):
    """A small valid value for a required parameter, or _MARKER if unknown."""
    from casekit import dell, dell_customers, haidilao, haier, hotel, ikea, metrics

    key = f"{modname.rsplit('.', 1)[1]}.{fname}.{param}"
    table = {
        "answers.AnswerBook.notebook": lambda: "fuzz",
        "answers.collect.paths": lambda: [],
        "datasets.get.name": lambda: "toolkit_customers",
        "datasets.load.name": lambda: "toolkit_customers",
        "datasets.build.name": lambda: "toolkit_customers",
        "datasets.describe.name": lambda: "toolkit_customers",
        "datasets.verify.name": lambda: "toolkit_customers",
        "customers.make_purchases.customers": lambda: casekit.customers.make_customer_base(50, seed=1),
        "dell.annual_summary.supply": lambda: dell.make_dell_supply_chain(weeks=104, seed=1),
        "dell.cash_conversion_cycle.dsi": lambda: 4.0,
        "dell.cash_conversion_cycle.dso": lambda: 36.0,
        "dell.cash_conversion_cycle.dpo": lambda: 51.0,
        "dell.working_capital.ccc": lambda: -11.0,
        "dell.working_capital.revenue": lambda: 12300.0,
        "dell.cash_from_growth.ccc": lambda: -11.0,
        "dell.cash_from_growth.revenue": lambda: 12300.0,
        "dell.cash_from_growth.growth": lambda: 0.5,
        "dell.obsolescence_advantage.weekly_decline": lambda: 0.01,
        "dell.obsolescence_advantage.dell_days": lambda: 7.0,
        "dell.obsolescence_advantage.rival_days": lambda: 28.0,
        "dell.break_even_price_gap.supply_gap0": lambda: dell.make_dell_supply_chain(weeks=104, seed=1),
        "dell.break_even_price_gap.supply_gap1": lambda: dell.make_dell_supply_chain(
            weeks=104, seed=1, price_gap=0.05),
        "dell.break_even_price_gap.gap1": lambda: 0.05,
        "dell.plot_dell_whatif.result": lambda: dell.whatif_dell(draws=dell.dell_draws(weeks=104, accounts=200)),
        "dell_customers.segment_profit.customers": lambda: dell_customers.make_dell_customers(200, seed=1),
        "dell_customers.segment_clv.customers": lambda: dell_customers.make_dell_customers(200, seed=1),
        "dell_customers.shift_resources.customers": lambda: dell_customers.make_dell_customers(200, seed=1),
        "haidilao.perceived_wait_factor.perks": lambda: 10.0,
        "haidilao.comp_shares.empowerment": lambda: 6.0,
        "haidilao.queue_day.daily_parties": lambda: 190.0,
        "haidilao.spend_curve.budgets": lambda: [0.0, 5.0, 10.0],
        "haidilao.expansion_path.growth": lambda: [1.0, 1.2],
        "haier.failure_rates.model_years": lambda: [1992, 1995, 2000],
        "haier.network_model.outlets": lambda: 5000,
        "haier.network_model.fix_rate": lambda: 0.8,
        "haier.network_model.follow_up": lambda: 0.6,
        "haier.whatif_network.outlets": lambda: 5000,
        "haier.whatif_network.fix_rate": lambda: 0.8,
        "haier.whatif_network.follow_up": lambda: 0.6,
        "haier.network_curve.fix_rate": lambda: 0.8,
        "haier.network_curve.follow_up": lambda: 0.6,
        "haier.query.sql": lambda: "SELECT COUNT(*) AS n FROM tickets",
        "haier.ticket_outcomes.tickets": lambda: haier.make_haier_records(200, seed=1).tickets,
        "haier.yearly_kpis.tickets": lambda: haier.make_haier_records(200, seed=1).tickets,
        "haier.service_value.kpis": lambda: haier.yearly_kpis(haier.make_haier_records(200, seed=1).tickets),
        "haier.upgrade_effects.kpis": lambda: haier.yearly_kpis(haier.make_haier_records(200, seed=1).tickets),
        "haier.plot_yearly.kpis": lambda: haier.yearly_kpis(haier.make_haier_records(200, seed=1).tickets),
        "haier.repurchase_by_outcome.records": lambda: haier.make_haier_records(200, seed=1),
        "haier.failures_by_model_year.records": lambda: haier.make_haier_records(200, seed=1),
        "hotel.stays_frame.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.evaluate_policy.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.evaluate_policy.policy": lambda: hotel.Policy(),
        "hotel.compare_policies.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.breakeven_cheating_rate.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.guarantee_gain_curve.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.whatif_guarantee.draws": lambda: hotel.draw_stays(n_rooms=10, seed=1),
        "hotel.hart_criteria.policy": lambda: hotel.Policy(),
        "hotel.segment_reactions.stays": lambda: hotel.make_hotel_stays(n_rooms=10, seed=1),
        "hotel.guarantee_roi.room_nights": lambda: 50_000.0,
        "hotel.guarantee_roi.adr": lambda: 100.0,
        "hotel.guarantee_roi.margin": lambda: 0.7,
        "hotel.guarantee_roi.failure_rate": lambda: 0.05,
        "hotel.guarantee_roi.invoke_rate": lambda: 0.5,
        "hotel.guarantee_roi.cheating_rate": lambda: 0.001,
        "hotel.guarantee_roi.loyalty_gain": lambda: 0.1,
        "hotel.guarantee_roi.future_stays": lambda: 2.0,
        "ikea.visit_outcomes.draws": lambda: ikea.draw_visits(200, seed=1),
        "ikea.visit_outcomes.label_quality": lambda: 0.9,
        "ikea.visit_outcomes.push_share": lambda: 0.0,
        "ikea.store_summary.visits": lambda: ikea.make_ikea_visits(200, seed=1),
        "ikea.paired_differences.visits": lambda: ikea.compare_stores(200, seed=1),
        "ikea.knowledge_table.visits": lambda: ikea.make_ikea_visits(200, seed=1),
        "ikea.revenue_per_visitor.conversion": lambda: 0.5,
        "ikea.revenue_per_visitor.basket": lambda: 500.0,
        "ikea.revenue_per_visitor.impulse_share": lambda: 0.6,
        "ikea.revenue_per_visitor.food_attach": lambda: 0.3,
        "ikea.revenue_per_visitor.food_ticket": lambda: 40.0,
        "ikea.catalogue_economics.households": lambda: ikea.make_ikea_catalogue(500, seed=1),
        "ikea.catalogue_vs_ads.households": lambda: ikea.make_ikea_catalogue(500, seed=1),
        "ikea.flatpack_price.volume_cut": lambda: 0.5,
        "ikea.ikea_effect_wtp.base_wtp": lambda: 100.0,
        "ikea.cagr.start": lambda: 100.0,
        "ikea.cagr.end": lambda: 200.0,
        "ikea.cagr.years": lambda: 10,
        "metrics.retention_rate.customers_at_start": lambda: 100,
        "metrics.retention_rate.still_customers": lambda: 80,
        "metrics.churn_rate.retention": lambda: 0.8,
        "metrics.expected_lifetime.retention": lambda: 0.8,
        "metrics.margin_multiple.retention": lambda: 0.8,
        "metrics.margin_multiple.discount": lambda: 0.1,
        "metrics.clv.margin": lambda: 100.0,
        "metrics.clv.retention": lambda: 0.8,
        "metrics.clv.discount": lambda: 0.1,
        "metrics.clv_table.retentions": lambda: [0.7, 0.8, 0.9],
        "metrics.retention_profit_lift.retention": lambda: 0.8,
        "metrics.retention_profit_lift.discount": lambda: 0.1,
        "metrics.acquisition_vs_retention.budget": lambda: 1000.0,
        "metrics.acquisition_vs_retention.acquisition_cost": lambda: 100.0,
        "metrics.acquisition_vs_retention.retention_cost": lambda: 20.0,
        "metrics.acquisition_vs_retention.customer_value": lambda: 300.0,
        "metrics.pareto_table.values": lambda: [5.0, 1.0, 3.0, 0.5],
        "metrics.concentration.values": lambda: [5.0, 1.0, 3.0, 0.5],
        "metrics.rfm_scores.transactions": lambda: casekit.customers.make_purchases(
            casekit.customers.make_customer_base(60, seed=1), seed=1),
        "metrics.rfm_tiers.scores": lambda: metrics.rfm_scores(casekit.customers.make_purchases(
            casekit.customers.make_customer_base(60, seed=1), seed=1)),
        "metrics.word_of_mouth.satisfied": lambda: 100,
        "metrics.word_of_mouth.dissatisfied": lambda: 20,
        "metrics.loyalty_after_complaint.outcome": lambda: "resolved",
        "metrics.recovery_loyalty.counts": lambda: {"resolved": 10, "complained_unresolved": 5},
        "metrics.loyalty_funnel.customers": lambda: 1000,
        "metrics.loyalty_funnel.satisfied": lambda: 0.8,
        "metrics.loyalty_funnel.loyal_if_satisfied": lambda: 0.5,
        "metrics.loyalty_funnel.refer_if_loyal": lambda: 0.3,
        "plotting.plot_pareto.table": lambda: metrics.pareto_table([5.0, 1.0, 3.0, 0.5]),
        "plotting.plot_funnel.counts": lambda: pd.Series({"aware": 100, "tried": 50, "loyal": 20}),
        "plotting.plot_what_if.x": lambda: [0.0, 1.0, 2.0],
        "plotting.plot_what_if.ys": lambda: {"profit": [1.0, 2.0, 3.0]},
        "queueing.erlang_b.load": lambda: 2.0,
        "queueing.erlang_b.servers": lambda: 3,
        "queueing.erlang_c.load": lambda: 2.0,
        "queueing.erlang_c.servers": lambda: 3,
        "queueing.mmc.arrival_rate": lambda: 2.0,
        "queueing.mmc.service_rate": lambda: 1.0,
        "queueing.mmc.servers": lambda: 3,
        "queueing.mmc_walkaway.arrival_rate": lambda: 2.0,
        "queueing.mmc_walkaway.service_rate": lambda: 1.0,
        "queueing.mmc_walkaway.servers": lambda: 3,
        "queueing.mmc_walkaway.walk_rate": lambda: 0.5,
        "queueing.fluid_queue.arrival_rates": lambda: [2.0, 3.0, 1.0],
        "queueing.fluid_queue.service_rate": lambda: 1.0,
        "queueing.fluid_queue.servers": lambda: 3,
        "queueing.fluid_queue.slot": lambda: 1.0,
        "sqlkit.query.sql": lambda: "SELECT COUNT(*) AS n FROM tickets",
        "sqlkit.query.db": lambda: haier.DB_PATH,
        "sqlkit.tables.db": lambda: haier.DB_PATH,
        "sqlkit.columns.db": lambda: haier.DB_PATH,
        "sqlkit.columns.table": lambda: "tickets",
        "sqlkit.schema.db": lambda: haier.DB_PATH,
        "sqlkit.explain_error.message": lambda: "no such table: x",
        "sqlkit.explain_error.sql": lambda: "SELECT * FROM x",
        "sqlkit.explain_error.db": lambda: haier.DB_PATH,
        "toolkit.customer_value.retention": lambda: 0.8,
        "toolkit.customer_value.discount": lambda: 0.1,
        "toolkit.customer_value.margin": lambda: 100.0,
        "toolkit.customer_value.acquisition_cost": lambda: 100.0,
        "toolkit.customer_value.retention_cost": lambda: 10.0,
        "widgets.slider.description": lambda: "x",
        "widgets.slider.value": lambda: 1,
        "widgets.slider.min": lambda: 0,
        "widgets.slider.max": lambda: 2,
        "widgets.slider.step": lambda: 1,
        "widgets.choice.description": lambda: "x",
        "widgets.choice.options": lambda: ["a", "b"],
        "widgets.toggle.description": lambda: "x",
        "widgets.to_html.result": lambda: {"a": 1.0},
        "widgets.what_if.compute": lambda: (lambda x: {"y": x}),
        "widgets.what_if.controls": lambda: {"x": casekit.widgets.slider("x", 1, 0, 2, 1)},
        "widgets.WhatIf.compute": lambda: (lambda x: {"y": x}),
        "widgets.WhatIf.controls": lambda: {"x": casekit.widgets.slider("x", 1, 0, 2, 1)},
        "widgets.discussion.case_id": lambda: "start_here",
        "widgets.discussion.figures": lambda: {n: 0.5 for n in casekit.cases.template_fields(
            casekit.cases.get_case("start_here").question("retention_claim").worked.en)},
        "widgets.discussion.question_id": lambda: "retention_claim",
        "haidilao.plot_day_queues.queues": lambda: {"now": haidilao.queue_day(190.0)},
        "haidilao.day_summary.queue": lambda: haidilao.queue_day(190.0),
        "haidilao.loyalty_summary.outcomes": lambda: _outcomes(),
        "haidilao.visit_outcomes.queue": lambda: haidilao.queue_day(190.0),
        "haidilao.visit_outcomes.slot_index": lambda: np.array([0, 5, 9]),
        "haidilao.visit_outcomes.wait_u": lambda: np.array([0.1, 0.5, 0.9]),
        "haidilao.visit_outcomes.wait_e": lambda: np.array([0.3, 1.0, 2.0]),
        "haidilao.visit_outcomes.walk_u": lambda: np.array([0.1, 0.5, 0.9]),
        "haidilao.visit_outcomes.problem_u": lambda: np.array([0.1, 0.5, 0.9]),
        "haidilao.visit_outcomes.comp_u": lambda: np.array([0.1, 0.5, 0.9]),
        "haidilao.visit_outcomes.score_z": lambda: np.array([-1.0, 0.0, 1.0]),
        "haier.plot_closed_loop.table": lambda: haier.failures_by_model_year(haier.make_haier_records(200, seed=1)),
        "hotel.plot_gain_curve.curve": lambda: hotel.guarantee_gain_curve(hotel.draw_stays(n_rooms=10, seed=1)),
        "hotel.plot_segment_reactions.reactions": lambda: hotel.segment_reactions(
            hotel.make_hotel_stays(n_rooms=10, seed=1)),
        "ikea.plot_store_comparison.summary": lambda: ikea.store_summary(ikea.compare_stores(200, seed=1)),
        "ikea.plot_catalogue_roi.table": lambda: ikea.catalogue_economics(ikea.make_ikea_catalogue(500, seed=1)),
        "toolkit.customer_value_chart.result": lambda: {},
        "toolkit.customer_value_chart.ax": lambda: None,
        "toolkit.customer_value_chart.retention": lambda: 0.8,
        "toolkit.customer_value_chart.discount": lambda: 0.1,
        "toolkit.customer_value_chart.margin": lambda: 100.0,
        "cases.get_case.case_id": lambda: "start_here",
        "cases.show_objectives.case_id": lambda: "start_here",
        "cases.show_references.case_id": lambda: "start_here",
        "cases.fill.template": lambda: "<p>{a}</p>",
        "cases.fill.figures": lambda: {"a": 1},
        "cases.template_fields.template": lambda: "<p>{a}</p>",
        "formatting.money.x": lambda: 1234.5,
        "formatting.count.x": lambda: 12,
        "formatting.share.x": lambda: 0.25,
        "formatting.percent.x": lambda: 25.0,
        "formatting.number.x": lambda: 1.5,
        "formatting.table.df": lambda: pd.DataFrame({"a": [1.0, 2.0]}),
        "readability.sentences.text": lambda: "One. Two words here.",
        "readability.words.sentence": lambda: "Two words.",
        "readability.measure.text": lambda: "One. Two words here.",
        "sensitivity.Assumption.value": lambda: 1.0,
        "sensitivity.Assumption.low": lambda: 0.5,
        "sensitivity.Assumption.high": lambda: 2.0,
        "sensitivity.tornado.func": lambda: (lambda a, b: a * b),
        "sensitivity.tornado.assumptions": lambda: {"a": (1.0, 0.5, 2.0), "b": (2.0, 1.0, 3.0)},
        "sensitivity.crosses.table": lambda: casekit.sensitivity.tornado(
            lambda a, b: a * b, {"a": (1.0, 0.5, 2.0), "b": (2.0, 1.0, 3.0)}),
        "sensitivity.plot_tornado.table": lambda: casekit.sensitivity.tornado(
            lambda a, b: a * b, {"a": (1.0, 0.5, 2.0), "b": (2.0, 1.0, 3.0)}),
    }
    # Small sizes for the parameters that have a default, so the fuzz stays fast.
    small = {"n": 200, "weeks": 104, "accounts": 200, "n_rooms": 10, "n_days": 7, "n_students": 1}
    if key in table:
        return table[key]()
    if param == "seed":
        return 1
    if param in small:
        return small[param]
    return _MARKER


def _outcomes():
    from casekit import haidilao

    d = haidilao.draw_diners(50, seed=1)
    q = haidilao.queue_day(190.0)
    slot = np.minimum((d.slot * len(q)).astype(int), len(q) - 1)
    return haidilao.visit_outcomes(q, slot, d.wait_u, d.wait_e, d.walk_u, d.problem_u, d.comp_u, d.score_z)


def _fresh(value):
    """A copy of a baseline value, so that a call that changes its input
    cannot spoil the next call."""
    if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)):
        return value.copy()
    if isinstance(value, (list, dict)):
        try:
            return copy.deepcopy(value)
        except Exception:  # noqa: BLE001 - e.g. widgets: use as is
            return value
    return value


def _signature(obj):
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _names_argument(message: str, names) -> bool:
    return any(f"`{n}`" in message for n in names)


def _call(func, kwargs, positional):
    args = [kwargs.pop(p) for p in positional]
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _on_alarm(signum, frame):
    raise _Timeout()


def _fuzz_one(modname: str, fname: str, only: str | None = None) -> tuple[list[str], int]:
    """Run the battery against one public callable (``only`` one of its
    parameters); return (findings, calls)."""
    import matplotlib.pyplot as plt

    func = getattr(importlib.import_module(modname), fname)
    sig = _signature(func)
    if sig is None:
        return [], 0
    params = [p for p in sig.parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]
    positional = [p.name for p in params if p.kind == p.POSITIONAL_ONLY]
    names = [p.name for p in params]

    def baseline():
        out, complete = {}, True
        for p in params:
            v = _valid(modname, fname, p.name)
            if v is not _MARKER:
                out[p.name] = v
            elif p.default is p.empty:
                complete = False
        return out, complete

    findings, calls = [], 0
    try:
        base, complete = baseline()  # built once, copied for each call
    except Exception as exc:  # noqa: BLE001 - a broken baseline is a finding too
        return [f"{modname}.{fname}: baseline failed: {type(exc).__name__}: {exc}"], calls
    for p in params:
        if only is not None and p.name != only:
            continue
        for label, bad in _bad_values(None if p.default is p.empty else p.default):
            kwargs = {k: _fresh(v) for k, v in base.items()}
            kwargs[p.name] = bad
            for q in params:  # no known valid value: a plain number, and a looser rule
                if q.default is q.empty and q.name not in kwargs:
                    kwargs[q.name] = 1.0
            calls += 1
            signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
            try:
                _call(func, dict(kwargs), positional)
            except _Timeout:
                findings.append(f"{modname}.{fname}({p.name}={label}): no answer within {CALL_SECONDS:g} s")
            except (ValueError, TypeError) as exc:
                msg = str(exc)
                ok = (f"`{p.name}`" in msg) or (not complete and _names_argument(msg, names))
                if not ok and p.name == "sql":
                    ok = type(exc).__name__ == "SQLError"
                if not ok:
                    findings.append(f"{modname}.{fname}({p.name}={label}): {type(exc).__name__} "
                                    f"not naming `{p.name}`: {msg[:150]!r}")
            except FileNotFoundError as exc:
                if f"`{p.name}`" not in str(exc):
                    findings.append(f"{modname}.{fname}({p.name}={label}): FileNotFoundError "
                                    f"not naming `{p.name}`: {str(exc)[:150]!r}")
            except BaseException as exc:  # noqa: BLE001 - anything else is what we look for
                findings.append(f"{modname}.{fname}({p.name}={label}): {type(exc).__name__}: {str(exc)[:150]}")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                plt.close("all")
    return findings, calls


def _tasks(targets):
    """One task per parameter, so the slow functions spread over the workers."""
    for m, n in targets:
        sig = _signature(getattr(importlib.import_module(m), n))
        names = [] if sig is None else [p.name for p in sig.parameters.values()
                                        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        for name in names or [None]:
            yield m, n, name


def _init_worker(data_copy: str) -> None:
    """Limit the worker's memory; point the course data at a copy so that no
    call can change the shipped files."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        with open("/proc/self/statm") as fh:
            vm = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (vm + MEMORY_HEADROOM, resource.RLIM_INFINITY))
    except (OSError, ValueError):  # not Linux: time limit only
        pass
    from casekit import datasets, haier

    datasets.DATA_DIR = Path(data_copy)
    haier.DB_PATH = Path(data_copy) / haier.DB_PATH.name
    os.chdir(tempfile.mkdtemp(prefix="casekit-fuzz-cwd-"))


def _run_all():
    from casekit import datasets

    data_copy = tempfile.mkdtemp(prefix="casekit-fuzz-data-")
    for f in datasets.DATA_DIR.iterdir():
        shutil.copy(f, data_copy)
    targets = _public()
    findings, calls = [], 0
    ctx = multiprocessing.get_context("fork")
    try:
        with cf.ProcessPoolExecutor(WORKERS, mp_context=ctx, initializer=_init_worker,
                                    initargs=(data_copy,)) as pool:
            futures = {pool.submit(_fuzz_one, m, n, p): (m, n) for m, n, p in _tasks(targets)}
            for fut in cf.as_completed(futures):
                m, n = futures[fut]
                try:
                    found, k = fut.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker (e.g. killed for memory)
                    found, k = [f"{m}.{n}: worker died: {type(exc).__name__}: {exc}"], 0
                findings += found
                calls += k
    finally:
        shutil.rmtree(data_copy, ignore_errors=True)
    return targets, sorted(findings), calls


@pytest.fixture(scope="module")
def fuzz_result():
    t = time.perf_counter()
    targets, findings, calls = _run_all()
    return targets, findings, calls, time.perf_counter() - t


def test_fuzz_covers_every_public_callable(fuzz_result):
    targets, _, calls, _ = fuzz_result
    modules = {m for m, _ in targets}
    assert {"casekit.metrics", "casekit.haidilao", "casekit.widgets", "casekit.answers"} <= modules
    assert len(targets) > 150 and calls > 3_000


def test_fuzz_every_bad_input_gets_a_clear_error(fuzz_result):
    _, findings, calls, seconds = fuzz_result
    report = "\n".join(findings)
    assert not findings, f"{len(findings)} of {calls} calls ended badly ({seconds:.0f} s):\n{report}"


def test_fuzz_runs_in_time(fuzz_result):
    *_, seconds = fuzz_result
    assert seconds < 240, f"the fuzz took {seconds:.0f} s"
