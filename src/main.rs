//! `pistas`: the map window, or a headless subcommand.

use clap::Parser;
use pistas::cli::{Cli, run};

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
