//! What each subcommand does. Output goes to the writers given, so tests can read it.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use super::args::Command;
use super::exit::{FAILURE, INVALID, OK};
use super::say::{say, told};
use crate::analysis::Stats;
use crate::edit::Editor;
use crate::edit::merge::{self, Decision, MatchOptions};
use crate::io::import::Bbox;
use crate::io::{
    Diagnostic, Format, ImportOptions, Parsed, export, read_file, save_atomic, write_geojson,
};

/// Reads any format Pistas knows, as detected.
fn read_path(path: &Path) -> Result<Parsed, crate::io::ReadFileError> {
    read_file(path, &ImportOptions::default())
}
use crate::model::{Document, FuzzyDate, synthetic};

/// Runs one subcommand; returns the process exit status.
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let result = match command {
        Command::Validate { files, json } => validate(&files, json, out, err),
        Command::Convert {
            input,
            output,
            to,
            force,
            partial,
            status_date,
            id_column,
            layer,
            bbox,
            public,
            round,
        } => convert(
            &input,
            &output,
            &ConvertOptions {
                to: to.as_deref(),
                force,
                partial,
                status_date: status_date.as_deref(),
                id_column: id_column.as_deref(),
                layer: layer.as_deref(),
                bbox: bbox.as_deref(),
                public: public.then_some(crate::io::publication::Publication { decimals: round }),
            },
            err,
        ),
        Command::Stats {
            file,
            at,
            top,
            json,
        } => stats(&file, at.as_deref(), top, json, out, err),
        Command::Merge {
            a,
            b,
            output,
            within,
            min_similarity,
            report,
            force,
        } => merge(
            &MergeArgs {
                a: &a,
                b: &b,
                output: &output,
                report: report.as_deref(),
                options: MatchOptions {
                    within_m: within,
                    min_similarity,
                },
                force,
            },
            err,
        ),
        Command::Generate {
            strips,
            seed,
            output,
            force,
        } => generate(strips, seed, &output, force, out),
        Command::Db { action } => super::db::run(action, out, err),
        Command::Verify { doc } => super::evidence::verify(&doc, err),
        Command::Evidence { action } => super::evidence::run(action, out, err),
        Command::Dossier { story, which, out } => super::story::dossier(&story, &which, &out, err),
        Command::Publish { story, out } => super::story::publish(&story, &out, err),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            say!(err, "pistas: {message}");
            FAILURE
        }
    }
}

type Outcome = Result<i32, String>;

fn validate(
    files: &[std::path::PathBuf],
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut code = OK;
    for path in files {
        let parsed = read_path(path).map_err(|e| e.to_string())?;
        if parsed.has_errors() {
            code = INVALID;
        }
        if !json {
            for d in &parsed.diagnostics {
                say!(err, "{d}");
            }
            say!(err, "{}", summary_line(path, &parsed));
        }
        all.extend(parsed.diagnostics);
    }
    if json {
        let text = serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?;
        say!(out, "{text}");
    }
    Ok(code)
}

fn summary_line(path: &Path, parsed: &Parsed) -> String {
    let doc = &parsed.document;
    let strips = doc.strips().count();
    let (errors, warnings) = (parsed.error_count(), parsed.warning_count());
    if parsed.fatal {
        format!(
            "{}: invalid: cannot be read ({errors} error)",
            path.display()
        )
    } else if errors == 0 {
        format!(
            "{}: valid: {} features, {strips} strips, {warnings} warnings",
            path.display(),
            doc.features().len()
        )
    } else {
        format!(
            "{}: invalid: {errors} errors, {warnings} warnings; {} of {} features could not be read, {} events could not be read",
            path.display(),
            unread_features(doc),
            doc.features().len(),
            doc.features()
                .iter()
                .map(|f| f.unread_events().len())
                .sum::<usize>()
        )
    }
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    FuzzyDate::parse(text)
        .map(|d| d.end())
        .map_err(|e| e.to_string())
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// How `pistas convert` converts.
struct ConvertOptions<'a> {
    to: Option<&'a str>,
    force: bool,
    partial: bool,
    status_date: Option<&'a str>,
    id_column: Option<&'a str>,
    layer: Option<&'a str>,
    bbox: Option<&'a str>,
    /// For publication, and how.
    public: Option<crate::io::publication::Publication>,
}

