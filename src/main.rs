//! `pistas`: the map window, or a headless subcommand.
use pistas::cli::{Cli, run};

/// mimalloc: loading a file makes hundreds of thousands of small strings on several
/// threads, and glibc's allocator made that load about 1.5 times slower (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse_checked();
    let code = match cli.command {
        Some(command) => {
            pistas::logging::for_cli(cli.verbose);
            let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
            run(command, &mut out, &mut err)
        }
        None => open_window(cli.file, cli.tiles),
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn open_window(file: Option<std::path::PathBuf>, tiles: Option<std::path::PathBuf>) -> i32 {
    if let Some(path) = pistas::logging::for_window() {
        log::info!("Pistas {} logs to {}", pistas::VERSION, path.display());
    }
    match pistas::app::run(file, tiles) {
        Ok(()) => 0,
        Err(e) => {
            // Shown on stderr, and kept in the log file for a window started from a menu.
            log::error!("cannot open the window: {e}");
            eprintln!("pistas: cannot open the window: {e}");
            2
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_file: Option<std::path::PathBuf>, _tiles: Option<std::path::PathBuf>) -> i32 {
    eprintln!(
        "pistas: this build has no window (it was built without the \"gui\" feature); \
         the subcommands work: see `pistas --help`"
    );
    2
}
