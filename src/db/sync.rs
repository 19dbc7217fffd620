//! Push, pull and sync: each one transaction, so an interrupted one changes nothing on
//! either side and a retry completes it.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::connect::Target;
use super::error::DbError;
use super::merge::{Keep, Part};
use super::plan::{Map, Plan, Sides};
use super::remote::{self, Fetched, Write, changed_since, check_schema, fetch, watermark};
use super::same::{keys_like, same_feature};
use super::session::{Access, Session, Tx};
use super::settle::{Settled, Synced};
use super::state::{Base, BaseStrip, FORMAT, SyncState};
use crate::model::{Document, Extra, Feature};

/// Where a long operation stands, for a progress bar.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Reading,
    Merging { strips: usize },
    Writing { done: usize, total: usize },
    Done,
}

/// Picks for conflicts: per strip and part, else one side for all, else left open.
#[derive(Debug, Clone, Default)]
pub struct Picks {
    pub all: Option<Keep>,
    pub each: HashMap<(String, Part), Keep>,
}

impl Picks {
    fn get(&self, strip: &str, part: &Part) -> Option<Keep> {
        self.each
            .get(&(strip.to_owned(), part.clone()))
            .copied()
            .or(self.all)
    }
}

/// How many times a sync is tried when another writer gets in between. Each retry waits a
/// random while, longer each time, so that syncs colliding at the same moment spread out.
const ATTEMPTS: usize = 10;

fn back_off(attempt: usize) {
    use rand::Rng;
    let most = (25u64 << attempt.min(6)).min(1500);
    let wait = rand::rng().random_range(most / 4..=most);
    std::thread::sleep(std::time::Duration::from_millis(wait));
}

/// Every push, pull and sync is one transaction on one snapshot.
fn snapshot(client: &mut Session, read_only: bool) -> Result<Tx<'_>, DbError> {
    client.begin(if read_only {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    })
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Writes every feature of `doc` to the database (adding or replacing strips with the same
/// id; strips only the database has stay). Events that mean the same as a row's keep its
/// key, so pushing a file twice changes nothing.
pub fn push(
    client: &mut Session,
    doc: &Document,
    progress: &dyn Fn(Progress),
) -> Result<usize, DbError> {
    let mut tx = snapshot(client, false)?;
    check_schema(&mut tx)?;
    progress(Progress::Reading);
    let ids: Vec<String> = doc
        .features()
        .iter()
        .map(|f| f.id().as_str().to_owned())
        .collect();
    let existing = fetch(&mut tx, Some(&ids), "database")?;
    let mut keys: Vec<Vec<String>> = Vec::with_capacity(doc.features().len());
    let by_id: HashMap<&str, &Feature> = existing
        .doc
        .features()
        .iter()
        .map(|f| (f.id().as_str(), f))
        .collect();
    for feature in doc.features() {
        let id = feature.id().as_str();
        let theirs = by_id.get(id).copied();
        let their_keys = existing.keys.get(id).map_or(&[][..], Vec::as_slice);
        let their_events = theirs.map_or(&[][..], |t| t.events());
        let ks = keys_like(feature.events(), their_events, their_keys);
        keys.push(ks);
    }
    let writes: Vec<Write> = doc
        .features()
        .iter()
        .zip(&keys)
        .enumerate()
        .map(|(position, (feature, keys))| Write {
            feature,
            position,
            keys,
        })
        .collect();
    progress(Progress::Writing {
        done: 0,
        total: writes.len(),
    });
    let fresh = existing.doc.features().is_empty();
    if !fresh {
        let ids: Vec<&str> = writes.iter().map(|w| w.feature.id().as_str()).collect();
        remote::lock(&mut tx, &ids)?;
    }
    remote::write(&mut tx, &writes, today(), fresh)?;
    remote::write_collection(&mut tx, doc)?;
    tx.commit()?;
    progress(Progress::Done);
    log::info!("pushed {} strips", writes.len());
    Ok(writes.len())
}

/// Reads the whole database as a document: the base for syncing it later, whose `doc` is
/// the document pulled (a caller that edits it while keeping the base clones it), and the
/// problems the reader found in the rows.
pub fn pull(
    client: &mut Session,
    target: &Target,
    progress: &dyn Fn(Progress),
) -> Result<(Base, Vec<String>), DbError> {
    let mut tx = snapshot(client, true)?;
    let database_id = check_schema(&mut tx)?;
    let mark = watermark(&mut tx)?;
    progress(Progress::Reading);
    let mut fetched = fetch(&mut tx, None, &target.describe())?;
    tx.commit()?;
    let strips = fetched
        .doc
        .features()
        .iter()
        .map(|f| {
            let id = f.id().as_str().to_owned();
            let strip = BaseStrip {
                version: fetched.versions.get(&id).copied().unwrap_or(0),
                keys: fetched.keys.remove(&id).unwrap_or_default(),
            };
            (id, strip)
        })
        .collect();
    let base = Base {
        state: SyncState {
            format: FORMAT.to_owned(),
            database_id,
            target: target.describe(),
            watermark: mark,
            strips,
            conflicts: Vec::new(),
        },
        doc: fetched.doc,
    };
    progress(Progress::Done);
    log::info!(
        "pulled {} strips from {} ({} problems)",
        base.doc.features().len(),
        base.state.target,
        fetched.problems.len()
    );
    Ok((base, fetched.problems))
}

/// Sends this side's changes and receives the others', in one transaction (tried again if
/// another writer got in between). Strips with conflicts no pick resolves change on neither
/// side, and are reported; they come back at every sync until resolved.
pub fn sync(
    client: &mut Session,
    target: &Target,
    local: &Document,
    base: Option<&Base>,
    picks: &Picks,
    progress: &dyn Fn(Progress),
) -> Result<Synced, DbError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match attempt(client, target, local, base, picks, progress) {
            Ok(mut synced) => {
                synced.report.attempts = attempts;
                progress(Progress::Done);
                log::info!(
                    "synced with {}: {}",
                    target.describe(),
                    synced.report.summary()
                );
                return Ok(synced);
            }
            Err(e) if e.retryable() && attempts < ATTEMPTS => {
                log::warn!("sync, try {attempts} of {ATTEMPTS}: {e}; trying again");
                back_off(attempts);
            }
            Err(e) => return Err(e),
        }
    }
}

