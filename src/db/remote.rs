//! What Pistas does on the server: create and upgrade the schema, write strips and events
//! in batches (bound parameters only), read them back, and find what changed since a sync.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use tokio_postgres::Row;

use super::error::DbError;
use super::rows::{
    EventRow, PulledEvent, PulledStrip, StripRow, event_row, feature_json, strip_row,
};
use super::schema::{MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION};
use super::session::{Access, Session};
use crate::model::{Document, Feature};

const INSERT_STRIPS: &str =
    "INSERT INTO strips AS s (id, geom, name, notes, status, times_destroyed, times_rebuilt,
                first_event, last_event, runway_length_m, properties, layout, position)
             SELECT u.id, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(u.geom)), 4326), u.name, u.notes,
                u.status, u.destroyed, u.rebuilt, u.first_event, u.last_event, u.length,
                u.props::jsonb, u.layout::jsonb, u.position
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[],
                $7::int4[], $8::date[], $9::date[], $10::float8[], $11::text[], $12::text[],
                $13::int8[])
                AS u(id, geom, name, notes, status, destroyed, rebuilt, first_event, last_event,
                length, props, layout, position)";
const UPSERT_STRIPS: &str =
    "ON CONFLICT (id) DO UPDATE SET geom = excluded.geom, name = excluded.name,
                notes = excluded.notes, status = excluded.status,
                times_destroyed = excluded.times_destroyed, times_rebuilt = excluded.times_rebuilt,
                first_event = excluded.first_event, last_event = excluded.last_event,
                runway_length_m = excluded.runway_length_m, properties = excluded.properties,
                layout = excluded.layout, position = excluded.position
             WHERE (s.geom, s.name, s.notes, s.status, s.times_destroyed, s.times_rebuilt,
                s.first_event, s.last_event, s.runway_length_m, s.properties, s.layout, s.position)
                IS DISTINCT FROM (excluded.geom, excluded.name, excluded.notes, excluded.status,
                excluded.times_destroyed, excluded.times_rebuilt, excluded.first_event,
                excluded.last_event, excluded.runway_length_m, excluded.properties,
                excluded.layout, excluded.position)";

const INSERT_EVENTS: &str =
    "INSERT INTO events AS e (id, strip_id, position, event_id, type, date, date_start,
                date_end, confidence, operation, sources, note, unknown, layout)
             SELECT u.id, u.strip_id, u.position, u.event_id, u.type, u.date, u.date_start,
                u.date_end, u.confidence, u.operation, u.sources::jsonb, u.note, u.unknown::jsonb,
                u.layout::jsonb
             FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[],
                $7::date[], $8::date[], $9::text[], $10::text[], $11::text[], $12::text[],
                $13::text[], $14::text[])
                AS u(id, strip_id, position, event_id, type, date, date_start, date_end,
                confidence, operation, sources, note, unknown, layout)";
const UPSERT_EVENTS: &str = "ON CONFLICT (id) DO UPDATE SET strip_id = excluded.strip_id,
                position = excluded.position, event_id = excluded.event_id, type = excluded.type,
                date = excluded.date, date_start = excluded.date_start,
                date_end = excluded.date_end, confidence = excluded.confidence,
                operation = excluded.operation, sources = excluded.sources, note = excluded.note,
                unknown = excluded.unknown, layout = excluded.layout
             WHERE (e.strip_id, e.position, e.event_id, e.type, e.date, e.confidence, e.operation,
                e.sources, e.note, e.unknown, e.layout)
                IS DISTINCT FROM (excluded.strip_id, excluded.position, excluded.event_id,
                excluded.type, excluded.date, excluded.confidence, excluded.operation,
                excluded.sources, excluded.note, excluded.unknown, excluded.layout)";

/// Rows per statement when writing.
const BATCH: usize = 2000;

