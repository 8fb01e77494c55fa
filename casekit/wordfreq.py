"""The most frequent words of a class's answers, in English and in Chinese.

* English: lower-cased words of letters (with inner apostrophes or hyphens),
  without the stop words of :data:`EN_STOP` ("the", "and", "because" …) and
  without words of one letter.
* Chinese: segmented into words with ``jieba`` (the course's key terms from
  the glossary are added to its dictionary, so "服务补救" stays one word),
  without the function words of :data:`ZH_STOP` ("的", "我们", "因为" …) and
  without single characters (mostly particles).

A word counts once per answer (how many students used it), so one long
answer cannot fill the list.

    >>> top_words(["Cheating is rare.", "cheating and refunds"], n=2)
    [('cheating', 2), ('rare', 1)]
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter

from ._checks import check_number

__all__ = ["EN_STOP", "ZH_STOP", "tokens", "top_words"]

EN_STOP = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
even ever few for from further get gets got had hadn't has hasn't have haven't having he her here hers herself
him himself his how however i i'm if in into is isn't it it's its itself just let's like made make makes many
may me might more most much must mustn't my myself need no nor not now of off often on once one only or other
ought our ours ourselves out over own per rather really same shall she should shouldn't so some such than that
that's the their theirs them themselves then there there's these they they're this those though through thus
to too under until up upon us very was wasn't we we're were weren't what when where whether which while who
whom why will with within without won't would wouldn't yes yet you your yours yourself yourselves
think thinks thought say says said view views opinion believe feel overall
""".split())
"""English stop words (function words that say nothing about an answer)."""

ZH_STOP = frozenset("""
的 了 是 在 和 与 及 或 也 就 都 而 但 又 还 着 过 被 把 让 给 对 从 向 到 为 以 于 之 其 这 那 这个 那个 这些 那些
一个 一些 一种 没有 不是 就是 还是 可以 可能 因为 所以 如果 虽然 但是 而且 并且 或者 然后 因此 由于 我们 你们 他们
她们 它们 自己 什么 怎么 怎样 为什么 哪些 这样 那样 已经 非常 比较 更加 很多 所有 需要 应该 能够 通过 进行 以及
认为 觉得 总的来说 总的 来说 看来 看法 我的 的话
""".split())
"""Chinese function words left out of the count."""

NAMES_ZH = ("海底捞", "宜家", "海尔", "戴尔", "联想", "华为", "汉普顿")
"""Company names kept whole when Chinese is segmented."""

CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a Chinese character (also used by the class view)
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_EN_WORD = re.compile(r"[a-z][a-z'’\-]*[a-z]|[a-z]")


@functools.cache
def _jieba():
    import jieba  # noqa: PLC0415 (a second of loading its dictionary: only when Chinese is met)

    jieba.setLogLevel(logging.WARNING)
    from .i18n import glossary  # noqa: PLC0415

    for term in glossary():
        for word in (term.zh, *getattr(term, "also", ())):
            if word and CJK_CHAR.search(word) and " " not in word:
                jieba.add_word(word)
    for word in NAMES_ZH:
        jieba.add_word(word)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """The counted words of one answer, in order (English and Chinese).

    >>> tokens("I think the refund works. 我认为退款有效")
    ['refund', 'works', '退款', '有效']
    """
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a string, got {text!r:.80} ({type(text).__name__})")
    out = []
    lowered = text.lower().replace("’", "'")
    for w in _EN_WORD.findall(_CJK_RUN.sub(" ", lowered)):
        w = w.strip("'-")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 1 and w not in EN_STOP:
            out.append(w)
    runs = _CJK_RUN.findall(text)
    if runs:
        jieba = _jieba()
        for run in runs:
            out.extend(w for w in jieba.lcut(run) if len(w) > 1 and w not in ZH_STOP)
    return out


def top_words(texts, n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` words used by the most answers, as (word, answers) pairs,
    most used first (ties in alphabetical order)."""
    n = check_number("n", n, low=1, integer=True)
    if isinstance(texts, (str, bytes)) or not hasattr(texts, "__iter__"):
        raise TypeError(f"`texts` must be a list of answers (strings), got {type(texts).__name__}")
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(tokens(text)))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
