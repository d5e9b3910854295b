"""The pure rules: which switch governs a session, and when a home visit needs a follow-up."""

from datetime import date, datetime

from babysteps.delivery.rules import (
    BOTH,
    HEALTH_ALONE,
    SHORTENED,
    SwitchPoint,
    follow_up_reason,
    governing_on,
)

T0 = datetime(2020, 3, 1, 9, 0)


def point(id_, site_level, action, day, created_hour=9, mode="phone"):
    return SwitchPoint(
        id=id_,
        site_level=site_level,
        action=action,
        from_date=day,
        created_at=T0.replace(hour=created_hour),
        mode=mode if action == "pause" else "",
    )


def test_nothing_switched_means_group():
    assert not governing_on([], date(2020, 3, 30)).paused


def test_a_site_pause_applies_from_its_date_until_the_resume():
    points = [
        point(1, True, "pause", date(2020, 3, 23)),
        point(2, True, "resume", date(2020, 7, 1)),
    ]
    assert not governing_on(points, date(2020, 3, 19)).paused
    assert governing_on(points, date(2020, 3, 23)).paused
    assert governing_on(points, date(2020, 6, 30)).switch_id == 1
    assert not governing_on(points, date(2020, 7, 1)).paused


def test_a_later_pause_changes_the_mode_to_video_first():
    points = [
        point(1, True, "pause", date(2020, 3, 23)),
        point(2, True, "pause", date(2020, 4, 27), mode="video"),
    ]
    assert governing_on(points, date(2020, 4, 1)).mode == "phone"
    assert governing_on(points, date(2020, 5, 1)).mode == "video"


def test_a_cohort_paused_on_its_own_stays_paused_when_the_site_resumes():
    points = [
        point(1, False, "pause", date(2020, 3, 2)),  # a facilitator shortage
        point(2, True, "pause", date(2020, 3, 23)),
        point(3, True, "resume", date(2020, 7, 1)),
    ]
    state = governing_on(points, date(2020, 7, 8))
    assert state.paused and state.switch_id == 1


def test_a_cohort_resumed_on_its_own_during_a_site_pause_is_group_again():
    points = [
        point(1, True, "pause", date(2020, 3, 23)),
        point(2, False, "resume", date(2020, 5, 1), created_hour=10),
    ]
    assert governing_on(points, date(2020, 4, 1)).paused
    assert not governing_on(points, date(2020, 5, 4)).paused


def test_a_newer_site_pause_sets_the_mode_of_a_cohort_paused_on_its_own():
    points = [
        point(1, False, "pause", date(2020, 3, 2)),
        point(2, True, "pause", date(2020, 4, 27), mode="video"),
    ]
    assert governing_on(points, date(2020, 3, 9)).mode == "phone"
    assert governing_on(points, date(2020, 5, 4)).mode == "video"


def test_follow_up_reasons():
    def reason(planned, actual, *who):
        return follow_up_reason(
            planned_minutes=planned,
            actual_minutes=actual,
            disciplines=who,
            tolerance_minutes=10,
        )

    assert reason(60, 55, "health", "childrens_services") is None
    assert reason(60, 30, "health", "childrens_services") == SHORTENED
    assert reason(60, 60, "health") == HEALTH_ALONE
    assert reason(60, 25, "health") == BOTH
    assert reason(60, 60, "childrens_services") is None
