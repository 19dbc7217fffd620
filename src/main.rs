//! `pistas`: the map window, or a headless subcommand.

use clap::Parser;
use pistas::cli::{Cli, run};

/// mimalloc: loading a file makes hundreds of thousands of small strings on several
/// threads, and glibc's allocator made that load about 1.5 times slower (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => {
            let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
            run(command, &mut out, &mut err)
        }
        None => match pistas::app::run(cli.file, cli.tiles) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("pistas: cannot open the window: {e}");
                2
            }
        },
    };
    std::process::exit(code);
}
