"""casekit.toolkit: the start-here what-if and the handbook's satisfaction claims."""

import re

import numpy as np
import pandas as pd
import pytest

from casekit import datasets, i18n, metrics, toolkit


def test_customer_value_gain_label_at_high_retention():
    # issue 14 item 12: no "+-0 points" and no negative gain near the cap
    for r in (0.95, 0.985, 0.989):
        out = toolkit.customer_value(r, 0.10, 100, 250, 50)
        keys = [k for k in out if k.startswith("value gain")]
        assert len(keys) == 1 and "-" not in keys[0]
        gain = float(out[keys[0]].rstrip("%"))
        assert gain > 0
    assert "value gain from +0.5 points of retention" in toolkit.customer_value(0.985, 0.10, 100, 250, 50)
    capped = toolkit.customer_value(0.99, 0.10, 100, 250, 50)
    assert capped["value gain from more retention"].startswith("none")
    assert toolkit.customer_value(0.8, 0.1, 100, 250, 50)["value gain from +5 points of retention"] == "27.5%"


def test_customer_value_margin_growth_raises_value_and_gain():
    flat = toolkit.customer_value(0.8, 0.1, 100, 250, 50)
    grow = toolkit.customer_value(0.8, 0.1, 100, 250, 50, margin_growth=0.10)
    assert grow["lifetime value"] == pytest.approx(round(80 / 0.22, 2))
    key = "value gain from +5 points of retention"
    assert float(grow[key].rstrip("%")) > float(flat[key].rstrip("%"))
    assert isinstance(flat["customers kept per customer won (same money)"], float)


def test_widget_has_margin_growth_slider_and_handles_impossible_settings():
    w = toolkit.build_customer_value_widget()
    assert "margin_growth" in w.controls
    w.controls["margin_growth"].value = 0.05
    assert w.error is None and w.result["lifetime value"] > 266.67
    w.controls["discount"].value = 0.0
    w.controls["retention"].value = 0.95
    w.controls["margin_growth"].value = 0.10      # 0.95 × 1.1 > 1: no finite value
    assert w.error is not None and "margin_growth" in w.error


def test_retention_lift_table_matches_metrics():
    t = toolkit.retention_lift_table((0.7, 0.9), margin_growths=(0.0, 0.05))
    assert t.loc[0.9, 0.05] == pytest.approx(metrics.retention_profit_lift(0.9, 0.10, margin_growth=0.05))
    assert (t[0.05] > t[0.0]).all()
    with pytest.raises(ValueError, match="`starts`"):
        toolkit.retention_lift_table((1.2,))


def _hand_base():
    # 100 customers: 40 score 5 (36 stay), 40 score 4 (18 stay), 20 score 2 (4 stay).
    sat = [5] * 40 + [4] * 40 + [2] * 20
    kept = [True] * 36 + [False] * 4 + [True] * 18 + [False] * 22 + [True] * 4 + [False] * 16
    tenure = [0] * 50 + [3] * 50
    margin = [100.0] * 50 + [150.0] * 50
    return pd.DataFrame({"satisfaction": sat, "retained": kept, "margin": margin, "tenure_years": tenure})


def test_satisfaction_claims_hand_worked():
    t = toolkit.satisfaction_claims(_hand_base(), draws=50, seed=1)
    ratio = t.loc["very_satisfied_six_times"]
    assert ratio["simulated"] == pytest.approx(0.9 / 0.45)          # 90% against 45%
    assert ratio["ceiling"] == pytest.approx(1 / 0.45)
    assert t.loc["repeat_customers_more_profit", "simulated"] == pytest.approx(0.5)   # 150 against 100
    # satisfied 54/80 stay, others 4/20; all 58/100. Five points move: r = .58 + .05 × (.675 − .2)
    r_new = 0.58 + 0.05 * (54 / 80 - 4 / 20)
    expected = metrics.margin_multiple(r_new, 0.10) / metrics.margin_multiple(0.58, 0.10) - 1
    assert t.loc["satisfaction_doubles_profit", "simulated"] == pytest.approx(expected)
    assert (t["low"] <= t["simulated"] + 1e-12).all() and (t["simulated"] <= t["high"] + 1e-12).all()


def test_satisfaction_claims_on_the_shipped_data_are_seeded_and_far_from_the_claims():
    base = datasets.load("toolkit_customers")
    a = toolkit.satisfaction_claims(base, draws=100)
    b = toolkit.satisfaction_claims(base, draws=100)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["satisfaction_doubles_profit", "high"] < 0.5 * toolkit.CLAIMED["satisfaction_doubles_profit"]
    assert a.loc["very_satisfied_six_times", "ceiling"] < toolkit.CLAIMED["very_satisfied_six_times"]
    lo, hi = a.loc["repeat_customers_more_profit", ["low", "high"]]
    assert lo < 0 < hi                                   # margins do not depend on tenure in the simulator


