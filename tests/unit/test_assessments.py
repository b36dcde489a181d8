"""service.assessments.dated: a changed credence or status is dated the write's day unless the
write gives its own assessed_on."""

from service.assessments import dated

DAY = "2026-12-04"
BEFORE = {
    "title": "t",
    "assessment": {
        "status": "holding",
        "credence": 0.6,
        "assessed_on": "2025-07-21",
        "last_reviewed": "2025-08",
    },
}


def changed(**fields):
    return {**BEFORE, "assessment": {**BEFORE["assessment"], **fields}}


def test_a_new_credence_without_a_new_date_is_dated_the_write_s_day():
    after = dated(BEFORE, changed(credence=0.2), DAY)
    assert after["assessment"]["assessed_on"] == DAY
    assert after["assessment"]["last_reviewed"] == DAY and after["assessment"]["credence"] == 0.2


def test_a_new_status_without_a_new_date_is_dated_the_write_s_day():
    assert dated(BEFORE, changed(status="broken"), DAY)["assessment"]["assessed_on"] == DAY


def test_a_date_the_write_gives_is_kept():
    after = changed(credence=0.2, assessed_on="2026-11-30", last_reviewed="2026-11-30")
    assert dated(BEFORE, after, DAY) == after


def test_a_later_review_date_is_kept_when_the_assessment_is_redated():
    after = dated(BEFORE, changed(credence=0.2, last_reviewed="2027-01"), DAY)
    assert after["assessment"]["last_reviewed"] == "2027-01"


def test_an_unchanged_assessment_is_left_alone():
    after = {**BEFORE, "title": "new title"}
    assert dated(BEFORE, after, DAY) is after


def test_a_credence_written_as_another_number_type_is_not_a_change():
    after = changed(credence=0.6)
    after["assessment"]["credence"] = 0.60
    assert dated(BEFORE, after, DAY) is after


def test_bodies_without_an_assessment_are_left_for_validation():
    assert dated(None, {"x": 1}, DAY) == {"x": 1}
    assert dated(BEFORE, {"assessment": "junk"}, DAY) == {"assessment": "junk"}
    assert dated(BEFORE, [1], DAY) == [1]
