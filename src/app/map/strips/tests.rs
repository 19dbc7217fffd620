use chrono::NaiveDate;
use egui::{Pos2, Rect, vec2};

use super::cache::*;
use super::{clusters, draw};
use crate::app::map::lines::LabelSpace;
use crate::app::map::transform::{Transform, mercator};
use crate::app::theme;
use crate::model::synthetic::generate;
use crate::model::{Document, Status};

#[test]
fn picks_the_strip_under_the_cursor() {
    let doc = generate(500, 7);
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let cache = StripCache::build(&doc, 0, date);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
    let target = cache.item(42).unwrap().anchor;
    let t = Transform::centred(rect, target, 16.0);
    assert_eq!(cache.pick(&t, rect.center(), 6.0), Some(42));
    assert_eq!(cache.pick(&t, rect.center() + vec2(200.0, 0.0), 6.0), None);
}

#[test]
fn updating_in_place_matches_a_rebuild() {
    let mut doc = generate(300, 9);
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut cache = StripCache::build(&doc, 0, date);
    let shape: geo::Geometry<f64> = geo::Point::new(-73.1, -13.7).into();
    doc.update(10, |f| {
        f.geometry_mut().unwrap().set_shape(shape);
    })
    .unwrap()
    .unwrap();
    cache.update(&doc, &[10], 1);
    let fresh = StripCache::build(&doc, 1, date);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
    let t = Transform::centred(rect, mercator(-73.1, -13.7), 15.0);
    assert_eq!(cache.pick(&t, rect.center(), 6.0), Some(10));
    assert_eq!(fresh.pick(&t, rect.center(), 6.0), Some(10));
    let whole = (mercator(-76.0, -10.0), mercator(-72.0, -15.0));
    assert_eq!(cache.in_view(whole), fresh.in_view(whole));
}

#[test]
fn concave_polygons_with_holes_are_filled_exactly() {
    use geo::{Area, MapCoords};
    // An L-shaped clearing with a square hole in its long arm.
    let outer = geo::LineString::from(vec![
        (-74.0, -12.0),
        (-73.9, -12.0),
        (-73.9, -12.02),
        (-73.98, -12.02),
        (-73.98, -12.1),
        (-74.0, -12.1),
        (-74.0, -12.0),
    ]);
    let hole = geo::LineString::from(vec![
        (-73.995, -12.05),
        (-73.985, -12.05),
        (-73.985, -12.06),
        (-73.995, -12.06),
        (-73.995, -12.05),
    ]);
    let polygon = geo::Polygon::new(outer, vec![hole]);
    let mut fill = Vec::new();
    fill_of(&polygon.clone().into(), &mut fill);
    let triangles: f64 = fill
        .iter()
        .map(|[a, b, c]| {
            ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
        })
        .sum();
    let projected = polygon.map_coords(|c| {
        let m = mercator(c.x, c.y);
        geo::Coord { x: m[0], y: m[1] }
    });
    let area = projected.unsigned_area();
    assert!(
        (triangles - area).abs() < area * 1e-9,
        "{triangles} vs {area}"
    );
}

#[test]
fn culls_to_the_view() {
    let doc = generate(2000, 3);
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let cache = StripCache::build(&doc, 0, date);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
    let anchor = cache.item(0).unwrap().anchor;
    let near = Transform::centred(rect, anchor, 14.0);
    let far = Transform::centred(rect, anchor, 4.0);
    let n_near = cache.in_view(near.visible(0.0)).len();
    let n_far = cache.in_view(far.visible(0.0)).len();
    assert!(n_near < 50 && n_far == 2000, "{n_near} {n_far}");
}

