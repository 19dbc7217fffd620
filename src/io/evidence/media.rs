//! What an evidence file shows: an image decoded to a bounded size, a PDF's first page,
//! a text or saved page's words. Everything here runs off the window's thread and never
//! panics on a file: a truncated, hostile or huge file gives an error, within bounded
//! memory.

use std::io::{BufReader, Read};
use std::path::Path;

use image::{ImageReader, Limits};

/// Pixels decoded for the window: RGBA, row by row.
#[derive(Clone)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}×{})", self.width, self.height)
    }
}

/// How a file is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Pdf,
    /// A web page saved as HTML, or plain text.
    Text,
    /// A web archive (WARC): its records' headers and the page's words.
    Warc,
    Other,
}

impl Kind {
    /// The kind of a file from its media type, else its extension.
    pub fn of(media_type: Option<&str>, path: &str) -> Kind {
        let ext = path
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match (media_type.unwrap_or(""), ext.as_str()) {
            (m, _) if m.starts_with("image/") => Kind::Image,
            ("application/pdf", _) | (_, "pdf") => Kind::Pdf,
            ("application/warc", _) | (_, "warc") => Kind::Warc,
            (m, _) if m.starts_with("text/") => Kind::Text,
            (_, "png" | "jpg" | "jpeg" | "tif" | "tiff" | "webp" | "gif") => Kind::Image,
            (_, "html" | "htm" | "txt" | "md") => Kind::Text,
            _ => Kind::Other,
        }
    }
}

/// Files larger than this are not decoded for showing (they are still hashed, streamed).
pub const SHOW_AT_MOST: u64 = 256 << 20;

/// What decoding may allocate: a hostile header that claims a vast image is refused
/// before any pixel is read.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(30_000);
    limits.max_image_height = Some(30_000);
    limits.max_alloc = Some(768 << 20);
    limits
}

/// Decodes the image at `path` and scales it to fit `max_side` pixels (never up).
pub fn decode_image(path: &Path, max_side: u32) -> Result<Picture, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > SHOW_AT_MOST {
        return Err(format!(
            "{} MB is too large to show (verify still checks it)",
            size >> 20
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    decode_reader(BufReader::new(file), max_side)
}

/// Decodes an image held in memory (as [`decode_image`] does a file).
pub fn decode_bytes(bytes: &[u8], max_side: u32) -> Result<Picture, String> {
    decode_reader(std::io::Cursor::new(bytes), max_side)
}

fn decode_reader<R: std::io::BufRead + std::io::Seek>(
    reader: R,
    max_side: u32,
) -> Result<Picture, String> {
    let mut reader = ImageReader::new(reader)
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("not an image Pistas can decode (PNG, JPEG, TIFF, WebP, GIF)".to_owned());
    }
    reader.limits(limits());
    let image = reader.decode().map_err(|e| e.to_string())?;
    let max_side = max_side.max(1);
    let image = if image.width() > max_side || image.height() > max_side {
        image.thumbnail(max_side, max_side)
    } else {
        image
    };
    let rgba = image.to_rgba8();
    Ok(Picture {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// The first page of a PDF, drawn by poppler's `pdftoppm` when it is installed.
pub fn pdf_first_page(path: &Path, max_side: u32) -> Result<Picture, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let prefix = dir.path().join("page");
    let output = std::process::Command::new("pdftoppm")
        .args(["-f", "1", "-l", "1", "-png", "-singlefile", "-scale-to"])
        .arg(max_side.to_string())
        .arg(path)
        .arg(&prefix)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "showing a PDF needs pdftoppm (poppler-utils), which is not installed".to_owned()
            }
            _ => format!("pdftoppm: {e}"),
        })?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.lines().next().unwrap_or("it could not be read");
        return Err(format!("the PDF's first page: {why}"));
    }
    decode_image(&prefix.with_extension("png"), max_side)
}

/// At most this much of a text is read for showing.
const TEXT_AT_MOST: u64 = 256 << 10;

