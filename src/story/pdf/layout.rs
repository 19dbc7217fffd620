//! The PDF's page layout: placed text, links, pictures and SVG, lines broken by the
//! embedded font's metrics, pages started when one is full; and writing the pages with
//! krilla.

use std::sync::{Arc, OnceLock};

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

pub(super) const FONT: &[u8] = include_bytes!("../../../assets/fonts/Ubuntu-Light.ttf");
pub(super) const PAGE: (f32, f32) = (595.0, 842.0);
pub(super) const MARGIN: f32 = 48.0;
pub(super) const BOTTOM: f32 = PAGE.1 - 64.0;
/// The width text runs across.
pub(super) const TEXT_W: f32 = PAGE.0 - 2.0 * MARGIN;
pub(super) const INK: [u8; 3] = [0x22, 0x22, 0x22];
pub(super) const GREY: [u8; 3] = [0x55, 0x55, 0x55];

/// Something drawn on a page, placed.
pub(super) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        rgb: [u8; 3],
    },
    Link {
        rect: (f32, f32, f32, f32),
        url: String,
    },
    Jpeg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        bytes: Arc<Vec<u8>>,
    },
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tree: Arc<usvg::Tree>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [u8; 3],
    },
}

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).ok())
        .as_ref()
        .expect("the embedded font parses")
}

/// The width of `text` at `size` points.
pub(super) fn width(text: &str, size: f32) -> f32 {
    let face = face();
    let per_em = f32::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.5 * per_em, f32::from)
        })
        .sum::<f32>()
        * size
        / per_em
}

/// `text` broken into lines no wider than `max`.
pub(super) fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size) > max && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

pub(super) struct Layout {
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new() -> Self {
        Layout {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    pub(super) fn page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Room for `h` more points, or a new page.
    pub(super) fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > MARGIN {
            self.page();
        }
    }

    pub(super) fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    pub(super) fn text(&mut self, x: f32, size: f32, text: &str, rgb: [u8; 3], max: f32) {
        for line in wrap(text, size, max) {
            self.room(size * 1.4);
            self.push(Op::Text {
                x,
                y: self.y + size,
                size,
                text: line,
                rgb,
            });
            self.y += size * 1.4;
        }
    }

    pub(super) fn svg(&mut self, source: &str, w: f32) {
        let mut options = usvg::Options::default();
        options.fontdb_mut().load_font_data(FONT.to_vec());
        // The SVG's "sans-serif" is the embedded font (the only one there is).
        let family = options
            .fontdb
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map(|f| f.0.clone());
        if let Some(family) = family {
            options.fontdb_mut().set_sans_serif_family(family.clone());
            options.font_family = family;
        }
        let Ok(tree) = usvg::Tree::from_str(source, &options) else {
            return;
        };
        let size = tree.size();
        let h = w * size.height() / size.width();
        self.room(h + 6.0);
        self.push(Op::Svg {
            x: MARGIN,
            y: self.y,
            w,
            h,
            tree: Arc::new(tree),
        });
        self.y += h + 6.0;
    }
}

/// Draws a map (SVG) at the surface's origin; one krilla cannot draw leaves its place
/// blank, and the log says so.
fn draw_map(surface: &mut krilla::surface::Surface, tree: &usvg::Tree, size: Size) {
    if surface
        .draw_svg(tree, size, SvgSettings::default())
        .is_none()
    {
        log::warn!("a map could not be drawn in the PDF; its place is blank");
    }
}

pub(super) fn render(layout: Layout, footer: &str) -> Result<Vec<u8>, String> {
    let font =
        Font::new(Arc::new(FONT.to_vec()).into(), 0).ok_or("the embedded font cannot be read")?;
    let mut document = Document::new();
    let total = layout.pages.len();
    for (n, ops) in layout.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE.0, PAGE.1).ok_or("bad page size")?;
        let mut page = document.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            let draw_text = |surface: &mut krilla::surface::Surface,
                             x: f32,
                             y: f32,
                             size: f32,
                             text: &str,
                             c: [u8; 3]| {
                surface.set_fill(Some(Fill {
                    paint: rgb::Color::new(c[0], c[1], c[2]).into(),
                    ..Fill::default()
                }));
                surface.draw_text(
                    Point::from_xy(x, y),
                    font.clone(),
                    size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            };
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        text,
                        rgb: c,
                    } => draw_text(&mut surface, x, y, size, &text, c),
                    Op::Link { rect, url } => links.push((rect, url)),
                    Op::Jpeg { x, y, w, h, bytes } => {
                        if let (Ok(image), Some(size)) = (
                            Image::from_jpeg((*bytes).clone().into(), true),
                            Size::from_wh(w, h),
                        ) {
                            surface.push_transform(&Transform::from_translate(x, y));
                            surface.draw_image(image, size);
                            surface.pop();
                        }
                    }
                    Op::Svg { x, y, w, h, tree } => {
                        if let Some(size) = Size::from_wh(w, h) {
                            surface.push_transform(&Transform::from_translate(x, y));
                            draw_map(&mut surface, &tree, size);
                            surface.pop();
                        }
                    }
                    Op::Rect { x, y, w, h, rgb: c } => {
                        let mut path = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            path.push_rect(r);
                        }
                        if let Some(path) = path.finish() {
                            surface.set_fill(Some(Fill {
                                paint: rgb::Color::new(c[0], c[1], c[2]).into(),
                                ..Fill::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            // The footer, on every page.
            let mut y = BOTTOM + 18.0;
            for line in wrap(&format!("{footer} · {}/{}", n + 1, total), 6.5, TEXT_W) {
                draw_text(&mut surface, MARGIN, y, 6.5, &line, GREY);
                y += 8.5;
            }
            surface.finish();
        }
        for ((x, y, w, h), url) in links {
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                page.add_annotation(Annotation::new_link(
                    LinkAnnotation::new(rect, Target::Action(LinkAction::new(url).into())),
                    None,
                ));
            }
        }
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}
