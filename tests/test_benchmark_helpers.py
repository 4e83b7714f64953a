"""The pure helpers of the overhead benchmark and the answering profile (benchmarks/)."""

from benchmarks.overhead import ratio_line
from benchmarks.profile_answering import normalise_sql, short_name, top_rows


def test_ratio_line_divides_by_the_bare_page():
    line = ratio_line({"bare": 2.0, "question": 3.0, "answer": 5.0, "rating": 4.0, "mat": 4.5})
    assert line == ("bare_ms=2.00 question_ratio=1.50 answer_ratio=2.50 rating_ratio=2.00 "
                    "mat_ratio=2.25")


def test_ratio_line_without_a_bare_figure_says_nan():
    assert ratio_line({"bare": 0.0, "question": 3.0}).endswith(
        "question_ratio=nan answer_ratio=nan rating_ratio=nan mat_ratio=nan")


def test_short_name_drops_the_prefixes():
    assert short_name("/x/.venv/lib/python3.11/site-packages/flask/app.py", 10, "f") == \
        "flask/app.py:10(f)"
    assert short_name("/work/wt/overhead/portal/core/x.py", 3, "g") == "portal/core/x.py:3(g)"
    assert short_name("/usr/lib/python3.11/json/decoder.py", 1, "h") == \
        "stdlib/json/decoder.py:1(h)"
    assert short_name("~", 0, "<built-in method len>") == "<built-in method len>"
    assert short_name("~", 0, "commit") == "{commit}"


def test_normalise_sql_folds_and_cuts():
    assert normalise_sql("SELECT a,\n   b  FROM t") == "SELECT a, b FROM t"
    assert normalise_sql("x" * 50, width=10) == "x" * 9 + "…"


def test_top_rows_per_request():
    stats = {("/work/main/portal/a.py", 1, "f"): (2, 20, 0.01, 0.5, {}),
             ("/work/main/portal/b.py", 2, "g"): (10, 10, 0.2, 0.2, {})}
    assert top_rows(stats, 10, "cumulative", 1) == [("portal/a.py:1(f)", 50.0, 2)]
    assert top_rows(stats, 10, "own", 5)[0] == ("portal/b.py:2(g)", 20.0, 1)
