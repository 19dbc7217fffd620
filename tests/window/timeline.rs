//! The timeline: one time scale for the date and the bars; each month's bar spans its
//! month, so a click in October's bar shows a day of October; an event dated today does
//! not squeeze a zoomed history; the axis zooms to a brushed span and fits back; the
//! timeline folds to one line, and is one line when there is nothing to chart.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::PistasApp;

use chrono::NaiveDate;

fn app(size: egui::Vec2, file: Option<std::path::PathBuf>) -> Harness<'static, PistasApp> {
    crate::common::window_sized(file, size)
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test value")
}

#[test]
fn a_click_in_a_months_bar_shows_a_day_of_that_month_and_the_marker_stays_in_it() {
    let mut h = app(egui::vec2(1400.0, 900.0), None);
    let plot = h.state().timeline_plot().expect("the chart is drawn");
    // The chart is the date slider for a screen reader, labelled as the date field is.
    let slider = h.get_by_role_and_label(Role::Slider, "Status on");
    assert!((slider.rect().center().x - plot.center().x).abs() < 1.0);
    let (_, (a, b)) = h.state().timeline_x(d("2014-10-15")).expect("drawn");
    assert!(b - a > 2.0, "October's bar has a width: {a}..{b}");
    let p = egui::pos2((a + b) / 2.0, plot.center().y);
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(3);
    let date = h.state().date();
    assert_eq!(date.format("%Y-%m").to_string(), "2014-10", "{date}");
    let (x, (a, b)) = h.state().timeline_x(date).expect("drawn");
    assert!(
        a <= x && x <= b,
        "the marker {x} is inside October's bar {a}..{b}"
    );
    // Each bar ends where the next month's begins: bars span their month.
    let (_, (_, oct_end)) = h.state().timeline_x(d("2014-10-31")).expect("test value");
    let (_, (nov_start, _)) = h.state().timeline_x(d("2014-11-01")).expect("test value");
    assert!((oct_end - nov_start).abs() < 1e-3);
}

#[test]
fn a_brushed_span_zooms_and_an_event_dated_today_does_not_squeeze_it() {
    let mut h = app(egui::vec2(1400.0, 900.0), None);
    let whole = h.state().timeline_view();
    let plot = h.state().timeline_plot().expect("drawn");
    // Shift-drag from mid-2013 to the end of 2014.
    let (x0, _) = h.state().timeline_x(d("2013-07-01")).expect("test value");
    let (x1, _) = h.state().timeline_x(d("2014-12-31")).expect("test value");
    let y = plot.center().y;
    h.event(egui::Event::PointerButton {
        pos: egui::pos2(x0, y),
        button: egui::PointerButton::Secondary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(2);
    for k in 1..=10 {
        let x = x0 + (x1 - x0) * k as f32 / 10.0;
        h.event(egui::Event::PointerMoved(egui::pos2(x, y)));
        h.run_steps(1);
    }
    h.event(egui::Event::PointerButton {
        pos: egui::pos2(x1, y),
        button: egui::PointerButton::Secondary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(3);
    let zoomed = h.state().timeline_view();
    assert!(
        zoomed.0 >= d("2013-06-20") && zoomed.0 <= d("2013-07-10"),
        "{zoomed:?}"
    );
    assert!(
        zoomed.1 >= d("2014-12-20") && zoomed.1 <= d("2015-01-10"),
        "{zoomed:?}"
    );
    // An event dated today: the data now reaches today, the zoomed axis stays as it was.
    let today = chrono::Local::now().date_naive();
    let index = 0;
    h.state_mut().select(Some(index));
    h.run_steps(3);
    h.get_by_label("Add event").click();
    h.run_steps(2);
    h.get_by_label("Date").focus();
    h.run_steps(1);
    h.get_by_label("Date").type_text(&today.to_string());
    h.run_steps(2);
    h.get_by_label("Save event").click();
    h.run_steps(4);
    assert_eq!(
        h.state().timeline_range().1,
        today,
        "the data reaches today"
    );
    assert_eq!(h.state().timeline_view(), zoomed, "the zoom is kept");
    let (_, (a, b)) = h.state().timeline_x(d("2014-10-15")).expect("test value");
    assert!(
        b - a > 30.0,
        "a month of the zoomed span is wide: {}",
        b - a
    );
    // Fit shows everything again, today included.
    h.get_by_label("Fit").click();
    h.run_steps(3);
    let fitted = h.state().timeline_view();
    assert!(fitted.0 <= whole.0 && fitted.1 >= today, "{fitted:?}");
}

#[test]
fn the_timeline_folds_to_one_line_and_the_map_gets_the_room() {
    let mut h = app(egui::vec2(1024.0, 768.0), None);
    let map = h.state().map_rect().expect("map").height();
    assert!(!h.state().timeline_folded());
    h.get_by_label("Hide chart").click();
    h.run_steps(4);
    assert!(h.state().timeline_folded());
    assert!(h.state().timeline_plot().is_none());
    let taller = h.state().map_rect().expect("map").height();
    assert!(taller > map + 40.0, "{map} → {taller}");
    h.get_by_label("Show chart").click();
    h.run_steps(4);
    assert!(h.state().timeline_plot().is_some());
}

#[test]
fn a_survey_without_events_has_a_one_line_timeline() {
    let dir = tempfile::tempdir().expect("test value");
    let path = dir.path().join("survey.geojson");
    let positions: Vec<(f64, f64)> = (0..20)
        .map(|i| (-50.0 + f64::from(i) * 0.1, -10.0))
        .collect();
    let text = crate::common::points_collection(&positions, |i| format!(r#""name":"s{i}""#));
    std::fs::write(&path, text).expect("write");
    let mut h = app(egui::vec2(1024.0, 768.0), Some(path));
    h.run_steps(4);
    assert_eq!(h.state().document().features().len(), 20);
    assert!(h.state().timeline_folded(), "nothing to chart");
    h.get_by_label("No dated events to chart");
}