#[test]
fn a_runway_seen_from_far_away_is_long_enough_to_click() {
    // A 150 m runway at zoom 6 is a fraction of a pixel; it is drawn, and hit, as 16 px.
    let mut doc = Document::default();
    let line = geo::LineString::from(vec![(-74.0, -12.0), (-73.9986, -12.0)]);
    doc.push(crate::model::Feature::new_strip(
        crate::model::FeatureId::String("r".to_owned()),
        "Runway",
        line.into(),
    ))
    .unwrap();
    let cache = StripCache::build(&doc, 0, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
    let t = Transform::centred(rect, mercator(-73.9993, -12.0), 6.0);
    let near_end = rect.center() + vec2(theme::MIN_RUNWAY_PX / 2.0 + 3.0, 0.0);
    assert_eq!(cache.pick(&t, near_end, 6.0), Some(0));
    let part = &cache.item(0).unwrap().parts[0];
    let drawn = line_on_screen(&t, &part.points);
    let length = drawn[0].distance(drawn[drawn.len() - 1]);
    assert!((length - theme::MIN_RUNWAY_PX).abs() < 0.01, "{length}");
}

#[test]
fn clusters_hold_every_feature_in_view_with_its_status_mix() {
    let doc = generate(5000, 3);
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut cache = StripCache::build(&doc, 0, date);
    let facts = crate::analysis::FactBook::build(&doc);
    let statuses = facts.statuses_at(date);
    cache.set_view_state(date, &statuses, false);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(900.0, 700.0));
    let t = Transform::centred(rect, mercator(-74.0, -12.4), 7.0);
    let visible = cache.in_view(t.visible(10.0));
    let cells = clusters::cells_of_for_tests(&t, &cache, &visible);
    let total: u32 = cells.iter().map(|c| c.0).sum();
    let on_screen = visible
        .iter()
        .filter(|&&i| rect.contains(t.to_screen(cache.item(i).unwrap().anchor)))
        .count();
    assert_eq!(total as usize, on_screen);
    for (count, by_status) in &cells {
        assert_eq!(by_status.iter().sum::<u32>(), *count);
    }
    let destroyed: u32 = cells
        .iter()
        .map(|c| c.1[clusters::status_slot(Status::Destroyed)])
        .sum();
    let expected = visible
        .iter()
        .filter(|&&i| rect.contains(t.to_screen(cache.item(i).unwrap().anchor)))
        .filter(|&&i| cache.status(i).0 == Status::Destroyed)
        .count();
    assert_eq!(destroyed as usize, expected);
}

/// A cache of `doc` with statuses at 2020-01-01 and every `hide_every`-th feature hidden by
/// the filters, and a view of its whole region.
fn overview(doc: &crate::model::Document, hide_every: usize) -> (StripCache, Transform, Rect) {
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut cache = StripCache::build(doc, 0, date);
    let facts = crate::analysis::FactBook::build(doc);
    cache.set_view_state(date, &facts.statuses_at(date), false);
    for (k, shown) in cache.visible.iter_mut().enumerate() {
        *shown = k % hide_every != 0;
    }
    let (min, max) = cache.bounds.unwrap();
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(900.0, 700.0));
    let centre = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
    let t = Transform::centred(rect, centre, 6.0);
    (cache, t, rect)
}

#[test]
fn counting_every_feature_matches_counting_the_list_of_those_in_view() {
    use clusters::Features;
    let mut doc = generate(3000, 5);
    // Features without a place, and strips the filters hide, are not counted.
    for i in (0..doc.features().len()).step_by(7) {
        doc.update(i, |f| f.set_geometry(None)).unwrap().unwrap();
    }
    let (mut cache, t, _) = overview(&doc, 3);
    assert!(cache.covers(t.visible(10.0)), "the whole region is in view");
    let listed = cache.in_view(t.visible(10.0));
    let expected = (0..cache.len())
        .filter(|&i| i % 3 != 0 && doc.features()[i].geometry().is_some())
        .count();
    assert_eq!(listed.len(), expected);
    for per_share in [100_000, 1_000, 7] {
        let (all, looked) =
            clusters::cells_in_shares_for_tests(&t, &cache, Features::All, per_share);
        let (these, listed_looked) =
            clusters::cells_in_shares_for_tests(&t, &cache, Features::These(&listed), per_share);
        assert_eq!(all, these, "in shares of {per_share}");
        assert_eq!(looked, expected);
        assert_eq!(listed_looked, expected);
        let counted: u32 = all.iter().map(|c| c.0).sum();
        assert!(counted > 0 && counted as usize <= expected);
    }
    // An edit that takes a feature's place away takes it off the grid.
    let gone = listed[0];
    doc.update(gone, |f| {
        f.set_geometry(None);
    })
    .unwrap()
    .unwrap();
    cache.update(&doc, &[gone], 1);
    let (_, looked) = clusters::cells_in_shares_for_tests(&t, &cache, Features::All, 1_000);
    assert_eq!(looked, expected - 1);
}