/// Creates the schema, or brings it up to date. Returns the versions applied.
pub fn init(client: &mut Session) -> Result<Vec<i32>, DbError> {
    let has_postgis: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')",
            &[],
        )?
        .get(0);
    if !has_postgis {
        client.batch_execute("CREATE EXTENSION IF NOT EXISTS postgis").map_err(|e| {
            DbError::Server(format!(
                "PostGIS is not enabled in this database and could not be: {e}. Install PostGIS on the server (Debian: postgresql-15-postgis-3) and run `CREATE EXTENSION postgis` as the database's owner."
            ))
        })?;
    }
    client.batch_execute(MIGRATIONS_TABLE)?;
    let mut applied = Vec::new();
    let mut tx = client.begin(Access::ReadWrite)?;
    tx.batch_execute("LOCK TABLE pistas_migrations IN EXCLUSIVE MODE")?;
    let current: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM pistas_migrations",
            &[],
        )?
        .get(0);
    if current > SCHEMA_VERSION {
        return Err(newer(current));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i32 + 1;
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO pistas_migrations (version) VALUES ($1)",
            &[&version],
        )?;
        applied.push(version);
    }
    tx.commit()?;
    Ok(applied)
}

fn newer(version: i32) -> DbError {
    DbError::Schema(format!(
        "this database has schema version {version}, newer than this Pistas knows ({SCHEMA_VERSION}): update Pistas"
    ))
}

/// Checks that the database has the schema this Pistas writes; returns its id.
pub fn check_schema(client: &mut Session) -> Result<String, DbError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('pistas_migrations') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Err(DbError::Schema(
            "this database has no Pistas tables: run `pistas db init URL` first".to_owned(),
        ));
    }
    let version: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM pistas_migrations",
            &[],
        )?
        .get(0);
    if version > SCHEMA_VERSION {
        return Err(newer(version));
    }
    if version < SCHEMA_VERSION {
        return Err(DbError::Schema(format!(
            "this database has schema version {version}; run `pistas db init URL` to upgrade it to {SCHEMA_VERSION}"
        )));
    }
    Ok(client
        .query_one(
            "SELECT value FROM pistas_meta WHERE key = 'database_id'",
            &[],
        )?
        .get(0))
}

/// The current snapshot's lowest running transaction: every change by an older one is
/// visible now, every later one will be found by a pull from this mark.
pub fn watermark(tx: &mut Session) -> Result<String, DbError> {
    Ok(tx
        .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])?
        .get(0))
}

fn write_strips(tx: &mut Session, rows: &[StripRow]) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH) {
        let ids: Vec<&str> = chunk.iter().map(|r| r.id.as_str()).collect();
        let geom: Vec<Option<&str>> = chunk.iter().map(|r| r.geometry.as_deref()).collect();
        let name: Vec<Option<&str>> = chunk.iter().map(|r| r.name.as_deref()).collect();
        let notes: Vec<Option<&str>> = chunk.iter().map(|r| r.notes.as_deref()).collect();
        let status: Vec<Option<&str>> = chunk.iter().map(|r| r.status.as_deref()).collect();
        let destroyed: Vec<Option<i32>> = chunk.iter().map(|r| r.times_destroyed).collect();
        let rebuilt: Vec<Option<i32>> = chunk.iter().map(|r| r.times_rebuilt).collect();
        let first: Vec<Option<NaiveDate>> = chunk.iter().map(|r| r.first_event).collect();
        let last: Vec<Option<NaiveDate>> = chunk.iter().map(|r| r.last_event).collect();
        let length: Vec<Option<f64>> = chunk.iter().map(|r| r.runway_length_m).collect();
        let props: Vec<&str> = chunk.iter().map(|r| r.properties.as_str()).collect();
        let layout: Vec<&str> = chunk.iter().map(|r| r.layout.as_str()).collect();
        let position: Vec<i64> = chunk.iter().map(|r| r.position).collect();
        let sql = format!("{INSERT_STRIPS} {UPSERT_STRIPS}");
        tx.execute(
            &sql,
            &[
                &ids, &geom, &name, &notes, &status, &destroyed, &rebuilt, &first, &last, &length,
                &props, &layout, &position,
            ],
        )?;
    }
    Ok(())
}

