//! Stories: what leaves Pistas for people without GIS. A dossier (one strip or a selection)
//! as one self-contained HTML file, and a web map in one HTML file. Both are made offline
//! from the document and the embedded geodata, in English or Spanish, and can be made "for
//! publication".

pub mod html;
pub mod overview;
pub mod page;
pub mod pdf;
pub mod strip;
pub mod svg;
pub mod text;
pub mod webmap;
pub mod words;

use std::path::Path;

use base64::Engine;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::analysis::{FactBook, Filter};
use crate::io::evidence::media::{self, Kind};
use crate::model::{Document, Evidence};
pub use page::{Made, Picture, footer_text};
pub use strip::StripStory;
pub use words::{Lang, event_status};

/// The strips a story is about: named ones (their ids), else those passing `filter` with
/// their status at `at` (every strip when the filter is empty). An id that is not in the
/// document is an error that names it.
pub fn select(
    doc: &Document,
    ids: &[String],
    filter: &Filter,
    at: NaiveDate,
) -> Result<Vec<usize>, String> {
    if !ids.is_empty() {
        return ids
            .iter()
            .map(|id| {
                doc.position(id)
                    .filter(|&i| doc.features()[i].is_strip())
                    .ok_or_else(|| format!("no strip has the id \"{id}\""))
            })
            .collect();
    }
    let book = FactBook::build(doc);
    let statuses = book.statuses_at(at);
    Ok((0..doc.features().len())
        .filter(|&i| book.facts[i].strip)
        .filter(|&i| book.passes_one(i, filter, statuses[i].0))
        .collect())
}

/// A data URI of an evidence item's picture (a JPEG of at most `side` pixels), or why not.
pub fn picture_uri(
    folder: Option<&Path>,
    item: &Evidence,
    side: u32,
    lang: Lang,
) -> Result<String, String> {
    let path = item
        .path()
        .unwrap_or_else(|| crate::io::evidence::relative_path(item));
    let missing = || lang.fill(words::W::EvidenceMissing, &[&path]);
    let folder = folder.ok_or_else(missing)?;
    let file = crate::io::evidence::file_of(folder, item).map_err(|_| missing())?;
    let kind = Kind::of(item.media_type().as_deref(), &path);
    let picture = match kind {
        Kind::Image => media::decode_image(&file, side)?,
        Kind::Pdf => media::pdf_first_page(&file, side)?,
        _ => return Err(path),
    };
    let rgb = image::RgbaImage::from_raw(picture.width, picture.height, picture.rgba)
        .map(|i| image::DynamicImage::ImageRgba8(i).to_rgb8())
        .ok_or_else(|| "the picture could not be encoded".to_owned())?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82)
        .encode_image(&rgb)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

/// True when the document says it is illustrative (the bundled sample does).
pub fn illustrative(doc: &Document) -> bool {
    doc.features().iter().take(50).any(|f| {
        f.property("illustrative")
            .is_some_and(|v| v.get() == "true")
    })
}

/// What a dossier is made of: each strip's story and its pictures.
fn gather(
    doc: &Document,
    indices: &[usize],
    made: &Made,
    folder: Option<&Path>,
) -> (Vec<StripStory>, Vec<Vec<Picture>>) {
    let stories: Vec<StripStory> = indices
        .par_iter()
        .map(|&i| StripStory::of(&doc.features()[i], made.at))
        .collect();
    let pictures: Vec<Vec<Picture>> = indices
        .par_iter()
        .map(|&i| {
            let feature = doc.features()[i].decoded();
            let shown = crate::analysis::image_at(&feature, made.at).map(|p| p.item.sha256());
            let mut out = Vec::new();
            for event in feature.events() {
                for item in event.evidence() {
                    let path = item.path().unwrap_or_default();
                    let kind = Kind::of(item.media_type().as_deref(), &path);
                    if !matches!(kind, Kind::Image | Kind::Pdf) {
                        continue;
                    }
                    let on_map = shown.as_deref() == Some(item.sha256().as_str());
                    let side = if on_map { 640 } else { 320 };
                    out.push(Picture {
                        item: item.clone(),
                        event_date: event.date().to_string(),
                        uri: picture_uri(folder, item, side, made.lang),
                        on_map,
                    });
                }
            }
            out
        })
        .collect();
    (stories, pictures)
}

/// The dossier of strips `indices` of `doc` as one HTML file. Evidence pictures come from
/// `folder` (a missing file is said in place of its picture).
pub fn dossier_html(
    doc: &Document,
    indices: &[usize],
    made: &Made,
    folder: Option<&Path>,
) -> String {
    let (stories, pictures) = gather(doc, indices, made, folder);
    html::dossier(&stories, &pictures, made)
}

/// The same dossier as PDF.
pub fn dossier_pdf(
    doc: &Document,
    indices: &[usize],
    made: &Made,
    folder: Option<&Path>,
) -> Result<Vec<u8>, String> {
    let (stories, pictures) = gather(doc, indices, made, folder);
    pdf::dossier_pdf(&stories, &pictures, made)
}

#[cfg(test)]
mod tests;