fn convert(
    input: &Path,
    output: &Path,
    options: &ConvertOptions<'_>,
    err: &mut dyn Write,
) -> Outcome {
    let ConvertOptions {
        to,
        force,
        partial,
        status_date,
        id_column,
        layer,
        bbox,
        public,
    } = *options;
    let import = ImportOptions {
        layer: layer.map(str::to_owned),
        bbox: bbox.map(Bbox::parse).transpose()?,
        ..ImportOptions::default()
    };
    let format = output_format(to, output)?;
    let status_date = status_date
        .map(parse_day)
        .transpose()?
        .unwrap_or_else(today);
    if !force && output.exists() {
        return Err(format!(
            "{} already exists (use --force to overwrite it)",
            output.display()
        ));
    }
    let mut parsed = read_file(input, &import).map_err(|e| e.to_string())?;
    if let Some(column) = id_column {
        take_ids(&mut parsed.document, column, err)?;
    }
    for d in &parsed.diagnostics {
        say!(err, "{d}");
    }
    if parsed.fatal || (parsed.has_errors() && !partial) {
        say!(
            err,
            "{}\nnothing written; use --partial to convert anyway (what Pistas could not read is kept as written in GeoJSON, left out of other formats)",
            summary_line(input, &parsed)
        );
        return Ok(INVALID);
    }
    report_unread(&parsed.document, format, err);
    if let Some(publication) = public {
        let (document, left) =
            crate::io::publication::for_publication(&parsed.document, publication);
        parsed.document = document;
        for line in left.lines() {
            say!(err, "for publication: {line}");
        }
    }
    let text = export(&parsed.document, format, status_date).map_err(|e| e.to_string())?;
    super::evidence::write_carrying(input, output, &parsed.document, format, &text, force, err)?;
    say!(
        err,
        "wrote {} ({}, {} features)",
        output.display(),
        format.name(),
        parsed.document.features().len()
    );
    Ok(OK)
}

/// The format to convert to: the one named, or the one the output's extension tells.
fn output_format(to: Option<&str>, output: &Path) -> Result<Format, String> {
    match to {
        Some(name) => Format::from_name(name).ok_or_else(|| format!("unknown format {name}")),
        None => Format::from_path(output).ok_or_else(|| {
            format!(
                "cannot tell the format from {}; add --to geojson|csv|events-csv|events-geojson|kml|gpkg|fgb|events-fgb",
                output.display()
            )
        }),
    }
}

/// Gives the features without an id their value of `column` as id, and says how many did.
fn take_ids(document: &mut Document, column: &str, err: &mut dyn Write) -> Result<(), String> {
    match document.take_ids_from(column) {
        Some(n) => {
            say!(err, "{n} features take their id from \"{column}\"");
            Ok(())
        }
        None => Err(format!(
            "\"{column}\" cannot serve as id: some features without an id lack it, or its values repeat or clash with other ids"
        )),
    }
}

/// Says how many features and events Pistas could not read, and what becomes of them in
/// `format`.
fn report_unread(document: &Document, format: Format, err: &mut dyn Write) {
    let unread = unread_features(document);
    let unread_events: usize = document
        .features()
        .iter()
        .map(|f| f.unread_events().len())
        .sum();
    if unread + unread_events > 0 {
        let what = if format == Format::GeoJson {
            "kept as written"
        } else {
            "left out of this format"
        };
        say!(
            err,
            "{unread} features and {unread_events} events Pistas could not read are {what}"
        );
    }
}

struct MergeArgs<'a> {
    a: &'a Path,
    b: &'a Path,
    output: &'a Path,
    report: Option<&'a Path>,
    options: MatchOptions,
    force: bool,
}