fn write_events(tx: &mut Session, rows: &[EventRow]) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH) {
        let key: Vec<&str> = chunk.iter().map(|r| r.key.as_str()).collect();
        let strip: Vec<&str> = chunk.iter().map(|r| r.strip_id.as_str()).collect();
        let position: Vec<i32> = chunk.iter().map(|r| r.position).collect();
        let event_id: Vec<Option<&str>> = chunk.iter().map(|r| r.event_id.as_deref()).collect();
        let kind: Vec<&str> = chunk.iter().map(|r| r.kind.as_str()).collect();
        let date: Vec<&str> = chunk.iter().map(|r| r.date.as_str()).collect();
        let start: Vec<NaiveDate> = chunk.iter().map(|r| r.date_start).collect();
        let end: Vec<NaiveDate> = chunk.iter().map(|r| r.date_end).collect();
        let confidence: Vec<Option<&str>> = chunk.iter().map(|r| r.confidence.as_deref()).collect();
        let operation: Vec<Option<&str>> = chunk.iter().map(|r| r.operation.as_deref()).collect();
        let sources: Vec<&str> = chunk.iter().map(|r| r.sources.as_str()).collect();
        let note: Vec<Option<&str>> = chunk.iter().map(|r| r.note.as_deref()).collect();
        let unknown: Vec<&str> = chunk.iter().map(|r| r.unknown.as_str()).collect();
        let layout: Vec<&str> = chunk.iter().map(|r| r.layout.as_str()).collect();
        let sql = format!("{INSERT_EVENTS} {UPSERT_EVENTS}");
        tx.execute(
            &sql,
            &[
                &key,
                &strip,
                &position,
                &event_id,
                &kind,
                &date,
                &start,
                &end,
                &confidence,
                &operation,
                &sources,
                &note,
                &unknown,
                &layout,
            ],
        )?;
    }
    Ok(())
}

/// A strip to write: the feature, its position in the document and its event keys.
pub struct Write<'a> {
    pub feature: &'a Feature,
    pub position: usize,
    pub keys: &'a [String],
}

/// Writes strips and their events; events of these strips whose keys are not given are
/// deleted (`fresh`: none of the strips is in the database yet, so there is nothing to
/// delete).
pub fn write(
    tx: &mut Session,
    writes: &[Write],
    day: NaiveDate,
    fresh: bool,
) -> Result<(), DbError> {
    use rayon::prelude::*;
    let (strips, events): (Vec<StripRow>, Vec<EventRow>) =
        rayon::join(
            || {
                writes
                    .par_iter()
                    .map(|w| strip_row(w.feature, w.position, day))
                    .collect()
            },
            || {
                writes
                    .par_iter()
                    .flat_map_iter(|w| {
                        w.feature.events().iter().zip(w.keys).enumerate().map(
                            |(i, (event, key))| event_row(event, w.feature.id().as_str(), i, key),
                        )
                    })
                    .collect()
            },
        );
    if fresh {
        // None of them is in the database: loaded by COPY, strips before their events.
        let rows: Vec<(&StripRow, &Feature)> = strips
            .iter()
            .zip(writes.iter().map(|w| w.feature))
            .collect();
        return super::copy::load(tx, &rows, &events);
    }
    write_strips(tx, &strips)?;
    // Events moved away or deleted first, so that a key never points at two strips' rows.
    for chunk in writes.chunks(BATCH) {
        let ids: Vec<&str> = chunk.iter().map(|w| w.feature.id().as_str()).collect();
        let keep: Vec<&str> = chunk
            .iter()
            .flat_map(|w| {
                w.keys
                    .iter()
                    .take(w.feature.events().len())
                    .map(String::as_str)
            })
            .collect();
        tx.execute(
            "DELETE FROM events e WHERE e.strip_id = ANY($1::text[])
             AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(id) WHERE k.id = e.id)",
            &[&ids, &keep],
        )?;
    }
    write_events(tx, &events)?;
    Ok(())
}

/// Locks the rows of the strips a transaction is about to write or delete, in id order by
/// bytes, here and in the server (`COLLATE "C"`), so two syncs locking overlapping strips
/// never wait for each other in a circle. In a
/// repeatable-read transaction, a strip that another transaction changed or deleted after
/// this one's snapshot (its row, or through the trigger any of its events) cannot be
/// locked: the server raises a serialization failure, which makes the sync start over and
/// merge again from a new snapshot. Strips not in the database are not locked; two
/// transactions adding the same id collide on its key instead.
pub fn lock(tx: &mut Session, ids: &[&str]) -> Result<(), DbError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(BATCH * 10) {
        tx.query(
            "SELECT id FROM strips WHERE id = ANY($1::text[]) ORDER BY id COLLATE \"C\" FOR UPDATE",
            &[&chunk],
        )?;
    }
    Ok(())
}