def test_satisfaction_claims_rejects_bad_input():
    with pytest.raises(ValueError, match="`base`"):
        toolkit.satisfaction_claims(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="`draws`"):
        toolkit.satisfaction_claims(_hand_base(), draws=5)
    with pytest.raises(ValueError, match="`points`"):
        toolkit.satisfaction_claims(_hand_base(), points=0)
    with pytest.raises(ValueError, match="at least 20"):
        toolkit.satisfaction_claims(_hand_base().head(10))
    assert np.isfinite(toolkit.satisfaction_claims(_hand_base(), draws=50)["simulated"]).all()


def test_claim_texts_cover_every_claim():
    assert set(toolkit.CLAIMS) == set(toolkit.CLAIMED)
    for lang in ("en", "zh"):
        with i18n.language(lang):
            texts = [toolkit.claim_text(k) for k in toolkit.CLAIMS] + [toolkit.claimed_text(k) for k in toolkit.CLAIMS]
            assert all(texts) and len(set(texts)) == len(texts)
    with pytest.raises(ValueError, match="`claim_id`"):
        toolkit.claim_text("doubles")


# --------------------------------------------------------------------------
# Both languages: the same figures, the reader's text from the catalogue
# --------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_WORD = re.compile(r"\b(the|of|and|is|to|customers?|value|retention|margin|profit|from|per)\b", re.I)


def _numbers(text):
    return sorted(re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text))


def test_customer_value_has_the_same_figures_in_both_languages():
    for r in (0.8, 0.985, 0.99):
        with i18n.language("en"):
            en = toolkit.customer_value(r, 0.10, 100, 250, 50)
        with i18n.language("zh"):
            zh = toolkit.customer_value(r, 0.10, 100, 250, 50)
        assert [_numbers(str(v)) for v in en.values()] == [_numbers(str(v)) for v in zh.values()]
        assert [_numbers(k) for k in en] == [_numbers(k) for k in zh]
        assert all(_CJK.search(k) for k in zh) and not any(_CJK.search(k) for k in en)


def test_widget_labels_follow_the_language():
    with i18n.language("zh"):
        w = toolkit.build_customer_value_widget()
    assert w.controls["retention"].description == "顾客保留率"
    with i18n.language("en"):
        w = toolkit.build_customer_value_widget()
    assert w.controls["retention"].description == "Retention rate"


@pytest.fixture(scope="module")
def views():
    """Every reader table of the start-here notebook, in both languages."""
    base = datasets.load("toolkit_customers")
    lifts = toolkit.retention_lift_table((0.70, 0.80, 0.90), margin_growths=(0.0,))
    grown = toolkit.retention_lift_table((0.70, 0.80), margin_growths=(0.0, 0.05))
    spend = metrics.acquisition_vs_retention(1000, acquisition_cost=250, retention_cost=50, customer_value=266.67)
    recovery = metrics.recovery_loyalty({"no_complaint": 10, "resolved_quickly": 30})
    wom = metrics.word_of_mouth(100, 20)
    claims = toolkit.satisfaction_claims(base.head(300), draws=50)
    tiers = toolkit.rfm_tier_table(datasets.load("toolkit_purchases").head(3000))
    out = {}
    for lang in ("en", "zh"):
        with i18n.language(lang):
            out[lang] = {
                "sample": toolkit.sample_view(base),
                "clv": toolkit.clv_view(metrics.clv_table([0.7, 0.8])),
                "lifts": toolkit.lift_view(lifts),
                "grown": toolkit.lift_view(grown),
                "spend": toolkit.spend_view(spend),
                "outcomes": toolkit.outcome_view(toolkit.outcome_retention(base)),
                "recovery": toolkit.recovery_view(recovery),
                "wom": toolkit.word_of_mouth_view(wom),
                "claims": toolkit.claims_view(claims),
                "tiers": toolkit.tier_view(tiers),
                "verdicts": toolkit.verdict_table(lift=0.275, retention=0.8, ceiling=0.579, top20=0.61,
                                                  sat_gain=0.066, ratio=0.99, repeat=-0.009),
            }
    return out


@pytest.mark.parametrize("name", ["sample", "clv", "lifts", "grown", "spend", "outcomes", "recovery", "wom",
                                  "claims", "tiers", "verdicts"])
