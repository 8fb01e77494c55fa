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


def test_bad_arguments_are_named(tmp_path):
    import pytest

    with pytest.raises(TypeError, match=r"`text` must be text"):
        R.measure(3)
    with pytest.raises(TypeError, match=r"`sentence` must be text"):
        R.words(None)
    with pytest.raises(FileNotFoundError, match=r"`path` must name an existing file"):
        R.measure_file(tmp_path / "missing.md")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"`path` must be a readable notebook"):
        R.prose_of(broken)
    ok = tmp_path / "ok.md"
    ok.write_text("One short sentence. Another one here.", encoding="utf-8")
    assert R.measure_file(str(ok)).lengths == [3, 3]
