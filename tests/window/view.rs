//! The map's view around a selection: a strip clicked near the map's right edge stays in
//! view when the inspector opens and the map grows narrower.

#[test]
fn a_strip_selected_near_the_edge_stays_in_view_when_the_inspector_opens() {
    let mut h = crate::common::window_sized(None, egui::vec2(1024.0, 768.0));
    let rect = h.state().map_rect().expect("the map is shown");
    // The strip drawn farthest right: the inspector opens over that side.
    let (index, p) = (0..h.state().document().features().len())
        .filter_map(|i| Some((i, h.state().screen_position(i)?)))
        .filter(|(_, p)| rect.contains(*p))
        .max_by(|a, b| a.1.x.total_cmp(&b.1.x))
        .expect("strips in view");
    // Moved to 60 px from the right edge (Mercator x is linear in longitude).
    let (lon, lat, zoom) = h.state().view();
    let degrees_per_px = 360.0 / (256.0 * 2f64.powf(zoom));
    let shift = f64::from(p.x - (rect.right() - 60.0)) * degrees_per_px;
    h.state_mut().set_view(lon + shift, lat, zoom);
    h.run_steps(3);
    let p = h.state().screen_position(index).expect("drawn");
    assert!(
        (p.x - (rect.right() - 60.0)).abs() < 2.0,
        "{p:?} in {rect:?}"
    );
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(4);
    assert_eq!(h.state().selected(), Some(index));
    let narrower = h.state().map_rect().expect("shown");
    assert!(narrower.width() < rect.width(), "the inspector took room");
    let now = h.state().screen_position(index).expect("drawn");
    assert!(
        narrower.shrink(8.0).contains(now),
        "the selected strip is at {now:?}, outside the map {narrower:?}"
    );
}

/// Outside the VRAEM the inspector measures against South America's registry: a "strip"
/// on a registered aerodrome is flagged as likely that aerodrome.
#[test]
fn a_strip_on_a_registered_aerodrome_in_brazil_is_flagged() {
    use egui_kittest::kittest::Queryable;
    let aerodrome = pistas::geodata::south_america::context()
        .aerodromes
        .iter()
        .find(|a| a.country == "BR" && a.kind == "small_airport")
        .expect("a Brazilian airstrip");
    let (lon, lat) = aerodrome.lon_lat;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"s1","properties":{{"name":"On it"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}]}}"#
        ),
    )
    .expect("write");
    let mut h = crate::common::window_sized(Some(path), egui::vec2(1400.0, 900.0));
    while h.state().is_busy() {
        h.run_steps(1);
    }
    h.state_mut().select(Some(0));
    h.run_steps(4);
    let expected = format!(
        "registered aerodrome: {} {}, 0 m away: this may be that aerodrome, not a clandestine strip",
        aerodrome.ident, aerodrome.name
    );
    h.get_by_label(&expected);
}
