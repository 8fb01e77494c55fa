"""casekit.readability: the sentence measure behind the plain-English rule."""

from casekit import readability as R


def test_sentences_split_on_ends_and_list_items():
    text = "The hotel pays. Guests return! Why?\n\n* A list item\n* Another one, longer.\n\n| a | b |\n|---|---|\n"
    assert R.sentences(text) == ["The hotel pays.", "Guests return!", "Why?", "A list item", "Another one, longer."]


def test_code_tables_tags_and_chinese_are_not_counted():
    text = "```python\nx = 1 + 2 + 3 + 4\n```\n<b>Bold</b> words here. 中文不计算。"
    r = R.measure(text)
    assert len(r.sentences) == 1 and "x = 1" not in r.sentences[0]
    assert r.lengths == [3]


def test_average_and_longest():
    long = "Word " + " ".join(["word"] * 39) + "."
    r = R.measure("Short one. " + long)
    assert r.longest == 40 and r.average == (2 + 40) / 2
    assert not r.ok() and r.too_long() == [long]
    assert R.measure("Fine and short. Also fine.").ok()
