"""The words the commissioner's pages and exports show for the codes of the rollups
(periods, respondents, sources, age bands, purposes), and the suppression rule in plain
words. Looked up at request time, so each is in the page's language."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.commissioning import aggregate
from portal.commissioning.disclosure import ALL
from portal.core.labels import relation_label


def respondent_label(code: str) -> str:
    if code == aggregate.SELF:
        return _("The person themselves")
    if code == aggregate.PROXY:
        return _("Anyone in their circle of support")
    _proxy, relation, perspective = (code.split(":") + ["", ""])[:3]
    if perspective == "proxy_their_view":
        return _("%(relation)s, saying what the person would say",
                 relation=relation_label(relation))
    return _("%(relation)s, giving their own view", relation=relation_label(relation))


def period_label(code: str) -> str:
    if aggregate.is_quarter(code):
        return _("Quarter %(quarter)s of %(year)s", quarter=code[-1], year=code[:4])
    return _("The year %(year)s", year=code)


def source_label(code: str) -> str:
    return {ALL: _("Reviews and events"), aggregate.REVIEW: _("Reviews"),
            aggregate.EVENT: _("Listening events")}.get(code, code)


def age_label(code: str) -> str:
    if code == ALL:
        return _("All ages")
    if code == aggregate.UNKNOWN_AGE:
        return _("Age not known")
    return code


def purpose_label(code: str) -> str:
    return {"matters": _("What matters to people"),
            "barriers": _("What gets in the way for people"),
            "helps": _("What helps people")}.get(code, code)


def rule(threshold: int) -> list[str]:
    """The rule in plain words, for every commissioner page and export."""
    return [
        _("Numbers about fewer than %(num)d people are hidden. This includes 0.",
          num=threshold),
        _("Some bigger numbers are hidden too. We hide them across every table, period, "
          "area and group together."),
        _("So nobody can work out a hidden number, even with every download put together."),
        _("A mean score is shown only when no number in its row is hidden."),
        _("Listening events show numbers from 3 in their own reports. Nothing here gives "
          "away a number an event report left out."),
    ]
