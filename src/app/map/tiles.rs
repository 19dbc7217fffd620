//! Online tiles under the map: OpenStreetMap, imagery from two well-known providers, or any
//! XYZ/WMTS URL template a team runs itself. Nothing contacts the network until one of them
//! is chosen. Every source shares the disk cache and the honest user agent, and is watched:
//! when tiles stop arriving the map says so (the embedded basemap stays visible beneath).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use walkers::sources::{Attribution, TileSource};
use walkers::{TileId, TilePiece, Tiles};

/// Imagery providers whose terms allow use in a desktop research tool with attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Imagery {
    /// Sentinel-2 cloudless 2016 by EOX, CC BY 4.0.
    Sentinel2Cloudless2016,
    /// Esri World Imagery (Esri's terms of use: attribution required).
    EsriWorldImagery,
}

impl Imagery {
    pub const ALL: [Imagery; 2] = [Imagery::Sentinel2Cloudless2016, Imagery::EsriWorldImagery];

    pub fn name(self) -> &'static str {
        match self {
            Imagery::Sentinel2Cloudless2016 => "Sentinel-2 cloudless 2016 (EOX)",
            Imagery::EsriWorldImagery => "Esri World Imagery",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Imagery::Sentinel2Cloudless2016 => {
                "https://tiles.maps.eox.at/wmts/1.0.0/s2cloudless_3857/default/g/{z}/{y}/{x}.jpg"
            }
            Imagery::EsriWorldImagery => {
                "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}"
            }
        }
    }

    pub fn attribution(self) -> &'static str {
        match self {
            Imagery::Sentinel2Cloudless2016 => {
                "Sentinel-2 cloudless - https://s2maps.eu by EOX IT Services GmbH (Contains modified Copernicus Sentinel data 2016), CC BY 4.0"
            }
            Imagery::EsriWorldImagery => {
                "Tiles © Esri — Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community"
            }
        }
    }

    fn max_zoom(self) -> u8 {
        match self {
            Imagery::Sentinel2Cloudless2016 => 15,
            Imagery::EsriWorldImagery => 19,
        }
    }
}

/// A tile URL template: `{z}`, `{x}`, `{y}` (XYZ), `{-y}` (TMS), or WMTS's `{TileMatrix}`,
/// `{TileCol}`, `{TileRow}`.
#[derive(Debug, Clone)]
pub struct Template {
    url: String,
    attribution: &'static str,
    max_zoom: u8,
}

impl Template {
    /// Checks that `url` is an http(s) template with a zoom, a column and a row.
    pub fn check(url: &str) -> Result<(), String> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("{url}: a tile URL starts with http:// or https://"));
        }
        let has = |names: &[&str]| names.iter().any(|n| url.contains(n));
        if !has(&["{z}", "{TileMatrix}"])
            || !has(&["{x}", "{TileCol}"])
            || !has(&["{y}", "{-y}", "{TileRow}"])
        {
            return Err(format!(
                "{url}: the template needs {{z}}, {{x}} and {{y}} (or WMTS {{TileMatrix}}, {{TileCol}}, {{TileRow}})"
            ));
        }
        if url.contains("{s}") {
            return Err(format!(
                "{url}: {{s}} (a subdomain) is not filled in; write one of the server's names"
            ));
        }
        Ok(())
    }

    /// A checked template (see [`Template::check`]).
    pub fn new(url: &str, attribution: &str, max_zoom: u8) -> Result<Self, String> {
        Self::check(url)?;
        let url = url.trim();
        // walkers wants a 'static attribution; one small string per source chosen.
        let attribution: &'static str = Box::leak(attribution.trim().to_owned().into_boxed_str());
        Ok(Template {
            url: url.to_owned(),
            attribution,
            max_zoom,
        })
    }

    /// The URL of one tile.
    pub fn url_of(&self, tile: TileId) -> String {
        let flipped = (1u32 << tile.zoom).saturating_sub(1).saturating_sub(tile.y);
        self.url
            .replace("{z}", &tile.zoom.to_string())
            .replace("{TileMatrix}", &tile.zoom.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{TileCol}", &tile.x.to_string())
            .replace("{-y}", &flipped.to_string())
            .replace("{y}", &tile.y.to_string())
            .replace("{TileRow}", &tile.y.to_string())
    }
}

impl TileSource for Template {
    fn tile_url(&self, tile_id: TileId) -> String {
        self.url_of(tile_id)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: self.attribution,
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        self.max_zoom
    }
}

/// How tiles are arriving.
#[derive(Debug, Default)]
struct Health {
    /// When the map first asked for a tile it did not have, since one last arrived.
    waiting_since: Option<Instant>,
    served: u64,
    /// Downloads under way when last asked: a slow link is not a failing one.
    in_progress: usize,
}

