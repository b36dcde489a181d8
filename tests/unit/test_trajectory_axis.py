"""The trajectory chart's time axis: evenly spaced calendar ticks covering every date (pure)."""

from datetime import date

from service.representations.trajectory import tick_label, time_axis, trajectory_svg


def test_a_few_months_are_ticked_monthly_from_the_first_month():
    ticks, step = time_axis([date(2025, 4, 9), date(2025, 7, 14)])
    assert step == 1
    assert ticks == [date(2025, m, 1) for m in range(4, 9)]


def test_a_span_of_years_is_ticked_on_aligned_half_years_covering_both_ends():
    ticks, step = time_axis([date(2022, 10, 7), date(2026, 5, 31)])
    assert step == 6 and ticks[0] == date(2022, 7, 1) and ticks[-1] == date(2026, 7, 1)
    assert all(t.month in (1, 7) and t.day == 1 for t in ticks)


def test_a_decade_is_ticked_yearly_or_coarser_and_labelled_by_year():
    ticks, step = time_axis([date(2015, 3, 1), date(2025, 3, 1)])
    assert step % 12 == 0 and len(ticks) <= 11
    assert tick_label(ticks[0], step) == str(ticks[0].year)
    assert tick_label(date(2025, 7, 1), 6) == "Jul 2025"


def test_one_date_gets_a_tick_on_each_side():
    ticks, _ = time_axis([date(2025, 7, 1)])
    assert ticks[0] <= date(2025, 7, 1) < ticks[-1]


def test_controls_with_no_framing_reading_still_draw_an_empty_chart_with_their_key():
    item = {"id": "x", "name": "A control", "date": "2025-07", "plotted_on": "2025-07-01"}
    data = {"as_of": "2025-01-01", "release": None, "framings": [], "items": [{**item, "now": {}}]}
    svg = trajectory_svg(data)
    assert svg.startswith("<svg") and "A control (2025-07)" in svg
