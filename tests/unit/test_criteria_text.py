"""The framing page's words for criteria: when each applies, and its bands (pure)."""

from service.representations.criteria_text import band_ranges, band_rows, band_value, when_words


def test_band_ranges_put_a_value_on_an_edge_in_the_band_above_as_the_scorer_does():
    assert band_ranges([1.5, 2.5]) == ["under 1.5", "1.5 to under 2.5", "2.5 or more"]


def test_band_rows_give_null_bands_as_none_and_each_band_its_own_rationale():
    bands = {"feature": "x", "edges": [1], "tighten": [None, 1], "loosen": [-1, None]}
    rows = band_rows(bands, {"tighten": ["a", "b"], "loosen": "one text"})
    assert [r["tighten"] for r in rows] == [None, 1]
    assert [r["tighten_why"] for r in rows] == ["a", "b"]
    assert rows[0]["loosen_why"] is None


def test_band_value_says_not_applicable_for_a_null_band_and_signs_the_others():
    assert [band_value(v) for v in (None, 1, -0.5)] == ["not applicable", "+1.0", "−0.5"]


def test_when_words_say_flags_and_alternatives_and_absence_as_always():
    assert when_words(None) == ["Always."]
    said = when_words([{"inference_only": True}, {"layers": ["hbm"], "extraterritorial": False}])
    assert said == [
        "It covers inference chips alone.",
        "It covers HBM and it is not extraterritorial.",
    ]
