"""Which records' content an import must parse to find the evidence they list: a shortcut over
the canonical text, never saying "none" of content that lists some."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core.records.content import lists_no_evidence
from app.core.seal.canonical import canonical_text

SHA = "ab" * 32
_keys = st.sampled_from(["evidence", "facts", "a", 'evidence":[]', "note"])
_leaves = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.sampled_from(["", '"evidence":[]', '{"evidence":[]}', "证据", "evidence"]),
    st.just([]),
    st.just([{"sha256": SHA}]),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=12,
)


def _listed(content: dict[str, Any]) -> Any:
    return content.get("evidence", [])


@given(st.dictionaries(_keys, _values, max_size=5))
def test_content_said_to_list_no_evidence_lists_none(content: dict[str, Any]) -> None:
    if lists_no_evidence(canonical_text(content)):
        assert _listed(content) == []


def test_the_shortcut_answers_the_usual_content_and_leaves_the_rest_to_the_parse() -> None:
    listing = {"evidence": [{"sha256": SHA}], "facts": {"evidence": []}}
    for content, answer in [
        ({"clause": "6.1", "evidence": []}, True),
        ({"clause": "6.1"}, True),
        ({"description": '"evidence":[{"sha256":"x"}]', "evidence": []}, True),
        ({"evidence": [{"sha256": SHA}]}, False),
        (listing, False),  # an empty list deeper down does not hide the one at the top
        ({"evidence": [], "facts": {"evidence": []}}, False),  # two keys: parsed to be sure
    ]:
        assert lists_no_evidence(canonical_text(content)) is answer, content
