//! Records the commit Pistas is built from, for `pistas --version` and Help ▸ About:
//! `PISTAS_COMMIT` when set (a package built from a tarball), else `git rev-parse`, else
//! "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    println!("cargo:rerun-if-env-changed=PISTAS_COMMIT");
    let commit = std::env::var("PISTAS_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PISTAS_COMMIT={commit}");
    // Built again when HEAD moves to another commit. Only files that exist are watched: a
    // missing one (no packed-refs yet) would make cargo run this script on every build.
    let watch = |path: String| {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    };
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        watch(format!("{dir}/HEAD"));
    }
    // Branches live in the common directory (shared by worktrees), loose or packed.
    if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
        watch(format!("{common}/packed-refs"));
        if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watch(format!("{common}/{reference}"));
        }
    }
}
