"""The commissioner's presenters (portal/commissioning/presenters.py) and labels: plain
tables and charts from already suppressed results, tested without a database."""

from __future__ import annotations

from types import SimpleNamespace as Ns

import pytest

from portal.commissioning import presenters
from portal.commissioning.labels import period_label, respondent_label, rule


@pytest.fixture()
def page(app):
    with app.test_request_context("/"):
        yield


WORDS = Ns(domains={"home": ("Home", "Cartref")},
           points={"how-true.always": ("Always", "Bob amser"),
                   "how-true.never": ("Never", "Byth")},
           statements=[Ns(key="s1", words_en="I feel safe", words_cy="Rwy'n teimlo'n ddiogel")])


def _result(counts, n, mean, domain_mean):
    row = Ns(statement=WORDS.statements[0], counts=counts, n=n, mean=mean)
    return Ns(rows=[row], domains=[Ns(key="home", mean=domain_mean, statements=1)],
              points=["how-true.always", "how-true.never"])


def test_a_hidden_number_is_written_hidden_in_every_table(page):
    tables = presenters.result_tables(WORDS, _result([None, 12], None, None, None), "en")
    (_, domains), (_, statements) = tables
    assert domains[1] == ["Home", "Hidden", 1]
    assert statements[0][1:3] == ["Always", "Never"]
    assert statements[1] == ["I feel safe", "Hidden", 12, "Hidden", "Hidden"]
    chart, summary = presenters.domain_chart(tables, _result([None, 12], None, None, None))
    assert summary.startswith("Every number here is hidden")
    assert "chart-domains" in str(chart)


def test_shown_numbers_and_their_summary_in_welsh_words(page):
    result = _result([10, 15], 25, 40.0, 62.4)
    tables = presenters.result_tables(WORDS, result, "cy")
    assert tables[0][1][1] == ["Cartref", "62.4", 1]
    assert tables[1][1][1] == ["Rwy'n teimlo'n ddiogel", 10, 15, 25, "40.0"]
    _chart, summary = presenters.domain_chart(tables, result)
    assert "62" in summary


def test_the_gap_table_signs_the_gap_and_hides_what_is_hidden(page):
    compared = Ns(labels=["proxy:family:proxy_own_view"], rows=[Ns(
        statement_key="s1", self_mean=50.0, proxy_means=[None], any_proxy=60.0, gap=10.0)])
    table = presenters.gap_table(WORDS, compared, "en")
    assert table[1] == ["I feel safe", "50.0", "Hidden", "60.0", "+10.0"]
    assert table[0][2] == respondent_label("proxy:family:proxy_own_view")


def test_every_export_starts_with_the_filters_and_the_rule(page):
    chosen = {"period": "2025-Q1", "area": "la:x", "respondent": "self", "source": "*",
              "age": "*"}
    choices = {"period": [("2025-Q1", period_label("2025-Q1"))], "area": [("la:x", "X")],
               "respondent": [], "source": [], "age": []}
    lines = presenters.preamble(chosen, choices, 10)
    assert lines[0] == ("Period", "Quarter 1 of 2025")
    assert lines[1] == ("Area", "X")
    assert lines[2] == ("Who answered", "self")  # an unlabelled choice shows its code
    assert [value for label, value in lines if label == "Rule"] == rule(10)