/// Deletes strips (their events go with them).
pub fn delete(tx: &mut Session, ids: &[&str]) -> Result<(), DbError> {
    for chunk in ids.chunks(BATCH) {
        tx.execute("DELETE FROM strips WHERE id = ANY($1::text[])", &[&chunk])?;
    }
    Ok(())
}

/// Strips as read back: a document, and for each strip its event keys and row version.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    pub doc: Document,
    pub keys: HashMap<String, Vec<String>>,
    pub versions: HashMap<String, i64>,
    /// Problems the reader found in what the rows say (an event a SQL user broke).
    pub problems: Vec<String>,
}

/// Reads strips (all, or those with these ids) with their events, in document order.
pub fn fetch(tx: &mut Session, ids: Option<&[String]>, label: &str) -> Result<Fetched, DbError> {
    let strip_columns = "SELECT id, ST_AsGeoJSON(geom, 17), name, notes, properties::text, layout::text, row_version FROM strips";
    let event_columns =
        "SELECT id, strip_id, event_id, type, date, confidence, operation, sources::text, note,
            unknown::text, layout::text FROM events";
    let ids: Option<Vec<&str>> = ids.map(|ids| ids.iter().map(String::as_str).collect());
    let event_rows = select(
        tx,
        event_columns,
        "strip_id",
        "ORDER BY strip_id, position, id",
        ids.as_deref(),
    )?;
    let strip_rows = select(
        tx,
        strip_columns,
        "id",
        "ORDER BY position, id",
        ids.as_deref(),
    )?;
    let (owners, events) = decode_events(&event_rows);
    drop(event_rows);
    let members = match ids {
        None => collection(tx)?,
        Some(_) => Vec::new(),
    };
    let strips = strip_texts(&strip_rows, &owners, &events);
    drop(strip_rows);
    let mut fetched = Fetched::default();
    let text = collection_text(members, strips, &mut fetched);
    let parsed = crate::io::read_str(&text, label);
    if parsed.fatal {
        // Never taken for "no strips": that would read as every strip deleted.
        return Err(DbError::Server(format!(
            "the database's rows do not make a readable document: {}",
            parsed
                .diagnostics
                .first()
                .map_or_else(String::new, |d| d.message.clone())
        )));
    }
    fetched.problems = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::io::Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    fetched.doc = parsed.document;
    Ok(fetched)
}

/// The rows of `columns` (a `SELECT … FROM …`) where `column` is one of these ids, or all
/// rows, in `order`. Two texts, not one with "$1 IS NULL OR …", so that a few ids use the
/// indexes.
fn select(
    tx: &mut Session,
    columns: &str,
    column: &str,
    order: &str,
    ids: Option<&[&str]>,
) -> Result<Vec<Row>, DbError> {
    match ids {
        Some(ids) => tx.query(
            &format!("{columns} WHERE {column} = ANY($1::text[]) {order}"),
            &[&ids],
        ),
        None => tx.query(&format!("{columns} {order}"), &[]),
    }
}

/// The event rows decoded on every core: each one's strip id, and the event.
fn decode_events(rows: &[Row]) -> (Vec<String>, Vec<PulledEvent>) {
    rows.par_iter()
        .map(|row| {
            (
                row.get(1),
                PulledEvent {
                    key: row.get(0),
                    event_id: row.get(2),
                    kind: row.get(3),
                    date: row.get(4),
                    confidence: row.get(5),
                    operation: row.get(6),
                    sources: row.get(7),
                    note: row.get(8),
                    unknown: row.get(9),
                    layout: row.get(10),
                },
            )
        })
        .unzip()
}

