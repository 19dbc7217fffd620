//! Where a georeferenced image lies: a GeoTIFF's own tags, or a world file beside a PNG,
//! JPEG or TIFF (with its `.prj` when the numbers are not degrees). The result is the
//! profile's `footprint`, `[west, south, east, north]` in WGS 84 degrees: the box around
//! the image's corners, so an image in a projected system (UTM) is drawn in the box its
//! corners make.

use std::path::{Path, PathBuf};

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use crate::io::import::crs::ToWgs84;

/// An affine placement of pixels: x = c + a·col, y = f + e·row (no rotation), for the
/// corner of the top-left pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placement {
    a: f64,
    c: f64,
    e: f64,
    f: f64,
}

impl Placement {
    fn corners(&self, width: u32, height: u32) -> [(f64, f64); 4] {
        let (w, h) = (f64::from(width), f64::from(height));
        let x = |col: f64| self.c + self.a * col;
        let y = |row: f64| self.f + self.e * row;
        [
            (x(0.0), y(0.0)),
            (x(w), y(0.0)),
            (x(w), y(h)),
            (x(0.0), y(h)),
        ]
    }
}

/// The footprint of the image at `file` when it says where it lies (`Ok(None)` when it
/// does not); `Err` when it says so in a way Pistas cannot use (rotated, an unknown
/// reference system, numbers out of range).
pub fn footprint_of(file: &Path) -> Result<Option<[f64; 4]>, String> {
    let name = file.display();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if (ext == "tif" || ext == "tiff")
        && let Some(found) = geotiff(file).map_err(|e| format!("{name}: {e}"))?
    {
        return Ok(Some(found));
    }
    let Some(world) = world_file(file) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&world).map_err(|e| format!("{}: {e}", world.display()))?;
    let numbers: Vec<f64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{}: a world file holds six numbers", world.display()))?;
    let [a, d, b, e, c, f] = numbers[..] else {
        return Err(format!(
            "{}: a world file holds six numbers",
            world.display()
        ));
    };
    if d != 0.0 || b != 0.0 {
        return Err(format!(
            "{}: the image is rotated; place it by its footprint instead",
            world.display()
        ));
    }
    // A world file names the centre of the top-left pixel.
    let placement = Placement {
        a,
        c: c - a / 2.0,
        e,
        f: f - e / 2.0,
    };
    let prj = file.with_extension("prj");
    let crs = match std::fs::read_to_string(&prj) {
        Ok(wkt) => ToWgs84::from_definition(&wkt, &prj.display().to_string())?,
        Err(e) => {
            if e.kind() != std::io::ErrorKind::NotFound {
                log::debug!("{}: {e}; the world file is taken as WGS 84", prj.display());
            }
            ToWgs84::identity()
        }
    };
    let (width, height) = image::image_dimensions(file).map_err(|e| format!("{name}: {e}"))?;
    to_footprint(&placement, width, height, &crs).map(Some)
}

/// The world file beside an image: `x.pgw`, `x.pngw` or `x.wld` for `x.png`.
fn world_file(file: &Path) -> Option<PathBuf> {
    let ext = file.extension()?.to_string_lossy().to_ascii_lowercase();
    let mut chars = ext.chars();
    let short = format!("{}{}w", chars.next()?, ext.chars().last()?);
    [short, format!("{ext}w"), "wld".to_owned()]
        .into_iter()
        .flat_map(|e| [e.clone(), e.to_ascii_uppercase()])
        .map(|e| file.with_extension(e))
        .find(|p| p.is_file())
}

/// GeoTIFF keys: the model type and the EPSG code of its system.
const MODEL_TYPE: u16 = 1024;
const RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_TYPE: u16 = 3072;

fn geotiff(file: &Path) -> Result<Option<[f64; 4]>, String> {
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(|e| e.to_string())?);
    let mut tiff = Decoder::new(reader).map_err(|e| e.to_string())?;
    let (width, height) = tiff.dimensions().map_err(|e| e.to_string())?;
    let floats = |tiff: &mut Decoder<_>, tag| -> Option<Vec<f64>> {
        tiff.find_tag(tag).ok().flatten()?.into_f64_vec().ok()
    };
    let scale = floats(&mut tiff, Tag::ModelPixelScaleTag);
    let tie = floats(&mut tiff, Tag::ModelTiepointTag);
    let matrix = floats(&mut tiff, Tag::ModelTransformationTag);
    let mut placement = match (scale, tie, matrix) {
        (Some(s), Some(t), _) if s.len() >= 2 && t.len() >= 6 => Placement {
            a: s[0],
            c: t[3] - t[0] * s[0],
            e: -s[1],
            f: t[4] + t[1] * s[1],
        },
        (_, _, Some(m)) if m.len() >= 8 => {
            if m[1] != 0.0 || m[4] != 0.0 {
                return Err("the image is rotated; place it by its footprint instead".to_owned());
            }
            Placement {
                a: m[0],
                c: m[3],
                e: m[5],
                f: m[7],
            }
        }
        _ => return Ok(None),
    };
    let keys: Vec<u16> = tiff
        .find_tag(Tag::GeoKeyDirectoryTag)
        .ok()
        .flatten()
        .and_then(|v| v.into_u16_vec().ok())
        .unwrap_or_default();
    let key = |id: u16| -> Option<u16> {
        keys.get(4..)?
            .chunks_exact(4)
            .find(|k| k[0] == id && k[1] == 0)
            .map(|k| k[3])
    };
    if key(RASTER_TYPE) == Some(2) {
        // PixelIsPoint: the tie point is a pixel's centre.
        placement.c -= placement.a / 2.0;
        placement.f -= placement.e / 2.0;
    }
    let crs = match key(MODEL_TYPE) {
        Some(1) => match key(PROJECTED_TYPE) {
            Some(code) if code != 32767 => ToWgs84::from_epsg(i64::from(code))?,
            _ => return Err("its projected system is not named by an EPSG code".to_owned()),
        },
        Some(2) => match key(GEOGRAPHIC_TYPE) {
            Some(4326) | None => ToWgs84::identity(),
            Some(code) => ToWgs84::from_epsg(i64::from(code))?,
        },
        _ => ToWgs84::identity(),
    };
    to_footprint(&placement, width, height, &crs).map(Some)
}

