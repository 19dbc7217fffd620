//! The database's tables, created and upgraded by numbered migrations.
//!
//! QGIS opens `strips` (a geometry column in EPSG:4326 with a GiST index) and `events`
//! (with `date_start`/`date_end` as DATE, for the Temporal Controller) as they are. Every
//! insert, update and delete of either table is recorded in `history` by a trigger, with
//! who, when, the old and the new row.

/// Migration `n` is `MIGRATIONS[n - 1]`; each runs once, in one transaction with the
/// record of it in `pistas_migrations`.
pub const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3];

/// The newest schema version this Pistas knows.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

const MIGRATION_1: &str = r#"
CREATE TABLE pistas_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE strips (
    id text PRIMARY KEY,
    geom geometry(Geometry, 4326),
    name text,
    notes text,
    status text,
    times_destroyed integer,
    times_rebuilt integer,
    first_event date,
    last_event date,
    runway_length_m double precision,
    properties jsonb NOT NULL DEFAULT '{}',
    layout jsonb NOT NULL DEFAULT '{}',
    position bigint NOT NULL DEFAULT 0,
    row_version bigint NOT NULL DEFAULT 1,
    change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT current_user
);
CREATE INDEX strips_geom_idx ON strips USING gist (geom);
CREATE INDEX strips_change_idx ON strips (change_xid);
COMMENT ON COLUMN strips.status IS 'Derived: the status at the last push or sync';
COMMENT ON COLUMN strips.layout IS 'What GeoJSON says that a column cannot (property order, foreign members); kept by Pistas';

CREATE TABLE events (
    id text PRIMARY KEY,
    strip_id text NOT NULL REFERENCES strips (id) ON UPDATE CASCADE ON DELETE CASCADE,
    position integer NOT NULL DEFAULT 0,
    event_id text,
    type text NOT NULL,
    date text NOT NULL,
    date_start date NOT NULL,
    date_end date NOT NULL,
    confidence text,
    operation text,
    sources jsonb NOT NULL DEFAULT '[]',
    note text,
    unknown jsonb NOT NULL DEFAULT '{}',
    layout jsonb NOT NULL DEFAULT '{}',
    row_version bigint NOT NULL DEFAULT 1,
    change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT current_user
);
CREATE INDEX events_strip_idx ON events (strip_id, position);
CREATE INDEX events_change_idx ON events (change_xid);
COMMENT ON COLUMN events.date IS 'The date as written (2014, 2014-09, ~2014-09-05, 2014/2015); date_start and date_end are its bounds';

CREATE TABLE history (
    seq bigserial PRIMARY KEY,
    table_name text NOT NULL,
    op text NOT NULL,
    row_id text NOT NULL,
    strip_id text,
    at timestamptz NOT NULL DEFAULT now(),
    by text NOT NULL DEFAULT current_user,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    old_row jsonb,
    new_row jsonb,
    note text
);
-- A sync looks up deletions and updates (ids renamed, events moved) since its mark;
-- people look up a strip's history.
CREATE INDEX history_changed_idx ON history (xid) WHERE op IN ('DELETE', 'UPDATE');
CREATE INDEX history_strip_idx ON history (strip_id);
COMMENT ON TABLE history IS 'Every insert, update and delete of strips and events, and the side a sync did not keep (op CONFLICT)';

-- Versions and who changed a row: set here, so that no client can forget or forge them.
CREATE FUNCTION pistas_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.row_version := OLD.row_version + 1;
    ELSE
        NEW.row_version := 1;
    END IF;
    NEW.change_xid := pg_current_xact_id();
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    RETURN NEW;
END $$;

