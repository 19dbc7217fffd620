//! The map in the window: the map with its tools and the filters beside it, going to a place,
//! adding strips and drawing shapes, and the basemap chosen.

use crate::app::i18n::T;
use crate::app::map::view::Picked;
use crate::app::map::{self, BasemapChoice, Tool, tiles};
use crate::app::panels::filters;
use crate::app::state::selection::Selection;
use crate::app::{PistasApp, Tab};
use crate::edit::parse_coordinates;

impl PistasApp {
    /// Go to: coordinates, then a strip's name or id, then a town or aerodrome.
    pub(crate) fn go_to(&mut self) {
        let text = self.goto.text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        self.goto.error = None;
        if let Ok((lon, lat)) = parse_coordinates(&text) {
            self.map.go_to(lon, lat, 12.0);
            return;
        }
        let q = crate::analysis::fold(&text);
        let doc = self.doc.document();
        let found = doc
            .features()
            .iter()
            .position(|f| crate::analysis::fold(f.label()) == q || f.id().as_str() == text)
            .or_else(|| {
                doc.features()
                    .iter()
                    .position(|f| crate::analysis::fold(f.label()).contains(&q))
            });
        if let Some(i) = found {
            self.set_selection(Selection::Strip(i));
            if let Some(item) = self.derived.cache.item(i) {
                let (lon, lat) = map::transform::lon_lat_of(item.anchor);
                self.map.go_to(lon, lat, 12.0);
            }
            return;
        }
        if let Some(place) = map::basemap::basemap().find_place(&text) {
            let (lon, lat) = place.lon_lat;
            self.map.go_to(lon, lat, 11.0);
            return;
        }
        self.goto.error = Some(self.lang.fill(T::NotFound, &[&text]));
    }

    pub(crate) fn filters_ui(&mut self, ui: &mut egui::Ui) {
        let mut filter = self.filters.get().clone();
        let total = self.doc.document().features().len();
        let shown = self.derived.shown_count();
        let request = self
            .filter_panel
            .ui(ui, self.lang, &mut filter, shown, total);
        match request {
            filters::AreaRequest::None => {}
            filters::AreaRequest::CurrentView => {
                if let Some(t) = self.map.transform {
                    let (a, b) = t.visible(0.0);
                    let (w, n) = map::transform::lon_lat_of(a);
                    let (e, s) = map::transform::lon_lat_of(b);
                    filter.area = Some([w, s, e, n]);
                }
            }
            filters::AreaRequest::Draw => {
                self.show_tab(Tab::Map);
                self.set_tool(Tool::Area(None));
            }
            filters::AreaRequest::DrawPolygon => {
                self.show_tab(Tab::Map);
                self.set_tool(Tool::Polygon(Vec::new()));
            }
        }
        self.filters.set(filter);
    }

    pub(crate) fn map_ui(&mut self, ui: &mut egui::Ui) {
        let (working_opacity, context, legend_layers) = (
            self.working_opacity(),
            self.context_alpha(),
            self.legend_layers(),
        );
        let imagery = self.imagery_for_map(&ui.ctx().clone());
        let frame = map::MapFrame {
            cache: &self.derived.cache,
            selected: self.selection.strip(),
            hovered: self.hovered,
            tool: &self.tool,
            lang: self.lang,
            show_labels: self.settings.labels,
            context_over_tiles: self.settings.context_over_tiles,
            selected_feature: self
                .selection
                .strip()
                .and_then(|i| self.doc.document().features().get(i)),
            document: self.doc.document(),
            layers: Self::draw_slots(&self.layers, self.selection.layer()),
            working_opacity,
            context,
            legend_layers,
            area_outline: self
                .filters
                .get()
                .polygon
                .as_ref()
                .map(|r| r.corners().to_vec())
                .or_else(|| {
                    self.filters
                        .get()
                        .area
                        .map(|[w, s, e, n]| vec![(w, s), (e, s), (e, n), (w, n)])
                }),
            imagery,
        };
        let out = map::map_ui(ui, &mut self.map, frame);
        // A panel that opened beside the map (the inspector, say) does not hide the
        // selected strip.
        match self
            .selection
            .strip()
            .and_then(|i| self.derived.cache.item(i))
        {
            Some(item) => self.map.keep_in_view(item.anchor),
            None => self.map.note_rect(),
        }
        self.hovered = out.hovered;
        if let Some((index, shape)) = out.moved {
            self.edit(|e| e.set_shape(index, shape));
        }
        if let Some((pos, picked)) = out.clicked {
            self.map_clicked(pos, picked);
        }
    }

