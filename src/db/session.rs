//! A connection to the server in which every call has a deadline.
//!
//! `tokio-postgres` runs on a one-thread runtime of this session's own; each call is
//! `block_on` of the call under `tokio::time::timeout`. The blocking `postgres` crate has
//! no such deadline, and its `connect_timeout` covers only the TCP connect: a server that
//! accepts the connection and then says nothing (a frozen postmaster) hung `db sync` for
//! ever. Here the whole connect, TLS and start-up included, has `connect_timeout` (10 s by
//! default), and every statement the server's `statement_timeout` (120 s by default) plus
//! a few seconds of grace on this side: the server stops a slow statement itself; this
//! side gives up on a server that no longer answers.
//!
//! A session that timed out is broken: its connection is dropped with it, and the server
//! rolls back whatever its transaction had done.

use std::time::Duration;

use futures_util::SinkExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row};

use super::error::DbError;

/// How long this side waits beyond the server's own `statement_timeout`.
const GRACE: Duration = Duration::from_secs(5);

pub struct Session {
    rt: tokio::runtime::Runtime,
    client: Client,
    /// The longest this side waits for the server's answer to one call.
    limit: Duration,
    /// Where it is connected, for messages.
    what: String,
    broken: bool,
}

/// Isolation of a transaction: every push, pull and sync reads one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

impl Session {
    /// Connects within `connect` (the TCP connect, TLS and the server's start-up
    /// together); calls then wait at most `statement` plus a grace.
    pub(super) fn open<T>(
        config: &tokio_postgres::Config,
        tls: T,
        connect: Duration,
        statement: Duration,
        what: String,
    ) -> Result<Session, DbError>
    where
        T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket> + 'static + Send,
        T::TlsConnect: Send,
        T::Stream: Send + 'static,
        <T::TlsConnect as tokio_postgres::tls::TlsConnect<tokio_postgres::Socket>>::Future: Send,
    {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| DbError::Server(format!("cannot start the connection's runtime: {e}")))?;
        // The timer is made inside the runtime, which it needs.
        let connected =
            rt.block_on(async { tokio::time::timeout(connect, config.connect(tls)).await });
        let (client, connection) = match connected {
            Ok(result) => result?,
            Err(_) => {
                return Err(DbError::Timeout(format!(
                    "{what}: the server did not answer within {} s of connecting (connect_timeout); nothing was changed",
                    connect.as_secs_f64()
                )));
            }
        };
        // The connection's own task runs whenever a call blocks on the runtime; its end
        // (the server gone) shows as the next call's error.
        rt.spawn(async move {
            // Its error (the server gone) is also the one the waiting call returns.
            if let Err(e) = connection.await {
                log::debug!("the connection to the server ended: {e}");
            }
        });
        Ok(Session {
            rt,
            client,
            limit: statement.saturating_add(GRACE),
            what,
            broken: false,
        })
    }

    pub fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, DbError> {
        let call = self.client.query(sql, params);
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    pub fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, DbError> {
        let call = self.client.query_one(sql, params);
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    pub fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, DbError> {
        let call = self.client.query_opt(sql, params);
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    pub fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, DbError> {
        let call = self.client.execute(sql, params);
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    pub fn batch_execute(&mut self, sql: &str) -> Result<(), DbError> {
        let call = self.client.batch_execute(sql);
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    /// `COPY … FROM STDIN` with `data` (in the statement's format) sent in pieces; the rows
    /// it loaded.
    pub fn copy_in(&mut self, sql: &str, data: Vec<bytes::Bytes>) -> Result<u64, DbError> {
        let client = &self.client;
        let call = async move {
            let sink = client.copy_in::<_, bytes::Bytes>(sql).await?;
            futures_util::pin_mut!(sink);
            for piece in data {
                sink.feed(piece).await?;
            }
            sink.as_mut().finish().await
        };
        run_on(&self.rt, self.limit, &self.what, &mut self.broken, call)
    }

    /// Starts a repeatable-read transaction: every read in it sees one snapshot, and a
    /// row another transaction changed after that snapshot cannot be written or locked
    /// (a serialization failure, which a sync takes as "start over").
    pub fn begin(&mut self, access: Access) -> Result<Tx<'_>, DbError> {
        self.batch_execute(match access {
            Access::ReadOnly => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            Access::ReadWrite => "BEGIN ISOLATION LEVEL REPEATABLE READ",
        })?;
        Ok(Tx {
            session: self,
            open: true,
        })
    }

    /// Where this session is connected, without a password.
    pub fn describe(&self) -> &str {
        &self.what
    }
}

fn run_on<F, T>(
    rt: &tokio::runtime::Runtime,
    limit: Duration,
    what: &str,
    broken: &mut bool,
    call: F,
) -> Result<T, DbError>
where
    F: Future<Output = Result<T, tokio_postgres::Error>>,
{
    if *broken {
        return Err(DbError::Timeout(format!(
            "{what}: this connection stopped answering earlier"
        )));
    }
    match rt.block_on(async { tokio::time::timeout(limit, call).await }) {
        Ok(result) => Ok(result?),
        Err(_) => {
            *broken = true;
            Err(DbError::Timeout(format!(
                "{what}: the server did not answer within {} s (statement_timeout, plus {} s); nothing was changed",
                limit.saturating_sub(GRACE).as_secs_f64(),
                GRACE.as_secs()
            )))
        }
    }
}

/// An open transaction; rolled back unless [`Tx::commit`] is called.
pub struct Tx<'a> {
    session: &'a mut Session,
    open: bool,
}

impl Tx<'_> {
    /// Commits. When the server does not answer the COMMIT in time, whether it was
    /// applied is unknown, and the error says so (a sync is safe to run again: it finds
    /// both sides already agree).
    pub fn commit(mut self) -> Result<(), DbError> {
        self.open = false;
        match self.session.batch_execute("COMMIT") {
            Err(DbError::Timeout(_)) => Err(DbError::Timeout(format!(
                "{}: the server did not confirm the commit in time; it may or may not have been applied. Run the sync again when the server answers: it finds what was applied",
                self.session.what
            ))),
            other => other,
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        self.session
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open && !self.session.broken {
            // An error here means the connection is gone, and the server rolled back.
            if self.session.batch_execute("ROLLBACK").is_err() {
                self.session.broken = true;
            }
        }
    }
}

/// A PostgreSQL duration setting (`statement_timeout=30s`, `1min`, `500ms`, `2000`: a bare
/// number is milliseconds, as the server reads it).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let ms = match unit.trim() {
        "" | "ms" => number,
        "s" => number * 1e3,
        "min" => number * 60e3,
        "h" => number * 3600e3,
        "d" => number * 86400e3,
        "us" => number / 1e3,
        _ => return None,
    };
    // PostgreSQL's largest setting is i32::MAX milliseconds (about 24 days).
    (ms.is_finite() && ms >= 0.0).then(|| Duration::from_millis(ms.min(i32::MAX as f64) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_the_server_reads_them() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("2min"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5 parsecs"), None);
        assert_eq!(
            parse_duration("99999999999999999999999s"),
            Some(Duration::from_millis(i32::MAX as u64))
        );
    }
}
