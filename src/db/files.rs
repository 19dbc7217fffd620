//! Evidence files in the database: each stored once by its SHA-256 (`evidence_files`, the
//! content in 1 MB pieces in `evidence_chunks`), uploaded by a push or sync that has a file
//! the database lacks, and fetched by a pull or sync into the document's evidence folder
//! when the folder lacks it. Editors may add files, reviewers only read them; nobody
//! changes or deletes one (a file is named by its content). A fetched file is checked
//! against its hash before it is moved into place.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::error::DbError;
use super::session::{Access, Session};
use crate::io::evidence::{distinct_items, file_of, hex, relative_path};
use crate::model::{Document, Evidence, check_path};

/// The size of a piece of a file in the database.
const PIECE: usize = 1 << 20;

/// What moved, and what could not, in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    pub files: usize,
    pub bytes: u64,
    pub problems: Vec<String>,
}

/// Which of `hashes` the database has.
fn present(client: &mut Session, hashes: &[String]) -> Result<HashSet<String>, DbError> {
    if hashes.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = client.query(
        "SELECT sha256 FROM evidence_files WHERE sha256 = ANY($1)",
        &[&hashes],
    )?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

/// Uploads the files of `doc`'s items that the database lacks, from `folder`, each in a
/// transaction of its own (a file is in the database whole or not at all). A file missing
/// or altered locally is not uploaded, and said.
pub fn upload(client: &mut Session, doc: &Document, folder: &Path) -> Result<Moved, DbError> {
    let mut moved = Moved::default();
    let wanted = distinct_items(doc);
    let hashes: Vec<String> = wanted.iter().map(Evidence::sha256).collect();
    let have = present(client, &hashes)?;
    for item in wanted {
        let hash = item.sha256();
        if have.contains(&hash) {
            continue;
        }
        let rel = relative_path(&item);
        let Ok(file) = file_of(folder, &item) else {
            moved
                .problems
                .push(format!("{rel}: not in {}; not uploaded", folder.display()));
            continue;
        };
        let io = |e: std::io::Error| DbError::Server(format!("{rel}: {e}"));
        let size = std::fs::metadata(&file).map_err(io)?.len();
        let mut tx = client.begin(Access::ReadWrite)?;
        let inserted = tx.execute(
            "INSERT INTO evidence_files (sha256, media_type, bytes, chunks) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
            &[
                &hash,
                &item.media_type(),
                &(size as i64),
                &(size.div_ceil(PIECE as u64) as i32),
            ],
        )?;
        if inserted == 0 {
            // Another editor uploaded it meanwhile.
            continue;
        }
        let mut source = std::fs::File::open(&file).map_err(io)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; PIECE];
        let mut n = 0i32;
        let mut sent = 0u64;
        loop {
            let mut filled = 0;
            while filled < PIECE {
                let got = source.read(&mut buffer[filled..]).map_err(io)?;
                if got == 0 {
                    break;
                }
                filled += got;
            }
            if filled == 0 {
                break;
            }
            let piece = &buffer[..filled];
            hasher.update(piece);
            tx.execute(
                "INSERT INTO evidence_chunks (sha256, n, data) VALUES ($1, $2, $3)",
                &[&hash, &n, &piece],
            )?;
            n += 1;
            sent += filled as u64;
        }
        if hex(&hasher.finalize()) != hash || sent != size {
            // Dropping the transaction rolls it back.
            moved.problems.push(format!(
                "{rel}: altered (its hash is not the one the event names); not uploaded"
            ));
            continue;
        }
        tx.commit()?;
        moved.files += 1;
        moved.bytes += sent;
    }
    log::info!(
        "uploaded {} evidence files ({} bytes); {} not",
        moved.files,
        moved.bytes,
        moved.problems.len()
    );
    Ok(moved)
}

/// Fetches the files of `doc`'s items that `folder` lacks (or holds altered) and the
/// database has, each checked against its hash before it is moved into place.
pub fn fetch(client: &mut Session, doc: &Document, folder: &Path) -> Result<Moved, DbError> {
    let mut moved = Moved::default();
    let mut missing = Vec::new();
    for item in distinct_items(doc) {
        let rel = relative_path(&item);
        if check_path(&rel).is_err() {
            continue;
        }
        let hash = item.sha256();
        let intact = file_of(folder, &item)
            .ok()
            .and_then(|f| crate::io::evidence::sha256_file(&f).ok())
            .is_some_and(|(h, _)| h == hash);
        if !intact {
            missing.push((hash, rel));
        }
    }
    let hashes: Vec<String> = missing.iter().map(|(h, _)| h.clone()).collect();
    let have = present(client, &hashes)?;
    for (hash, rel) in missing {
        if !have.contains(&hash) {
            moved
                .problems
                .push(format!("{rel}: the database does not have it either"));
            continue;
        }
        let target = folder.join(&rel);
        let io = |e: std::io::Error| DbError::Server(format!("{}: {e}", target.display()));
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let partial = target.with_extension("partial");
        let mut out = std::fs::File::create(&partial).map_err(io)?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let count: i32 = client
            .query_one(
                "SELECT chunks FROM evidence_files WHERE sha256 = $1",
                &[&hash],
            )?
            .get(0);
        // A piece at a time: a large file is never held whole.
        for n in 0..count {
            let row = client.query_opt(
                "SELECT data FROM evidence_chunks WHERE sha256 = $1 AND n = $2",
                &[&hash, &n],
            )?;
            let Some(row) = row else {
                break;
            };
            let data: &[u8] = row.get(0);
            hasher.update(data);
            out.write_all(data).map_err(io)?;
            size += data.len() as u64;
        }
        out.sync_all().map_err(io)?;
        drop(out);
        if hex(&hasher.finalize()) != hash {
            // Ignored: a copy left beside is only a ".partial" file, written anew by the
            // next fetch.
            let _ = std::fs::remove_file(&partial);
            moved.problems.push(format!(
                "{rel}: the database's copy is incomplete or altered; not fetched"
            ));
            continue;
        }
        std::fs::rename(&partial, &target).map_err(io)?;
        moved.files += 1;
        moved.bytes += size;
    }
    log::info!(
        "fetched {} evidence files ({} bytes); {} not",
        moved.files,
        moved.bytes,
        moved.problems.len()
    );
    Ok(moved)
}