/// How long without a tile (and nothing downloading) before the map says tiles fail.
const STALLED: Duration = Duration::from_secs(3);

/// A tile source watched for failures.
pub struct Watched {
    inner: Box<dyn Tiles>,
    health: Arc<Mutex<Health>>,
}

impl Watched {
    pub fn new(inner: Box<dyn Tiles>) -> Self {
        Watched {
            inner,
            health: Arc::default(),
        }
    }
}

impl Tiles for Watched {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        let piece = self.inner.at(tile_id);
        let in_progress = self.inner.stats().in_progress;
        if let Ok(mut h) = self.health.lock() {
            h.in_progress = in_progress;
            if piece.is_some() {
                h.served += 1;
                h.waiting_since = None;
            } else if h.waiting_since.is_none() {
                h.waiting_since = Some(Instant::now());
            }
        }
        piece
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> walkers::Stats {
        self.inner.stats()
    }
}

/// What the map reads of a watched source between frames.
#[derive(Clone, Default)]
pub struct TileStatus {
    health: Option<Arc<Mutex<Health>>>,
}

impl TileStatus {
    pub fn of(watched: &Watched) -> Self {
        TileStatus {
            health: Some(watched.health.clone()),
        }
    }

    /// True when tiles were asked for, none arrived for a while, and none is downloading.
    pub fn failing(&self) -> bool {
        self.health
            .as_ref()
            .and_then(|h| h.lock().ok().map(|h| (h.waiting_since, h.in_progress)))
            .is_some_and(|(since, downloading)| {
                downloading == 0 && since.is_some_and(|s| s.elapsed() >= STALLED)
            })
    }

    /// True while tiles are asked for and have not arrived (the map wakes to tell whether
    /// they fail).
    pub fn waiting(&self) -> bool {
        // Only for a little longer than it takes to tell: a view the source does not
        // cover would otherwise keep the window redrawing.
        self.health
            .as_ref()
            .and_then(|h| h.lock().ok().map(|h| h.waiting_since))
            .flatten()
            .is_some_and(|s| s.elapsed() < STALLED + Duration::from_secs(2))
    }

    /// How many tiles the source has handed to the map.
    pub fn served(&self) -> u64 {
        self.health
            .as_ref()
            .and_then(|h| h.lock().ok().map(|h| h.served))
            .unwrap_or(0)
    }
}

/// The disk cache of online tiles.
pub fn default_cache() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Pistas", "Pistas").map(|d| d.cache_dir().join("tiles"))
}

/// An HTTP source with the shared cache and user agent.
pub fn http<S>(source: S, cache: Option<PathBuf>, ctx: &egui::Context) -> Watched
where
    S: TileSource + Send + Sync + 'static,
{
    let options = walkers::HttpOptions {
        cache,
        user_agent: Some(walkers::HeaderValue::from_static(concat!(
            "Pistas/",
            env!("CARGO_PKG_VERSION"),
            " (desktop research tool; tile usage per each provider's policy)"
        ))),
        ..Default::default()
    };
    Watched::new(Box::new(walkers::HttpTiles::with_options(
        source,
        options,
        ctx.clone(),
    )))
}

/// An imagery provider's source.
pub fn imagery(provider: Imagery, cache: Option<PathBuf>, ctx: &egui::Context) -> Watched {
    let template = Template {
        url: provider.template().to_owned(),
        attribution: provider.attribution(),
        max_zoom: provider.max_zoom(),
    };
    http(template, cache, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_xyz_tms_and_wmts() {
        let tile = TileId {
            x: 3,
            y: 5,
            zoom: 4,
        };
        let xyz = Template::new("https://t.example/{z}/{x}/{y}.png", "x", 19).unwrap();
        assert_eq!(xyz.url_of(tile), "https://t.example/4/3/5.png");
        let tms = Template::new("https://t.example/{z}/{x}/{-y}.png", "x", 19).unwrap();
        assert_eq!(tms.url_of(tile), "https://t.example/4/3/10.png");
        let wmts = Template::new(
            "https://t.example/wmts/{TileMatrix}/{TileRow}/{TileCol}.jpg",
            "x",
            19,
        )
        .unwrap();
        assert_eq!(wmts.url_of(tile), "https://t.example/wmts/4/5/3.jpg");
    }

    #[test]
    fn bad_templates_say_why() {
        assert!(Template::new("ftp://t/{z}/{x}/{y}", "", 19).is_err());
        let e = Template::new("https://t/{z}/{x}.png", "", 19).unwrap_err();
        assert!(e.contains("{y}"), "{e}");
    }
}