def test_reader_tables_same_numbers_and_chinese_headers(views, name):
    en, zh = views["en"][name], views["zh"][name]
    assert en.frame.shape == zh.frame.shape
    assert _numbers(en.frame.to_string()) == _numbers(zh.frame.to_string())
    headers = " ".join(map(str, zh.frame.columns)) + " " + str(zh.frame.index.name or "")
    assert _CJK.search(headers) and not _ENGLISH_WORD.search(headers), headers
    assert not _CJK.search(repr(en)), repr(en)[:200]


def test_reader_tables_have_no_english_words_in_chinese(views):
    for name, table in views["zh"].items():
        assert not _ENGLISH_WORD.search(repr(table).replace("Kim, Singh & Winer", "").replace("Jones & Sasser", "")), name


def test_outcome_retention_counts_every_customer():
    base = datasets.load("toolkit_customers")
    stay = toolkit.outcome_retention(base)
    assert int(stay["customers"].sum()) == len(base)
    assert list(stay.index)[0] == "no_problem"
    assert stay.loc["resolved_quickly", "stayed"] > stay.loc["no_complaint", "stayed"]


def test_rfm_tier_table_shares_add_up():
    tiers = toolkit.rfm_tier_table(datasets.load("toolkit_purchases"))
    assert list(tiers.index) == list(metrics.TIER_LABELS)
    assert tiers["share"].sum() == pytest.approx(1.0)
    assert tiers["share"].iloc[-1] > tiers["share"].iloc[0]


def test_verdict_table_puts_the_computed_figures_in_the_text():
    with i18n.language("en"):
        table = toolkit.verdict_table(lift=0.275, retention=0.8, ceiling=0.579, top20=0.61, sat_gain=0.066,
                                      ratio=0.99, repeat=-0.009)
    text = repr(table)
    assert "+27.5% at 80% retention" in text and "61% here" in text and "0.99×" in text
    with pytest.raises(TypeError, match="`top20`"):
        toolkit.verdict_table(lift=0.275, retention=0.8, ceiling=0.579, top20="61%", sat_gain=0.066,
                              ratio=0.99, repeat=-0.009)


def test_plot_lifetime_value_in_chinese_draws_without_missing_glyphs():
    import warnings

    from casekit import plotting

    with i18n.language("zh"), warnings.catch_warnings():
        warnings.simplefilter("error")
        with plotting.style():
            fig, ax = plotting.new_axes()
            toolkit.plot_lifetime_value(ax=ax)
            png = plotting.figure_to_png(fig)
    assert png.startswith(b"\x89PNG")
    assert ax.get_title() == "顾客终身价值随保留率陡峭上升"
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["毛利不变", "毛利每年增长 5%"]
    assert ax.lines[1].get_ydata()[-1] > ax.lines[0].get_ydata()[-1]


def test_widget_chart_legend_draws_chinese():
    import warnings

    from casekit import plotting

    with i18n.language("zh"):
        w = toolkit.build_customer_value_widget()
        w.controls["margin_growth"].value = 0.05
        fig, ax = plotting.new_axes()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            toolkit.customer_value_chart(w.result, ax=ax, **{k: c.value for k, c in w.controls.items()})
            plotting.figure_to_png(fig)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["毛利不变", "毛利每年增长 5%", "当前设置"]


@pytest.mark.parametrize("call, exc, match", [
    (lambda: toolkit.spend_view(pd.DataFrame({"x": [1]})), ValueError, "`spend`"),
    (lambda: toolkit.spend_view(metrics.clv_table([0.5])), ValueError, "`spend`"),
    (lambda: toolkit.outcome_view(pd.DataFrame({"customers": [1], "stayed": [0.5]}, index=["lost"])),
     ValueError, r"`stay` has rows with no reader's label"),
    (lambda: toolkit.lift_view(toolkit.retention_lift_table((0.8,)), delta=0), ValueError, "`delta`"),
    (lambda: toolkit.lift_view("table"), TypeError, "`table`"),
    (lambda: toolkit.word_of_mouth_view([1, 2]), TypeError, "`wom`"),
    (lambda: toolkit.claims_view(pd.DataFrame({"simulated": [1.0], "low": [0.0], "high": [2.0], "unit": ["share"]},
                                              index=["other"])), ValueError, "`claims`"),
    (lambda: toolkit.sample_view(datasets.load("toolkit_customers").assign(segment="vip")), ValueError, "`base`"),
    (lambda: toolkit.rfm_tier_table(pd.DataFrame({"customer_id": [], "date": [], "amount": []})), ValueError,
     "`purchases`"),
])
def test_reader_tables_refuse_bad_input_naming_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
