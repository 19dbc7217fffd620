//! `pistas dossier` and `pistas publish`: stories for people without GIS.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::exit::OK;
use super::say::say;
use crate::analysis::Filter;
use crate::io::publication::{Publication, for_publication};
use crate::io::{read_path, save_atomic};
use crate::model::{Document, Status};
use crate::story::{Lang, Made};

/// What the dossier and the web map share: the document, the date, the language,
/// publication.
#[derive(Debug, clap::Args)]
pub struct StoryArgs {
    pub doc: PathBuf,
    /// Statuses are shown at this date (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub at: Option<String>,
    /// en or es.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// For publication: private sources and evidence, notes and local paths left out.
    #[arg(long)]
    pub public: bool,
    /// With --public: round coordinates to DECIMALS decimals of a degree.
    #[arg(long, value_name = "DECIMALS", requires = "public")]
    pub round: Option<u32>,
}

/// Which strips a dossier is about.
#[derive(Debug, clap::Args)]
pub struct Which {
    /// A strip, by id (repeat for several); without it, the strips the filters pass.
    #[arg(long = "strip", value_name = "ID")]
    pub strips: Vec<String>,
    /// Only strips with these statuses at the date: active, rebuilt, destroyed, unknown.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rebuilt_at_least: usize,
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub destroyed_at_least: usize,
    /// Only strips inside MINLON,MINLAT,MAXLON,MAXLAT.
    #[arg(long, value_name = "BOX", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Only strips with an event from this date…
    #[arg(long)]
    pub from: Option<String>,
    /// …to this date.
    #[arg(long)]
    pub to: Option<String>,
}

fn day(text: &str) -> Result<NaiveDate, String> {
    crate::model::FuzzyDate::parse(text)
        .map(|d| d.start())
        .map_err(|e| format!("\"{text}\": {e}"))
}

impl Which {
    fn filter(&self) -> Result<Filter, String> {
        let statuses = self
            .status
            .iter()
            .map(|s| {
                Status::parse(s.trim()).ok_or_else(|| {
                    format!("unknown status \"{s}\" (active, rebuilt, destroyed, unknown)")
                })
            })
            .collect::<Result<_, _>>()?;
        let area = match &self.bbox {
            Some(b) => {
                let b = crate::io::import::Bbox::parse(b)?;
                Some([b.min_x, b.min_y, b.max_x, b.max_y])
            }
            None => None,
        };
        Ok(Filter {
            statuses,
            min_rebuilt: self.rebuilt_at_least,
            min_destroyed: self.destroyed_at_least,
            area,
            from: self.from.as_deref().map(day).transpose()?,
            to: self.to.as_deref().map(day).transpose()?,
            ..Filter::default()
        })
    }
}

/// The document read, made public if asked, with what a story says of how it was made.
struct Loaded {
    doc: Document,
    made: Made,
    folder: PathBuf,
}

fn load(args: &StoryArgs, err: &mut dyn Write) -> Result<Loaded, String> {
    let lang = Lang::parse(&args.lang).ok_or_else(|| format!("--lang {}: en or es", args.lang))?;
    let at = match &args.at {
        Some(t) => day(t)?,
        None => chrono::Local::now().date_naive(),
    };
    let bytes = std::fs::read(&args.doc).map_err(|e| format!("{}: {e}", args.doc.display()))?;
    let parsed = read_path(&args.doc).map_err(|e| e.to_string())?;
    if parsed.fatal {
        let first = parsed
            .diagnostics
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(format!("{} cannot be read: {first}", args.doc.display()));
    }
    let mut doc = parsed.document;
    let mut left_out = Vec::new();
    if args.public {
        let (public, left) = for_publication(
            &doc,
            Publication {
                decimals: args.round,
            },
        );
        doc = public;
        left_out = left.lines();
        for line in &left_out {
            say!(err, "for publication: {line}");
        }
    }
    let made = Made {
        lang,
        at,
        made: chrono::Local::now().date_naive(),
        file_name: args
            .doc
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: crate::io::evidence::sha256_bytes(&bytes),
        left_out,
        illustrative: crate::story::illustrative(&doc),
    };
    Ok(Loaded {
        doc,
        made,
        folder: crate::io::evidence::folder_of(&args.doc),
    })
}

/// Checks that OUT can be written before any work: its folder exists.
fn writable(out: &Path) -> Result<(), String> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(format!(
            "{}: the folder {} does not exist",
            out.display(),
            dir.display()
        ));
    }
    Ok(())
}

pub fn dossier(
    args: &StoryArgs,
    which: &Which,
    out_path: &Path,
    err: &mut dyn Write,
) -> Result<i32, String> {
    let ext = out_path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let pdf = match ext.as_str() {
        "html" | "htm" => false,
        "pdf" => true,
        _ => {
            return Err(format!(
                "{}: a dossier is written as .html or .pdf",
                out_path.display()
            ));
        }
    };
    writable(out_path)?;
    let filter = which.filter()?;
    let loaded = load(args, err)?;
    let picked = crate::story::select(&loaded.doc, &which.strips, &filter, loaded.made.at)?;
    if picked.is_empty() {
        return Err("no strip passes these filters: nothing written".to_owned());
    }
    let bytes = if pdf {
        crate::story::dossier_pdf(&loaded.doc, &picked, &loaded.made, Some(&loaded.folder))?
    } else {
        crate::story::dossier_html(&loaded.doc, &picked, &loaded.made, Some(&loaded.folder))
            .into_bytes()
    };
    save_atomic(out_path, &bytes, true).map_err(|e| e.to_string())?;
    say!(
        err,
        "wrote {} (dossier of {} strip(s), {} kB)",
        out_path.display(),
        picked.len(),
        bytes.len() / 1024
    );
    Ok(OK)
}

pub fn publish(args: &StoryArgs, out_path: &Path, err: &mut dyn Write) -> Result<i32, String> {
    writable(out_path)?;
    let loaded = load(args, err)?;
    let title = match loaded.made.lang {
        Lang::En => "Landing strips and their histories",
        Lang::Es => "Pistas de aterrizaje y sus historias",
    };
    let html = crate::story::webmap::webmap_html(
        &loaded.doc,
        loaded.made.at,
        loaded.made.lang,
        title,
        &loaded.made.left_out,
    );
    save_atomic(out_path, html.as_bytes(), true).map_err(|e| e.to_string())?;
    say!(
        err,
        "wrote {} (web map of {} strips, {} kB)",
        out_path.display(),
        loaded.doc.strips().count(),
        html.len() / 1024
    );
    Ok(OK)
}