/// One try at a sync, in one repeatable-read transaction: read this side's changes and
/// theirs, merge them, write what the merge decided, and commit.
fn attempt(
    client: &mut Session,
    target: &Target,
    local: &Document,
    base: Option<&Base>,
    picks: &Picks,
    progress: &dyn Fn(Progress),
) -> Result<Synced, DbError> {
    let mut tx = snapshot(client, false)?;
    let database_id = check_schema(&mut tx)?;
    if let Some(base) = base
        && base.state.database_id != database_id
    {
        return Err(DbError::OtherDatabase(base.state.target.clone()));
    }
    let mark = watermark(&mut tx)?;
    progress(Progress::Reading);
    let (local_by_id, base_by_id, mut candidates) = local_changes(local, base);
    let fetched = fetch_theirs(&mut tx, base, &mut candidates, target)?;
    let sides = Sides {
        base,
        base_by_id,
        local,
        local_by_id,
        remote_by_id: fetched
            .doc
            .features()
            .iter()
            .map(|f| (f.id().as_str(), f))
            .collect(),
        remote_keys: &fetched.keys,
    };
    progress(Progress::Merging {
        strips: candidates.len(),
    });
    let plan = Plan::make(&sides, &candidates, &|id, part| picks.get(id, part), target);
    let writes = plan.writes();
    progress(Progress::Writing {
        done: 0,
        total: writes.len() + plan.to_delete.len(),
    });
    // Nothing another sync committed after this one's snapshot is overwritten or brought
    // back: locking a strip changed since then fails, and the sync starts over.
    let touched: Vec<&str> = writes
        .iter()
        .map(|w| w.feature.id().as_str())
        .chain(plan.to_delete.iter().map(String::as_str))
        .collect();
    remote::lock(&mut tx, &touched)?;
    if !writes.is_empty() {
        remote::write(&mut tx, &writes, today(), fetched.doc.features().is_empty())?;
    }
    if !plan.to_delete.is_empty() {
        let ids: Vec<&str> = plan.to_delete.iter().map(String::as_str).collect();
        remote::delete(&mut tx, &ids)?;
    }
    for (strip, record, why) in &plan.unkept {
        remote::record_unkept(&mut tx, strip, record, why)?;
    }
    let foreign = sync_collection(&mut tx, local, base)?;
    let versions = versions_after(&mut tx, &fetched.versions, &writes)?;
    drop(writes);
    tx.commit()?;
    let settled = settled(plan.merged, &versions, &fetched.doc);
    Ok(Synced {
        settled,
        foreign,
        state: SyncState {
            format: FORMAT.to_owned(),
            database_id,
            target: target.describe(),
            watermark: mark,
            strips: HashMap::new(),
            conflicts: plan
                .report
                .conflicts
                .iter()
                .map(|c| c.strip.clone())
                .collect(),
        },
        report: plan.report,
    })
}