fn merge(args: &MergeArgs, err: &mut dyn Write) -> Outcome {
    if !args.options.within_m.is_finite()
        || args.options.within_m < 0.0
        || !(0.0..=1.0).contains(&args.options.min_similarity)
    {
        return Err(
            "--within must be 0 or more metres and --min-similarity between 0 and 1".into(),
        );
    }
    for path in std::iter::once(args.output).chain(args.report) {
        if !args.force && path.exists() {
            return Err(format!(
                "{} already exists (use --force to overwrite it)",
                path.display()
            ));
        }
    }
    let mut docs = Vec::new();
    for path in [args.a, args.b] {
        let parsed = read_path(path).map_err(|e| e.to_string())?;
        if parsed.has_errors() {
            for d in &parsed.diagnostics {
                say!(err, "{d}");
            }
            say!(err, "{}\nnothing written", summary_line(path, &parsed));
            return Ok(INVALID);
        }
        docs.push(parsed.document);
    }
    let incoming = docs.pop().unwrap_or_default();
    let working = docs.pop().unwrap_or_default();
    let plan = merge::propose(&working, &incoming, &args.options);
    let decisions = plan.default_decisions();
    let (command, rows) = merge::merge_command(&working, &incoming, &plan, &decisions);
    let mut editor = Editor::new(working);
    editor.apply(command).map_err(|e| e.to_string())?;
    let text = write_geojson(editor.document(), &crate::io::WriteOptions::default());
    save_atomic(args.output, text.as_bytes(), args.force).map_err(|e| e.to_string())?;
    if let Some(report) = args.report {
        let csv = merge::report_csv(&rows).map_err(|e| e.to_string())?;
        save_atomic(report, csv.as_bytes(), args.force).map_err(|e| e.to_string())?;
    }
    let merged = decisions
        .iter()
        .filter(|d| matches!(d, Decision::Merge(_)))
        .count();
    let conflicts: usize = plan
        .proposals
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| matches!(d, Decision::Merge(_)))
        .map(|(p, _)| p.conflicts.len())
        .sum();
    let mut kept_apart = String::new();
    if merged < decisions.len() {
        kept_apart = format!(
            ", {} kept apart (the same id, farther apart than --within)",
            decisions.len() - merged
        );
    }
    let mut identical = String::new();
    if !plan.identical.is_empty() {
        identical = format!(", {} already there", plan.identical.len());
    }
    say!(
        err,
        "wrote {} ({} features): {merged} merged, {} added{kept_apart}{identical}; {conflicts} conflicting values kept from {}",
        args.output.display(),
        editor.document().features().len(),
        plan.unmatched.len(),
        args.a.display()
    );
    Ok(OK)
}

fn stats(
    path: &Path,
    at: Option<&str>,
    top: usize,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let at = at.map(parse_day).transpose()?.unwrap_or_else(today);
    let parsed = read_path(path).map_err(|e| e.to_string())?;
    if parsed.has_errors() {
        for d in &parsed.diagnostics {
            say!(err, "{d}");
        }
        say!(err, "{}", summary_line(path, &parsed));
        return Ok(INVALID);
    }
    let stats = Stats::of(&parsed.document, at, top);
    if json {
        let text = serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?;
        say!(out, "{text}");
    } else {
        told(write!(out, "{}", stats_text(&stats)));
    }
    Ok(OK)
}

/// The statistics as a plain-text report.
pub fn stats_text(s: &Stats) -> String {
    // Ignored: each `let _ = writeln!` below writes to a String, which cannot fail.
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(t, "{} strips; status at {}:", s.strips, s.at);
    for (status, n) in &s.by_status {
        let _ = writeln!(t, "  {:<10} {n:>6}", status.as_str());
    }
    let _ = writeln!(
        t,
        "\nDestructions and rebuilds per year:\n  year   destroyed  rebuilt"
    );
    for (year, (d, r)) in &s.per_year {
        let _ = writeln!(t, "  {year}  {d:>9}  {r:>7}");
    }
    let _ = writeln!(
        t,
        "\nDestructions per operation (and how many were followed by a rebuild):"
    );
    for op in &s.per_operation {
        let _ = writeln!(
            t,
            "  {:>5} destroyed, {:>5} rebuilt after ({:>3.0}%)  {}",
            op.destructions,
            op.rebuilt_after,
            op.share_rebuilt * 100.0,
            op.operation
        );
    }
    match &s.days_to_rebuild {
        Some(d) => {
            let _ = writeln!(
                t,
                "\nDays from destruction to rebuild ({} rebuilds): median {:.1}, mean {:.1}, \
                 quartiles {:.1} to {:.1}, range {} to {}",
                d.count, d.median, d.mean, d.q1, d.q3, d.min, d.max
            );
        }
        None => {
            let _ = writeln!(t, "\nNo destruction followed by a rebuild.");
        }
    }
    let _ = writeln!(t, "\nMost rebuilt strips:");
    for r in &s.most_rebuilt {
        let _ = writeln!(
            t,
            "  {:>3} rebuilt, {:>3} destroyed  {}  {}",
            r.times_rebuilt, r.times_destroyed, r.id, r.name
        );
    }
    t
}

fn generate(strips: usize, seed: u64, output: &Path, force: bool, out: &mut dyn Write) -> Outcome {
    let doc = synthetic::generate(strips, seed);
    let text = write_geojson(&doc, &crate::io::WriteOptions::default());
    save_atomic(output, text.as_bytes(), force).map_err(|e| e.to_string())?;
    say!(
        out,
        "wrote {} synthetic strips to {}",
        strips,
        output.display()
    );
    Ok(OK)
}

/// How many features of a document could not be read (kept verbatim).
fn unread_features(doc: &crate::model::Document) -> usize {
    doc.features()
        .iter()
        .filter(|f| f.unread().is_some())
        .count()
}
