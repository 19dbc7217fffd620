//! GeoPackage, QGIS's default format, read through SQLite built into Pistas (rusqlite's
//! bundled SQLite: nothing to install) and geozero's GeoPackage geometry blobs: any point,
//! line or polygon layer, in any CRS proj4rs knows, brought to WGS 84; attributes become
//! properties (JSON columns, as GDAL marks them, become JSON). Pistas' own GeoPackage
//! (`strips` and `events`, see `io::export::gpkg`) reads back into the same strips and
//! histories.

use std::path::Path;

use super::collect::{Collection, fatal};
use super::options::Bbox;
use super::origin::Origin;
use crate::io::read::Parsed;

mod rows;
mod schema;

pub use schema::LayerInfo;
use schema::{is_own, layers_of, open};

use rows::{read_events, read_layer};

/// The feature layers, in the order of `gpkg_contents`.
pub fn layers(path: &Path) -> Result<Vec<LayerInfo>, String> {
    let conn = open(path)?;
    layers_of(&conn)
}

/// The layers to choose from when a GeoPackage has several and is not Pistas' own;
/// `None` when it can be read without a choice.
pub fn choice_needed(path: &Path) -> Result<Option<Vec<LayerInfo>>, String> {
    let conn = open(path)?;
    let layers = layers_of(&conn)?;
    Ok((layers.len() > 1 && !is_own(&conn, &layers)).then_some(layers))
}

/// Reads one layer (`layer`), or the only one, or Pistas' strips with their events.
pub fn read(path: &Path, file: &str, layer: Option<&str>, bbox: Option<Bbox>) -> Parsed {
    let fail = |message: String| fatal(file, &Origin::default(), message);
    let conn = match open(path) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let layers = match layers_of(&conn) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    if layers.is_empty() {
        return fail(
            "the GeoPackage has no feature layer (only tiles or tables without geometry)"
                .to_owned(),
        );
    }
    let names = || {
        layers
            .iter()
            .map(|l| format!("\"{}\" ({} features)", l.name, l.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut collection = Collection::new(file);
    let chosen = match layer {
        Some(name) => match layers.iter().find(|l| l.name == name) {
            Some(l) => l,
            None => {
                return fail(format!(
                    "the GeoPackage has no layer \"{name}\"; its layers are {}",
                    names()
                ));
            }
        },
        None if is_own(&conn, &layers) => {
            let find = |n: &str| layers.iter().find(|l| l.name == n);
            if let (Some(strips), Some(events)) = (find("strips"), find("events")) {
                // The histories first, so each strip is written whole as it is read.
                match read_events(&conn, events, &mut collection) {
                    Ok(events) => collection.set_events(events),
                    Err(e) => return fail(e),
                }
                // Strips left outside the box take their events with them.
                if bbox.is_some() {
                    collection.drop_orphan_events();
                }
                if let Err(e) = read_layer(&conn, path, strips, bbox, true, &mut collection) {
                    return fail(e);
                }
                return collection.finish();
            }
            &layers[0]
        }
        None if layers.len() == 1 => &layers[0],
        None => {
            return fail(format!(
                "the GeoPackage has {} layers: {}; choose one (in the window, or with --layer NAME)",
                layers.len(),
                names()
            ));
        }
    };
    match read_layer(&conn, path, chosen, bbox, false, &mut collection) {
        Ok(()) => collection.finish(),
        Err(e) => fail(e),
    }
}