#[test]
fn the_overview_draws_every_shown_feature_with_a_place_in_its_clusters() {
    let mut doc = generate(5000, 6);
    for i in (0..doc.features().len()).step_by(5) {
        doc.update(i, |f| f.set_geometry(None)).unwrap().unwrap();
    }
    // A point with no place (NaN, as an empty point or a failed projection gives) is
    // neither drawn nor counted.
    let nowhere = crate::model::Geometry::new(geo::Point::new(f64::NAN, -12.0).into());
    doc.update(1, |f| f.set_geometry(Some(nowhere)))
        .unwrap()
        .unwrap();
    let (cache, t, rect) = overview(&doc, 4);
    assert!(cache.item(1).is_none());
    let listed = cache.in_view(t.visible(10.0));
    assert!(listed.len() > AGGREGATE_ABOVE, "{}", listed.len());
    let ctx = egui::Context::default();
    let mut drawn = None;
    let input = egui::RawInput {
        screen_rect: Some(rect),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| {
        let mut labels = LabelSpace::default();
        drawn = Some(draw(ui.painter(), &t, 6.0, &cache, &[], &mut labels, false));
    });
    // Nothing renders here: the fonts' texture is dropped unused.
    output.textures_delta.clear();
    let drawn = drawn.unwrap();
    assert!(drawn.aggregated);
    assert_eq!(drawn.in_view, listed.len());
    let on_screen = listed
        .iter()
        .filter(|&&i| rect.contains(t.to_screen(cache.item(i).unwrap().anchor)))
        .count();
    let clustered: u32 = drawn.clusters.iter().map(|c| c.count).sum();
    assert_eq!(clustered as usize, on_screen);
}

#[test]
fn a_cluster_stands_at_its_members_mean_and_grows_with_its_count() {
    // Two tight groups, 40 and 5 points, far from any grid cell's middle.
    let mut features = Vec::new();
    for (n, lon, lat) in [(40, -74.137, -12.291), (5, -73.512, -12.873)] {
        for k in 0..n {
            let d = f64::from(k) * 0.0002;
            features.push(format!(
                r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
                lon + d,
                lat - d
            ));
        }
    }
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let doc = crate::io::read_bytes(text.as_bytes(), "groups.geojson").document;
    let cache = StripCache::build(&doc, 0, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(900.0, 700.0));
    let t = Transform::centred(rect, mercator(-73.8, -12.6), 7.0);
    let visible = cache.in_view(t.visible(10.0));
    let centres = clusters::centres_for_tests(&t, &cache, &visible);
    for (n, lon, lat) in [(40u32, -74.137, -12.291), (5, -73.512, -12.873)] {
        let d = f64::from(n - 1) * 0.0001;
        let mean = t.to_screen(mercator(lon + d, lat - d));
        let (at, count) = centres
            .iter()
            .copied()
            .min_by(|a, b| a.0.distance(mean).total_cmp(&b.0.distance(mean)))
            .unwrap();
        assert_eq!(count, n);
        assert!(
            at.distance(mean) < 1.0,
            "{at:?} is not the members' mean {mean:?}"
        );
    }
    assert!(draw::cluster_radius(40, 40) > draw::cluster_radius(5, 40) + 5.0);
    assert!(
        draw::cluster_radius(1, 100_000) >= 9.0,
        "room for the count's text"
    );
    // A fifth of the largest is visibly smaller (a log scale capped both at one size).
    assert!(draw::cluster_radius(20_000, 100_000) + 4.0 < draw::cluster_radius(100_000, 100_000));
}

#[test]
fn a_strips_name_has_room_beside_its_own_marker() {
    // The marker's box was reserved and then blocked every place of its own name: no strip
    // names were drawn.
    use super::super::lines::LabelSpace;
    for at in [
        Pos2::new(100.0, 100.0),
        Pos2::new(333.3, 217.7),
        Pos2::new(0.5, 0.25),
    ] {
        let mut space = LabelSpace::default();
        space.reserve(draw::marker_box(at));
        let places = draw::label_places(at, vec2(80.0, 14.0));
        for place in places {
            assert!(
                space.is_free(place.expand(1.0)),
                "{place:?} meets its marker at {at:?}"
            );
        }
        // Another marker right beside it takes the right-hand place; the left is still free.
        space.reserve(draw::marker_box(at + vec2(20.0, 0.0)));
        assert!(!space.is_free(places[0].expand(1.0)));
        assert!(space.is_free(places[1].expand(1.0)));
    }
}