-- History rows are written by the schema's owner, whoever changed the rows: editors and
-- reviewers can read the history but never change it. One statement per change of many
-- rows (transition tables), not one per row.
CREATE FUNCTION pistas_record() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    -- One function, compiled per table: each branch names only its table's columns.
    IF TG_OP = 'INSERT' AND TG_TABLE_NAME = 'strips' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, new_row)
        SELECT 'strips', 'INSERT', n.id, n.id, session_user, to_jsonb(n) FROM new_rows n;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, new_row)
        SELECT 'events', 'INSERT', n.id, n.strip_id, session_user, to_jsonb(n) FROM new_rows n;
    ELSIF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'strips' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row)
        SELECT 'strips', 'DELETE', o.id, o.id, session_user, to_jsonb(o) FROM old_rows o;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row)
        SELECT 'events', 'DELETE', o.id, o.strip_id, session_user, to_jsonb(o) FROM old_rows o;
    ELSIF TG_TABLE_NAME = 'strips' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, new_row)
        SELECT 'strips', 'UPDATE', n.id, n.id, session_user, to_jsonb(o), to_jsonb(n)
        FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id;
        -- Rows whose id changed: the old one too.
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, note)
        SELECT 'strips', 'UPDATE', o.id, o.id, session_user, to_jsonb(o), 'id changed'
        FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
    ELSE
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, new_row)
        SELECT 'events', 'UPDATE', n.id, n.strip_id, session_user, to_jsonb(o), to_jsonb(n)
        FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id;
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, note)
        SELECT 'events', 'UPDATE', o.id, o.strip_id, session_user, to_jsonb(o), 'id changed'
        FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
    END IF;
    RETURN NULL;
END $$;