    /// A click on the map, by the tool in hand: selects what it hit, adds a strip, or
    /// takes a point of a runway, a measure, an area or a polygon.
    fn map_clicked(&mut self, pos: walkers::Position, picked: Option<usize>) {
        match self.tool.clone() {
            Tool::Select => match self.pick_at(pos, picked) {
                Some(Picked::Working(i)) => {
                    self.set_selection(Selection::Strip(i));
                    self.table.scroll_to = Some(i);
                }
                Some(Picked::Layer(key, i)) => {
                    self.set_selection(Selection::Layer { key, index: i });
                }
                None => {
                    self.set_selection(Selection::Nothing);
                }
            },
            Tool::AddPoint => {
                let shape = geo::Point::new(pos.x(), pos.y()).into();
                self.add_strip(T::NewStrip, shape);
            }
            Tool::AddRunway(None) => self.set_tool(Tool::AddRunway(Some(pos))),
            Tool::Measure(mut points) => {
                points.push(pos);
                self.set_tool(Tool::Measure(points));
            }
            Tool::Area(None) => self.set_tool(Tool::Area(Some(pos))),
            Tool::Polygon(mut points) => {
                // A click on the first corner closes the polygon.
                let closes = points.len() >= 3
                    && self.map.transform.is_some_and(|t| {
                        let first =
                            t.to_screen(map::transform::mercator(points[0].x(), points[0].y()));
                        let here = t.to_screen(map::transform::mercator(pos.x(), pos.y()));
                        first.distance(here) <= 10.0
                    });
                if closes {
                    self.finish_polygon(points);
                } else {
                    points.push(pos);
                    self.set_tool(Tool::Polygon(points));
                }
            }
            Tool::Area(Some(first)) => {
                let (w, e) = (first.x().min(pos.x()), first.x().max(pos.x()));
                let (s, n) = (first.y().min(pos.y()), first.y().max(pos.y()));
                self.filters.edit(|f| f.area = Some([w, s, e, n]));
                self.set_tool(Tool::Select);
            }
            Tool::AddRunway(Some(first)) => {
                let ends = vec![(first.x(), first.y()), (pos.x(), pos.y())];
                self.add_strip(T::NewRunway, geo::LineString::from(ends).into());
            }
        }
    }

    /// The polygon drawn on the map becomes the area filter.
    pub(crate) fn finish_polygon(&mut self, points: Vec<walkers::Position>) {
        if points.len() >= 3 {
            let ring = points.iter().map(|p| (p.x(), p.y())).collect();
            self.filters
                .edit(|f| f.polygon = Some(crate::analysis::Ring::new(ring)));
        }
        self.set_tool(Tool::Select);
    }

    /// Adds a strip drawn on the map, selects it and goes back to selecting.
    pub(crate) fn add_strip(&mut self, name: T, shape: geo::Geometry<f64>) {
        let name = self.lang.t(name).to_owned();
        if let Some(i) = self.edit(|e| e.add_strip(&name, shape)) {
            self.set_selection(Selection::Strip(i));
        }
        self.set_tool(Tool::Select);
    }

    pub(crate) fn set_basemap(&mut self, ctx: &egui::Context, choice: BasemapChoice) {
        let cache = self.map.tile_cache.clone();
        let watched = match &choice {
            BasemapChoice::Offline => None,
            BasemapChoice::OpenStreetMap => {
                Some(tiles::http(walkers::sources::OpenStreetMap, cache, ctx))
            }
            BasemapChoice::Imagery(provider) => Some(tiles::imagery(*provider, cache, ctx)),
            BasemapChoice::Custom { url, attribution } => {
                match tiles::Template::new(url, attribution, 20) {
                    Ok(template) => Some(tiles::http(template, cache, ctx)),
                    Err(e) => {
                        self.overlays.message(e);
                        return;
                    }
                }
            }
            BasemapChoice::PmTiles(path) => {
                if !path.exists() {
                    self.overlays.message(
                        self.lang
                            .fill(T::CannotOpen, &[&path.display().to_string()]),
                    );
                    self.remember(|s| s.basemap = BasemapChoice::Offline);
                    self.map.choice = BasemapChoice::Offline;
                    return;
                }
                self.map.tiles = Some(Box::new(walkers::PmTiles::with_style(
                    path,
                    walkers::Style::protomaps_basemap_light(),
                    ctx.clone(),
                )));
                self.map.tile_status = tiles::TileStatus::default();
                self.map.choice = choice.clone();
                self.remember(|s| s.basemap = choice);
                return;
            }
        };
        self.map.tile_status = watched
            .as_ref()
            .map(tiles::TileStatus::of)
            .unwrap_or_default();
        self.map.tiles = watched.map(|w| Box::new(w) as Box<dyn walkers::Tiles>);
        self.map.choice = choice.clone();
        self.remember(|s| s.basemap = choice);
    }
}
