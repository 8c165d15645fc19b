"""The spam filter's benchmark (bench/spam.py): it runs, and the filter does its job on the generated set."""

from bench import spam


def test_the_filter_separates_generated_spam_from_readers_comments():
    result = spam.measure(size=1200, seed=3)
    rows = {row["verdict"]: row for row in result["rows"]}
    assert result["held_out"] == 300
    assert rows["spam"]["precision"] >= 0.98
    assert rows["spam"]["recall"] >= 0.6
    assert rows["held"]["recall"] >= rows["spam"]["recall"]


def test_the_table_replaces_its_own_section_only(tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\n## Requests\n\nkept\n", encoding="utf-8")
    monkeypatch.setattr(spam, "RESULTS", results)
    spam.write(spam.table(spam.measure(size=200, seed=1)))
    spam.write(spam.table(spam.measure(size=200, seed=2)))
    text = results.read_text(encoding="utf-8")
    assert text.count(spam.SECTION) == 1
    assert "## Requests\n\nkept" in text
    assert "seed 2" in text and "seed 1" not in text