-- The collection's own members (name, crs, foreign members), which editors may set but
-- not the database's id.
CREATE FUNCTION pistas_set_collection(members text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    INSERT INTO pistas_meta (key, value) VALUES ('collection', members)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
$$;

-- The side of a conflict a sync did not keep, so that nothing is lost.
CREATE FUNCTION pistas_record_conflict(strip text, unkept jsonb, why text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    INSERT INTO history (table_name, op, row_id, strip_id, by, new_row, note)
    VALUES ('strips', 'CONFLICT', strip, strip, session_user, unkept, why);
$$;

CREATE TRIGGER strips_stamp BEFORE INSERT OR UPDATE ON strips
    FOR EACH ROW EXECUTE FUNCTION pistas_stamp();
CREATE TRIGGER events_stamp BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION pistas_stamp();
CREATE TRIGGER strips_history_insert AFTER INSERT ON strips
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();
CREATE TRIGGER strips_history_update AFTER UPDATE ON strips
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();
CREATE TRIGGER strips_history_delete AFTER DELETE ON strips
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();
CREATE TRIGGER events_history_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();
CREATE TRIGGER events_history_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();
CREATE TRIGGER events_history_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_record();

-- Least privilege: members of pistas_reviewer can pull; members of pistas_editor can also
-- push and sync. Roles are cluster-wide, so several databases share them.
DO $$
BEGIN
    BEGIN
        CREATE ROLE pistas_reviewer NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
        CREATE ROLE pistas_editor NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
END $$;
REVOKE ALL ON strips, events, history, pistas_meta FROM PUBLIC;
REVOKE ALL ON FUNCTION pistas_record_conflict(text, jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pistas_set_collection(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pistas_set_collection(text) TO pistas_editor;
GRANT SELECT ON strips, events, history, pistas_meta, pistas_migrations TO pistas_reviewer, pistas_editor;
GRANT INSERT, UPDATE, DELETE ON strips, events TO pistas_editor;
GRANT EXECUTE ON FUNCTION pistas_record_conflict(text, jsonb, text) TO pistas_editor;
INSERT INTO pistas_meta (key, value) VALUES ('database_id', md5(random()::text || clock_timestamp()::text));
"#;

/// Version 2: a strip's row stands for its whole history, and QGIS sees the events on a
/// time axis.
///
/// - Any change to a strip's events (by Pistas, QGIS or SQL) changes the strip's row too
///   (a new row version), once per transaction. A sync locks the rows of the strips it
///   writes (`SELECT … FOR UPDATE` in its repeatable-read snapshot): a strip whose row, or
///   any of whose events, another transaction changed or deleted after that snapshot
///   cannot be locked (a serialization failure), and the sync starts over from a new
///   snapshot and merges again. So a sync never overwrites or brings back what another
///   committed after it began reading.
/// - The history no longer records a strip row whose only change is that bookkeeping, and
///   a first load (into a table that held no other rows) is one history row per
///   statement, not a copy of each row.
/// - `event_points`: each event at its strip's anchor point (a runway's middle, an area's
///   point on its surface), with `date_start`/`date_end` as DATE and the strip's name, a
///   layer `ogrinfo` and QGIS list as they are, for the Temporal Controller.
const MIGRATION_2: &str = r#"
CREATE FUNCTION pistas_touch_strips() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    me xid8 := pg_current_xact_id();
BEGIN
    -- Every strip was written by this transaction (a first load): nothing to touch.
    IF NOT EXISTS (SELECT 1 FROM strips WHERE change_xid < me OR change_xid > me) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        UPDATE strips s SET row_version = s.row_version
        WHERE s.id IN (SELECT strip_id FROM new_rows) AND s.change_xid <> me;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE strips s SET row_version = s.row_version
        WHERE s.id IN (SELECT strip_id FROM old_rows) AND s.change_xid <> me;
    ELSE
        UPDATE strips s SET row_version = s.row_version
        WHERE s.id IN (SELECT strip_id FROM new_rows UNION SELECT strip_id FROM old_rows)
            AND s.change_xid <> me;
    END IF;
    RETURN NULL;
END $$;

-- The stamp of a new row comes from the columns' defaults; the trigger runs only when a
-- client gave other values (it cannot forge them), so a load of many rows calls no
-- PL/pgSQL per row.
ALTER TABLE strips ALTER COLUMN updated_by SET DEFAULT session_user;
ALTER TABLE events ALTER COLUMN updated_by SET DEFAULT session_user;
DROP TRIGGER strips_stamp ON strips;
DROP TRIGGER events_stamp ON events;
CREATE TRIGGER strips_stamp BEFORE UPDATE ON strips
    FOR EACH ROW EXECUTE FUNCTION pistas_stamp();
CREATE TRIGGER events_stamp BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION pistas_stamp();
CREATE TRIGGER strips_stamp_insert BEFORE INSERT ON strips FOR EACH ROW
    WHEN (NEW.row_version IS DISTINCT FROM 1
        OR NEW.change_xid IS DISTINCT FROM pg_current_xact_id()
        OR NEW.updated_at IS DISTINCT FROM now()
        OR NEW.updated_by IS DISTINCT FROM session_user)
    EXECUTE FUNCTION pistas_stamp();
CREATE TRIGGER events_stamp_insert BEFORE INSERT ON events FOR EACH ROW
    WHEN (NEW.row_version IS DISTINCT FROM 1
        OR NEW.change_xid IS DISTINCT FROM pg_current_xact_id()
        OR NEW.updated_at IS DISTINCT FROM now()
        OR NEW.updated_by IS DISTINCT FROM session_user)
    EXECUTE FUNCTION pistas_stamp();

CREATE TRIGGER events_touch_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_touch_strips();
CREATE TRIGGER events_touch_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pistas_touch_strips();
CREATE TRIGGER events_touch_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pistas_touch_strips();

CREATE OR REPLACE FUNCTION pistas_record() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
DECLARE
    bookkeeping text[] := ARRAY['row_version', 'change_xid', 'updated_at', 'updated_by'];
    me xid8 := pg_current_xact_id();
    first_load boolean;
BEGIN
    -- A first load (the table held no row but this transaction's): one history row for
    -- the statement, naming how many rows and which ids, instead of a copy of each row.
    -- Nothing is lost: a loaded row is itself, with who loaded it and when, and its later
    -- updates and deletes record it whole as their old row.
    -- A first load: the table holds only this statement's rows (not rows this transaction
    -- wrote before, which an earlier statement recorded) and nothing of it was recorded.
    -- The index test first: it is false, and cheap, for every later sync.
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME = 'strips' THEN
            first_load := NOT EXISTS (SELECT 1 FROM strips WHERE change_xid < me OR change_xid > me);
        ELSE
            first_load := NOT EXISTS (SELECT 1 FROM events WHERE change_xid < me OR change_xid > me);
        END IF;
        IF first_load THEN
            first_load := NOT EXISTS (SELECT 1 FROM history WHERE table_name = TG_TABLE_NAME);
        END IF;
        IF first_load AND TG_TABLE_NAME = 'strips' THEN
            first_load := (SELECT count(*) FROM strips) = (SELECT count(*) FROM new_rows);
        ELSIF first_load THEN
            first_load := (SELECT count(*) FROM events) = (SELECT count(*) FROM new_rows);
        END IF;
        IF first_load THEN
            INSERT INTO history (table_name, op, row_id, by, new_row, note)
            SELECT TG_TABLE_NAME, 'LOAD', min(n.id), session_user,
                jsonb_build_object('rows', count(*), 'first_id', min(n.id), 'last_id', max(n.id)),
                format('first load of %s rows', count(*))
            FROM new_rows n HAVING count(*) > 0;
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' AND TG_TABLE_NAME = 'strips' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, new_row)
        SELECT 'strips', 'INSERT', n.id, n.id, session_user, to_jsonb(n) FROM new_rows n;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, new_row)
        SELECT 'events', 'INSERT', n.id, n.strip_id, session_user, to_jsonb(n) FROM new_rows n;
    ELSIF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'strips' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row)
        SELECT 'strips', 'DELETE', o.id, o.id, session_user, to_jsonb(o) FROM old_rows o;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row)
        SELECT 'events', 'DELETE', o.id, o.strip_id, session_user, to_jsonb(o) FROM old_rows o;
    ELSIF TG_TABLE_NAME = 'strips' THEN
        -- A row whose only change is the version its events' changes gave it is not news.
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, new_row)
        SELECT 'strips', 'UPDATE', n.id, n.id, session_user, to_jsonb(o), to_jsonb(n)
        FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
        WHERE o.id IS NULL OR (to_jsonb(n) - bookkeeping) IS DISTINCT FROM (to_jsonb(o) - bookkeeping);
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, note)
        SELECT 'strips', 'UPDATE', o.id, o.id, session_user, to_jsonb(o), 'id changed'
        FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
    ELSE
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, new_row)
        SELECT 'events', 'UPDATE', n.id, n.strip_id, session_user, to_jsonb(o), to_jsonb(n)
        FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id;
        INSERT INTO history (table_name, op, row_id, strip_id, by, old_row, note)
        SELECT 'events', 'UPDATE', o.id, o.strip_id, session_user, to_jsonb(o), 'id changed'
        FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
    END IF;
    RETURN NULL;
