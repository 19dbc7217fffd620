//! The command line's arguments: the subcommands and their options, as clap reads them.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use super::db::DbCommand;
use super::evidence::EvidenceCommand;
use super::story::{StoryArgs, Which};

/// Pistas: clandestine landing strips with dated histories.
///
/// With no command, opens the map window (on FILE, or on the bundled sample).
#[derive(Debug, Parser)]
#[command(
    name = "pistas",
    version = crate::VERSION,
    override_usage = "pistas [OPTIONS] [FILE]\n       pistas [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A GeoJSON file to open in the window.
    pub file: Option<PathBuf>,
    /// Draw this offline vector tile file (.pmtiles, Protomaps schema) under the strips.
    #[arg(long, value_name = "FILE.pmtiles")]
    pub tiles: Option<PathBuf>,
    /// Say more on stderr: -v what is read, written and synced; -vv the details too (RUST_LOG,
    /// when set, decides instead). The window logs to pistas.log in the user's state folder.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

impl Cli {
    /// The command line as given; exits with clap's usage error when it asks for a window
    /// (FILE, --tiles) and a subcommand at once. (clap's `args_conflicts_with_subcommands`
    /// would refuse `-v` before a subcommand too.)
    pub fn parse_checked() -> Cli {
        let cli = Cli::parse();
        if cli.command.is_some() && (cli.file.is_some() || cli.tiles.is_some()) {
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "FILE and --tiles are for the window: they cannot be used with a subcommand",
                )
                .exit();
        }
        cli
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check GeoJSON files against RFC 7946 and the Pistas profile.
    ///
    /// Prints each problem as FILE:LINE:COL: error|warning: message on stderr and a summary
    /// line per file. Exit status: 0 valid, 1 invalid, 2 usage or I/O error.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the diagnostics as JSON on stdout instead.
        #[arg(long)]
        json: bool,
    },
    /// Convert a file to another format (chosen from OUT's extension unless --to is given).
    ///
    /// INPUT may be GeoJSON, CSV/TSV, KML, KMZ, GeoPackage or FlatGeobuf. A file name with
    /// "events" in it selects the events exports (events.csv, events.geojson, events.fgb).
    Convert {
        input: PathBuf,
        output: PathBuf,
        /// geojson, csv (one row per strip), events-csv, events-geojson, kml, gpkg (strips
        /// and events), fgb (strips) or events-fgb (events as points).
        #[arg(long, value_parser = ["geojson", "csv", "events-csv", "events-geojson", "kml", "gpkg", "fgb", "events-fgb"])]
        to: Option<String>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
        /// Convert a file that has errors: what Pistas could not read is kept as written in
        /// GeoJSON and left out of other formats (both are counted).
        #[arg(long)]
        partial: bool,
        /// Date the derived status is computed at (YYYY-MM-DD); today by default.
        #[arg(long)]
        status_date: Option<String>,
        /// Take this property (a survey's "Airstrip ID", say) as the id of the features
        /// that have none.
        #[arg(long, value_name = "PROPERTY")]
        id_column: Option<String>,
        /// The layer of a GeoPackage with several.
        #[arg(long, value_name = "NAME")]
        layer: Option<String>,
        /// Only features that meet this box, in degrees: MINLON,MINLAT,MAXLON,MAXLAT (a
        /// FlatGeobuf is read through its spatial index).
        #[arg(long, value_name = "BOX", allow_hyphen_values = true)]
        bbox: Option<String>,
        /// For publication: leave out private sources and evidence, every note, the local
        /// paths of evidence files and whatever could not be read, and say what was left
        /// out.
        #[arg(long)]
        public: bool,
        /// With --public: round every coordinate to DECIMALS decimals of a degree (2 is
        /// about 1 km).
        #[arg(long, value_name = "DECIMALS", requires = "public")]
        round: Option<u32>,
    },
    /// Statistics: strips by status at a date, destructions and rebuilds per year and
    /// operation, days to rebuild, the most rebuilt strips.
    Stats {
        file: PathBuf,
        /// Date of the status counts (YYYY, YYYY-MM or YYYY-MM-DD); today by default.
        #[arg(long)]
        at: Option<String>,
        /// How many of the most rebuilt strips to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print the statistics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Merge layer B into layer A: the same strips (same id, or near with a similar name)
    /// get one history; the others are added. Writes the merged layer to OUT.
    ///
    /// Events on both sides (same type and date) are kept once, with the sources of both.
    /// Where both sides give a property different values, A's value is kept; --report
    /// lists every decision and conflict.
    Merge {
        /// The working layer: its ids, order and values win.
        a: PathBuf,
        /// The layer merged into it.
        b: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Features without a shared id match only within this many metres.
        #[arg(long, default_value_t = 500.0, value_name = "METRES")]
        within: f64,
        /// The least name similarity (0 to 1) for named features to match by distance.
        #[arg(long, default_value_t = 0.75)]
        min_similarity: f64,
        /// Write a CSV row per feature of B: what was done, why and the conflicts.
        #[arg(long, value_name = "report.csv")]
        report: Option<PathBuf>,
        /// Overwrite OUT (and the report) if they exist.
        #[arg(long)]
        force: bool,
    },
    /// Share strips through PostgreSQL + PostGIS: init, push, pull, sync.
    ///
    /// URL is a libpq connection string ("host=… dbname=… user=…" or
    /// postgresql://user@host/db); the password comes from PGPASSWORD, ~/.pgpass or a
    /// prompt, never from a file Pistas writes.
    Db {
        #[command(subcommand)]
        action: DbCommand,
    },
    /// Check every evidence file of DOC against its SHA-256: each missing, altered or
    /// unreferenced file is listed at its item's place. Exit status: 0 all intact, 1 not,
    /// 2 usage or I/O error.
    Verify { doc: PathBuf },
    /// Attach files to events (sealed by hash), or print the chain-of-custody manifest.
    Evidence {
        #[command(subcommand)]
        action: EvidenceCommand,
    },
    /// A dossier of one strip (--strip ID, repeatable) or of the strips the filters pass:
    /// one self-contained HTML file (map inset, lifeline, history with sources and archived
    /// copies' hashes, evidence thumbnails, days to rebuild; an overview for several).
    Dossier {
        #[command(flatten)]
        story: StoryArgs,
        #[command(flatten)]
        which: Which,
        /// The HTML file to write.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
    /// A web map in one HTML file that opens offline from file:// and makes no request:
    /// strips coloured by status at the slider's date, play, history on click.
    Publish {
        #[command(flatten)]
        story: StoryArgs,
        /// The HTML file to write.
        #[arg(short = 'o', long = "out", default_value = "map.html")]
        out: PathBuf,
    },
    /// Write a reproducible synthetic dataset of strips inside the VRAEM (invented data).
    Generate {
        /// How many strips.
        #[arg(long)]
        strips: usize,
        /// Seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        output: PathBuf,
        /// Overwrite OUTPUT if it exists.
        #[arg(long)]
        force: bool,
    },
}