fn to_footprint(
    placement: &Placement,
    width: u32,
    height: u32,
    crs: &ToWgs84,
) -> Result<[f64; 4], String> {
    let mut west = f64::INFINITY;
    let mut south = f64::INFINITY;
    let mut east = f64::NEG_INFINITY;
    let mut north = f64::NEG_INFINITY;
    for (x, y) in placement.corners(width, height) {
        let (lon, lat) = crs.point(x, y)?;
        west = west.min(lon);
        east = east.max(lon);
        south = south.min(lat);
        north = north.max(lat);
    }
    let in_range = (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east)
        && (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north);
    if !in_range || west >= east || south >= north {
        return Err(format!(
            "its corners ({west:.4}, {south:.4}, {east:.4}, {north:.4}) are not longitude and \
             latitude; a world file in metres needs its .prj beside it"
        ));
    }
    Ok([west, south, east, north])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(path: &Path, width: u32, height: u32) {
        image::RgbaImage::from_pixel(width, height, image::Rgba([0, 0, 0, 255]))
            .save(path)
            .unwrap();
    }

    #[test]
    fn a_world_file_in_degrees_places_its_image() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pista.png");
        png(&file, 100, 50);
        assert_eq!(footprint_of(&file).unwrap(), None);
        // 0.001° pixels, the top-left pixel's centre at (-74.0995, -12.0005).
        std::fs::write(
            dir.path().join("pista.pgw"),
            "0.001\n0\n0\n-0.001\n-74.0995\n-12.0005\n",
        )
        .unwrap();
        let [w, s, e, n] = footprint_of(&file).unwrap().unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(w, -74.1) && close(n, -12.0), "{w} {n}");
        assert!(close(e, -74.0) && close(s, -12.05), "{e} {s}");
    }

    #[test]
    fn a_world_file_in_metres_needs_its_prj() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pista.jpg");
        image::RgbImage::from_pixel(10, 10, image::Rgb([0, 0, 0]))
            .save(&file)
            .unwrap();
        std::fs::write(
            dir.path().join("pista.jgw"),
            "10\n0\n0\n-10\n600005\n8650000\n",
        )
        .unwrap();
        assert!(footprint_of(&file).unwrap_err().contains(".prj"));
        // UTM 18 S: about 74.1° W, 12.2° S.
        std::fs::write(
            dir.path().join("pista.prj"),
            "+proj=utm +zone=18 +south +datum=WGS84 +units=m +no_defs",
        )
        .unwrap();
        let [w, s, e, n] = footprint_of(&file).unwrap().unwrap();
        assert!(
            (-74.2..-74.0).contains(&w) && (-12.3..-12.1).contains(&s),
            "{w} {s}"
        );
        assert!(e > w && n > s);
        // A rotated one is refused, saying what to do.
        std::fs::write(
            dir.path().join("pista.jgw"),
            "10\n1\n1\n-10\n600005\n8650000\n",
        )
        .unwrap();
        assert!(footprint_of(&file).unwrap_err().contains("rotated"));
    }

    #[test]
    fn a_geotiff_says_where_it_lies() {
        use tiff::encoder::{TiffEncoder, colortype};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("scene.tif");
        {
            let mut out = std::fs::File::create(&file).unwrap();
            let mut tiff = TiffEncoder::new(&mut out).unwrap();
            let mut image = tiff.new_image::<colortype::RGB8>(20, 10).unwrap();
            image
                .encoder()
                .write_tag(Tag::ModelPixelScaleTag, &[0.01f64, 0.01, 0.0][..])
                .unwrap();
            image
                .encoder()
                .write_tag(
                    Tag::ModelTiepointTag,
                    &[0.0f64, 0.0, 0.0, -74.5, -12.0, 0.0][..],
                )
                .unwrap();
            // Geographic, WGS 84.
            let keys: [u16; 12] = [1, 1, 0, 2, 1024, 0, 1, 2, 2048, 0, 1, 4326];
            image
                .encoder()
                .write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
                .unwrap();
            image.write_data(&[90u8; 20 * 10 * 3]).unwrap();
        }
        let [w, s, e, n] = footprint_of(&file).unwrap().unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(w, -74.5) && close(n, -12.0) && close(e, -74.3) && close(s, -12.1));
        // A TIFF without tags lies nowhere.
        let plain = dir.path().join("plain.tif");
        image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]))
            .save(&plain)
            .unwrap();
        assert_eq!(footprint_of(&plain).unwrap(), None);
    }
}
