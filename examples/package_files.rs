//! Makes the files the Debian package installs beside the binary, from the project's own
//! definitions: the man pages (`pistas.1` and one per subcommand) and shell completions
//! (bash, zsh, fish) from the command line's clap definition, and the icon's PNG sizes
//! from `packaging/icons/pistas.svg`.
//!
//! `cargo run --example package_files -- OUT_DIR` (run by `packaging/build-deb.sh`).

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

/// The icon sizes of the hicolor theme that desktops ask for.
const ICON_SIZES: [u32; 7] = [16, 24, 32, 48, 64, 128, 256];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: package_files OUT_DIR")?,
    );
    man_pages(&out.join("man"))?;
    completions(&out.join("completions"))?;
    icons(&out.join("icons"))?;
    println!("wrote {}", out.display());
    Ok(())
}

fn man_pages(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let command = pistas::cli::Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    std::fs::write(dir.join("pistas.1"), page)?;
    pages_of(&command, "pistas", dir)
}

/// A page for each subcommand of `command` and theirs in turn (`pistas-db-init.1`), so
/// every page a SEE ALSO names is there.
fn pages_of(
    command: &clap::Command,
    prefix: &str,
    dir: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        // A name that lives as long as the program (clap takes `&'static str` names).
        let name: &'static str = format!("{prefix}-{}", sub.get_name()).leak();
        let mut page = Vec::new();
        clap_mangen::Man::new(sub.clone().name(name)).render(&mut page)?;
        std::fs::write(dir.join(format!("{name}.1")), page)?;
        pages_of(sub, name, dir)?;
    }
    Ok(())
}

fn completions(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut command = pistas::cli::Cli::command();
        clap_complete::generate_to(shell, &mut command, "pistas", dir)?;
    }
    Ok(())
}

fn icons(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let svg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/packaging/icons/pistas.svg"
    ))?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default())?;
    for size in ICON_SIZES {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).ok_or("icon size")?;
        let scale = size as f32 / tree.size().width();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let folder = dir.join(format!("{size}x{size}"));
        std::fs::create_dir_all(&folder)?;
        pixmap.save_png(folder.join("pistas.png"))?;
    }
    Ok(())
}