/// The words of a text or saved page: HTML loses its tags, scripts and styles.
pub fn text_of(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(TEXT_AT_MOST).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&bytes);
    let lower = path.to_string_lossy().to_ascii_lowercase();
    Ok(
        if lower.ends_with(".html") || lower.ends_with(".htm") || looks_html(&text) {
            html_words(&text)
        } else {
            text.into_owned()
        },
    )
}

fn looks_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// The words of a web archive: each record's type, address and date, then the first
/// response's page as words.
pub fn warc_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(TEXT_AT_MOST).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = String::new();
    let mut body = None;
    for record in text.split("WARC/1.").skip(1) {
        let (head, rest) = record.split_once("\r\n\r\n").unwrap_or((record, ""));
        let field = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
        };
        out.push_str(&format!(
            "{}  {}  {}\n",
            field("WARC-Type:").unwrap_or_default(),
            field("WARC-Target-URI:").unwrap_or_default(),
            field("WARC-Date:").unwrap_or_default()
        ));
        if body.is_none() && field("WARC-Type:").as_deref() == Some("response") {
            // The HTTP response's own headers end at the next blank line.
            body = rest.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
        }
    }
    if out.is_empty() {
        return Err("not a web archive (no WARC record)".to_owned());
    }
    if let Some(body) = body {
        out.push('\n');
        out.push_str(&html_words(&body));
    }
    Ok(out)
}

/// Readable words of an HTML page: tags dropped, script and style left out, the common
/// entities decoded, blank runs collapsed.
pub fn html_words(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<script") || rest.starts_with("<style") {
            let close = if rest.starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            };
            i += rest.find(close).map_or(rest.len(), |k| k + close.len());
            continue;
        }
        if rest.starts_with('<') {
            i += rest.find('>').map_or(rest.len(), |k| k + 1);
            out.push(' ');
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        out.push_str(&html[i..i + next]);
        i += next;
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut lines = Vec::new();
    for line in decoded.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if !words.is_empty() {
            lines.push(words.join(" "));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 10, 10, 255]));
        image::DynamicImage::ImageRgba8(image)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    }

    #[test]
    fn an_image_is_scaled_to_fit() {
        let p = decode_bytes(&png(400, 100), 100).unwrap();
        assert_eq!((p.width, p.height), (100, 25));
        assert_eq!(p.rgba.len(), 100 * 25 * 4);
        let small = decode_bytes(&png(10, 20), 100).unwrap();
        assert_eq!((small.width, small.height), (10, 20));
    }

    #[test]
    fn a_truncated_or_vast_image_is_an_error() {
        let whole = png(64, 64);
        for cut in [0, 8, 20, 40, whole.len() / 2] {
            assert!(decode_bytes(&whole[..cut], 64).is_err(), "cut at {cut}");
        }
        // A header that claims 100 000 × 100 000 pixels is refused before decoding.
        let mut vast = whole.clone();
        vast[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        vast[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(decode_bytes(&vast, 64).is_err());
        assert!(decode_bytes(b"%PDF-1.4", 64).is_err());
    }

    #[test]
    fn html_becomes_words() {
        let page = "<html><head><style>p{}</style><script>var a='<b>';</script></head>\n<body><h1>Pista &amp; r\u{ed}o</h1>\n<p>Destruida   el 5</p></body></html>";
        assert_eq!(html_words(page), "Pista & río\nDestruida el 5");
    }

    #[test]
    fn kinds_come_from_media_type_or_extension() {
        assert_eq!(Kind::of(Some("image/png"), "x"), Kind::Image);
        assert_eq!(Kind::of(None, "ab/x.JPG"), Kind::Image);
        assert_eq!(Kind::of(None, "ab/x.pdf"), Kind::Pdf);
        assert_eq!(Kind::of(Some("application/warc"), "x"), Kind::Warc);
        assert_eq!(Kind::of(None, "ab/x.html"), Kind::Text);
        assert_eq!(Kind::of(None, "ab/x.bin"), Kind::Other);
    }
}