/// This side's changes since the base, on every core (a sync of a few strips in a file of
/// 100k spends most of its own time here): this side's strips and the base's by id, and
/// the ids of those changed, added or deleted here.
#[allow(clippy::type_complexity)]
fn local_changes<'a>(
    local: &'a Document,
    base: Option<&'a Base>,
) -> (
    Map<'a, (usize, &'a Feature)>,
    Map<'a, &'a Feature>,
    BTreeSet<String>,
) {
    use rayon::prelude::*;
    type Maps<'a> = (Map<'a, (usize, &'a Feature)>, Map<'a, &'a Feature>);
    let (local_by_id, base_by_id): Maps = rayon::join(
        || {
            local
                .features()
                .iter()
                .enumerate()
                .map(|(i, f)| (f.id().as_str(), (i, f)))
                .collect()
        },
        || {
            base.map(|b| {
                b.doc
                    .features()
                    .iter()
                    .map(|f| (f.id().as_str(), f))
                    .collect()
            })
            .unwrap_or_default()
        },
    );
    let changed: Vec<&str> = local
        .features()
        .par_iter()
        .filter(|f| {
            base_by_id
                .get(f.id().as_str())
                .is_none_or(|b| !same_feature(f, b))
        })
        .map(|f| f.id().as_str())
        .collect();
    let mut candidates: BTreeSet<String> = changed.into_iter().map(str::to_owned).collect();
    for id in base_by_id.keys() {
        if !local_by_id.contains_key(id) {
            candidates.insert((*id).to_owned());
        }
    }
    (local_by_id, base_by_id, candidates)
}

/// Their strips changed since the base, with the base's conflicts and this side's
/// `candidates` (everything, the first time); adds theirs to the candidates.
fn fetch_theirs(
    tx: &mut Session,
    base: Option<&Base>,
    candidates: &mut BTreeSet<String>,
    target: &Target,
) -> Result<Fetched, DbError> {
    Ok(match base {
        Some(base) => {
            candidates.extend(changed_since(tx, &base.state.watermark)?);
            candidates.extend(base.state.conflicts.iter().cloned());
            let ids: Vec<String> = candidates.iter().cloned().collect();
            fetch(tx, Some(&ids), &target.describe())?
        }
        None => {
            let all = fetch(tx, None, &target.describe())?;
            candidates.extend(
                all.doc
                    .features()
                    .iter()
                    .map(|f| f.id().as_str().to_owned()),
            );
            all
        }
    })
}

/// The collection's own members (`name`, `crs`), three-way as a whole: mine if I changed
/// them (written to the database unless it has them already), else theirs if they did (a
/// change on both sides keeps mine). Returns theirs when this side is to take them.
fn sync_collection(
    tx: &mut Session,
    local: &Document,
    base: Option<&Base>,
) -> Result<Option<Extra>, DbError> {
    let theirs_foreign = remote::collection(tx)?;
    let base_foreign = base.map(|b| b.doc.foreign());
    let mine_changed = match base_foreign {
        Some(b) => !crate::model::extra_eq(b, local.foreign()),
        None => !local.foreign().is_empty(),
    };
    let theirs_changed = match base_foreign {
        Some(b) => !crate::model::extra_eq(b, &theirs_foreign),
        None => !theirs_foreign.is_empty(),
    };
    if mine_changed && !crate::model::extra_eq(local.foreign(), &theirs_foreign) {
        remote::write_collection(tx, local)?;
    }
    Ok((!mine_changed && theirs_changed).then(|| theirs_foreign.clone()))
}

/// The strips' row versions after the writes, for the base: those read, and those written
/// read again.
fn versions_after(
    tx: &mut Session,
    read: &HashMap<String, i64>,
    writes: &[Write],
) -> Result<HashMap<String, i64>, DbError> {
    let written: Vec<String> = writes
        .iter()
        .map(|w| w.feature.id().as_str().to_owned())
        .collect();
    let mut versions: HashMap<String, i64> = read.clone();
    if !written.is_empty() {
        for row in tx.query(
            "SELECT id, row_version FROM strips WHERE id = ANY($1::text[])",
            &[&written],
        )? {
            versions.insert(row.get(0), row.get(1));
        }
    }
    Ok(versions)
}

/// The merged strips with their row versions, new ones in the database's order (`theirs`).
fn settled(
    merged: HashMap<String, (Option<Feature>, Vec<String>)>,
    versions: &HashMap<String, i64>,
    theirs: &Document,
) -> Vec<Settled> {
    let mut settled: Vec<Settled> = merged
        .into_iter()
        .map(|(id, (feature, keys))| Settled {
            version: versions.get(&id).copied().unwrap_or(0),
            id,
            feature,
            keys,
        })
        .collect();
    let order: HashMap<&str, usize> = theirs
        .features()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id().as_str(), i))
        .collect();
    settled.sort_by_key(|s| order.get(s.id.as_str()).copied().unwrap_or(usize::MAX));
    settled
}