END $$;

CREATE VIEW event_points AS
SELECT e.id, e.strip_id, s.name AS strip_name, e.position, e.event_id, e.type, e.date,
    e.date_start, e.date_end, e.confidence, e.operation, e.note, e.sources::text AS sources,
    s.status AS strip_status, e.updated_at, e.updated_by,
    (CASE
        WHEN GeometryType(s.geom) = 'POINT' THEN s.geom
        WHEN GeometryType(s.geom) = 'LINESTRING' THEN ST_LineInterpolatePoint(s.geom, 0.5)
        ELSE ST_Centroid(s.geom)
    END)::geometry(Point, 4326) AS geom
FROM events e JOIN strips s ON s.id = e.strip_id
WHERE s.geom IS NOT NULL AND NOT ST_IsEmpty(s.geom);
COMMENT ON VIEW event_points IS 'Each event at its strip''s anchor point, with date_start and date_end as DATE: add it in QGIS and play it in the Temporal Controller';
GRANT SELECT ON event_points TO pistas_reviewer, pistas_editor;
"#;

/// Version 3: evidence files, each stored once by its SHA-256, in 1 MB pieces. Editors
/// add files; nobody changes or deletes one (its name is its content).
const MIGRATION_3: &str = r#"
CREATE TABLE evidence_files (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type text,
    bytes bigint NOT NULL CHECK (bytes >= 0),
    chunks integer NOT NULL CHECK (chunks >= 0),
    added_at timestamptz NOT NULL DEFAULT now(),
    added_by text NOT NULL DEFAULT session_user
);
CREATE TABLE evidence_chunks (
    sha256 text NOT NULL REFERENCES evidence_files (sha256),
    n integer NOT NULL CHECK (n >= 0),
    data bytea NOT NULL,
    PRIMARY KEY (sha256, n)
);
COMMENT ON TABLE evidence_files IS 'Evidence files of the events, each once by its SHA-256 (Pistas); the content is in evidence_chunks';
REVOKE ALL ON evidence_files, evidence_chunks FROM PUBLIC;
GRANT SELECT ON evidence_files, evidence_chunks TO pistas_reviewer, pistas_editor;
GRANT INSERT ON evidence_files, evidence_chunks TO pistas_editor;
"#;

/// Creates the bookkeeping table the migrations are recorded in.
pub const MIGRATIONS_TABLE: &str = r#"
CREATE TABLE IF NOT EXISTS pistas_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
)"#;
