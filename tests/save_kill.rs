//! Saving survives being killed: the real binary writes a multi-megabyte file and is killed
//! (SIGKILL) at random moments, many times. The target is always the old or the new file,
//! never a mix; the temporary files killed saves leave are removed by the next save.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use pistas::io::{WriteOptions, write_geojson};
use pistas::model::synthetic;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn convert(input: &Path, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pistas"));
    command
        .arg("convert")
        .arg(input)
        .arg(output)
        .args(["--force", "--status-date", "2026-01-01"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pistas-save-"))
        .collect()
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().expect("temp");
    let options = WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    };
    // Two inputs whose outputs differ; each save replaces one with the other.
    let inputs = [dir.path().join("a.geojson"), dir.path().join("b.geojson")];
    for (seed, input) in inputs.iter().enumerate() {
        let doc = synthetic::generate(1500, seed as u64 + 1);
        std::fs::write(input, write_geojson(&doc, &options)).expect("write input");
    }
    let target = dir.path().join("out").join("strips.geojson");
    std::fs::create_dir(target.parent().expect("folder")).expect("folder");
    let mut expected = Vec::new();
    let mut full_run = Duration::ZERO;
    for input in &inputs {
        let started = Instant::now();
        let status = convert(input, &target).status().expect("run");
        full_run = full_run.max(started.elapsed());
        assert!(status.success());
        expected.push(std::fs::read(&target).expect("read"));
    }
    assert_ne!(expected[0], expected[1]);
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let kills = 30;
    let mut killed_mid_save = 0;
    for n in 0..kills {
        let mut child = convert(&inputs[n % 2], &target).spawn().expect("spawn");
        let wait = full_run.mul_f64(rng.random_range(0.05..1.1));
        std::thread::sleep(wait);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        if !status.success() {
            killed_mid_save += 1;
        }
        let now = std::fs::read(&target).expect("the target is always there");
        assert!(
            now == expected[0] || now == expected[1],
            "kill #{n} after {wait:?} left a file that is neither the old nor the new one"
        );
    }
    assert!(
        killed_mid_save > kills / 4,
        "most runs were killed before they ended"
    );
    // The next save removes what killed saves left behind.
    assert!(
        convert(&inputs[0], &target)
            .status()
            .expect("run")
            .success()
    );
    let left = temporaries(target.parent().expect("folder"));
    assert!(left.is_empty(), "temporary files stay: {left:?}");
    assert_eq!(std::fs::read(&target).expect("read"), expected[0]);
}
