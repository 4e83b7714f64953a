"""Whose view a rating session holds, as a label the aggregate can group by (issue 6).

Self and proxy ratings are never merged: each session is labelled `self`, or
`proxy:<relation>:<perspective>` (e.g. `proxy:family:proxy_their_view`), so that counts
and means can be kept apart by respondent type, relationship and perspective.
"""

from __future__ import annotations

SELF = "self"
# The stored perspective of a person's own ratings (portal/models: Perspective.SELF).
OWN_VIEW = "self"


def session_label(perspective: str, relation: str | None) -> str:
    """Pure: the label for a session's perspective and, for a proxy, the member's relation."""
    if perspective == OWN_VIEW:
        return SELF
    return f"proxy:{relation or 'unknown'}:{perspective}"