/// Each strip row with its text and its read events' keys, made on every core. The events
/// (and `owners`, their strips' ids) come sorted by strip, so each strip's are one run of
/// them.
fn strip_texts(
    rows: &[Row],
    owners: &[String],
    events: &[PulledEvent],
) -> Vec<(PulledStrip, String, Vec<String>)> {
    let mut runs: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    let mut start = 0;
    for i in 1..=owners.len() {
        if i == owners.len() || owners[i] != owners[start] {
            runs.insert(owners[start].as_str(), start..i);
            start = i;
        }
    }
    rows.par_iter()
        .map(|row| {
            let strip = PulledStrip {
                id: row.get(0),
                geometry: row.get(1),
                name: row.get(2),
                notes: row.get(3),
                properties: row.get(4),
                layout: row.get(5),
                row_version: row.get(6),
            };
            let rows: &[PulledEvent] = runs
                .get(strip.id.as_str())
                .map_or(&[], |r| &events[r.clone()]);
            let (json, reads) = feature_json(&strip, rows);
            let keys: Vec<String> = rows
                .iter()
                .zip(&reads)
                .filter(|(_, reads)| **reads)
                .map(|(e, _)| e.key.clone())
                .collect();
            (strip, json, keys)
        })
        .collect()
}

/// The text of a collection of these strips, with its own members where the writer puts
/// them: a second `features` after the list, the rest before it. Notes each strip's row
/// version and event keys in `fetched`.
fn collection_text(
    members: crate::model::Extra,
    strips: Vec<(PulledStrip, String, Vec<String>)>,
    fetched: &mut Fetched,
) -> String {
    let (after, before): (Vec<_>, Vec<_>) = members.into_iter().partition(|(k, _)| k == "features");
    let mut text = String::from("{\"type\":\"FeatureCollection\"");
    let push_member = |text: &mut String, key: &str, value: &serde_json::value::RawValue| {
        text.push(',');
        crate::io::json_string_into(text, key);
        text.push(':');
        text.push_str(value.get());
    };
    for (key, value) in &before {
        push_member(&mut text, key, value);
    }
    text.push_str(",\"features\":[");
    text.reserve(strips.iter().map(|(_, json, _)| json.len() + 2).sum());
    for (n, (strip, json, keys)) in strips.into_iter().enumerate() {
        if n > 0 {
            text.push(',');
        }
        text.push('\n');
        text.push_str(&json);
        fetched.versions.insert(strip.id.clone(), strip.row_version);
        fetched.keys.insert(strip.id, keys);
    }
    text.push_str("\n]");
    for (key, value) in &after {
        push_member(&mut text, key, value);
    }
    text.push('}');
    text
}

/// The collection's own members as the database has them (`name`, `crs`, foreign ones).
pub fn collection(tx: &mut Session) -> Result<crate::model::Extra, DbError> {
    Ok(
        match tx.query_opt(
            "SELECT value FROM pistas_meta WHERE key = 'collection'",
            &[],
        )? {
            Some(row) => {
                let text: String = row.get(0);
                serde_json::from_str(&text).unwrap_or_default()
            }
            None => Vec::new(),
        },
    )
}

/// Writes the document's own members (`name`, `crs`, foreign ones) to the database.
pub fn write_collection(tx: &mut Session, doc: &Document) -> Result<(), DbError> {
    let members = serde_json::to_string(&doc.foreign()).unwrap_or_else(|_| "[]".to_owned());
    tx.execute("SELECT pistas_set_collection($1)", &[&members])?;
    Ok(())
}

/// Ids of strips changed (or deleted, or whose events changed) since `mark`.
pub fn changed_since(tx: &mut Session, mark: &str) -> Result<HashSet<String>, DbError> {
    let rows = tx.query(
        "SELECT id FROM strips WHERE change_xid >= $1::text::xid8
         UNION SELECT strip_id FROM events WHERE change_xid >= $1::text::xid8
         UNION SELECT coalesce(old_row ->> 'strip_id', old_row ->> 'id') FROM history
            WHERE xid >= $1::text::xid8 AND op IN ('DELETE', 'UPDATE') AND old_row IS NOT NULL",
        &[&mark],
    )?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// Records the side of a conflict that was not kept.
pub fn record_unkept(
    tx: &mut Session,
    strip: &str,
    unkept: &str,
    why: &str,
) -> Result<(), DbError> {
    tx.execute(
        "SELECT pistas_record_conflict($1, $2::text::jsonb, $3)",
        &[&strip, &unkept, &why],
    )?;
    Ok(())
}
