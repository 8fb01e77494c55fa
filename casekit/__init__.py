"""casekit: the helper package behind the CRM and service-marketing case course.

Modules, one job each:

* :mod:`casekit.cases`     the case registry (titles, questions, key terms; English and 中文)
* :mod:`casekit.i18n`      the language switch, message catalogue and glossary (English / 中文)
* :mod:`casekit.metrics`   CRM formulas: retention, CLV, Pareto, RFM, word of mouth, recovery
* :mod:`casekit.customers` a simulated customer base for the toolkit
* :mod:`casekit.plotting`  house chart style and shared charts
* :mod:`casekit.answers`   students' answers saved safely to disk
* :mod:`casekit.widgets`   discussion-question and what-if widgets
* :mod:`casekit.datasets`  the shipped CSV datasets and their data dictionaries
* :mod:`casekit.toolkit`   the start-here what-if (one customer's value)
* :mod:`casekit.queueing`  waiting lines (Erlang C, a queue that builds over the day)
* :mod:`casekit.sqlkit`    run a student's SQL and explain errors plainly
* one module per case for its model and simulator: :mod:`casekit.dell`
  (+ ``dell_customers``), ``haidilao``, ``ikea``, ``haier``, ``hotel``

Tools, not course content: :mod:`casekit.nbtools` (execute and check
notebooks, mark exercise masters), :mod:`casekit.checking` (the exercise
masters' checks; freezes hidden checks' reference values),
:mod:`casekit.grading` (nbgrader; an instructor extra) and
:mod:`casekit.bench` (``make bench``).

Import the module you need, e.g. ``from casekit import metrics``. Choose the
language once per notebook: ``casekit.set_language("zh")``.
"""



def set_language(lang: str) -> str:
    """Choose the language of everything casekit shows: ``"en"`` or ``"zh"``
    (see :func:`casekit.i18n.set_language`)."""
    from .i18n import set_language as _set

    return _set(lang)


def get_language() -> str:
    """The current language, ``"en"`` or ``"zh"``."""
    from .i18n import get_language as _get

    return _get()


__version__ = "0.1.0"
__all__ = ["__version__", "set_language", "get_language"]
