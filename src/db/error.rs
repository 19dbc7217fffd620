//! What can go wrong talking to the database, and how the driver's errors are said to a
//! person.

/// What went wrong talking to the database, in words for a person.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("connection string: {0}")]
    Config(String),
    #[error("{0}")]
    Server(String),
    #[error("{0}")]
    Schema(String),
    #[error("sync state: {0}")]
    State(String),
    #[error(
        "this file was synced with another database ({0}); pull that database into a new file, or remove the file's .pistas-sync.json to merge it as new"
    )]
    OtherDatabase(String),
    /// Another writer changed what this sync read; it is tried again.
    #[error("the database changed during the sync; try again")]
    Busy,
    /// The server did not answer in time (a frozen or unreachable server, or a statement
    /// past `statement_timeout`).
    #[error("{0}")]
    Timeout(String),
}

impl DbError {
    pub(super) fn retryable(&self) -> bool {
        matches!(self, DbError::Busy)
    }
}

/// The server's message, with its detail and hint, without the driver's wrapping.
pub(crate) fn message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_owned();
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; {hint}"));
            }
            text
        }
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            if e.is_closed() || text.contains("connection") {
                format!("the connection was lost: {text}")
            } else {
                text
            }
        }
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        if let Some(code) = e.code()
            && (*code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
                || *code == SqlState::UNIQUE_VIOLATION)
        {
            return DbError::Busy;
        }
        if e.code() == Some(&SqlState::QUERY_CANCELED) {
            return DbError::Timeout(format!(
                "{}: the server stopped the statement (statement_timeout in the connection string sets how long it may take); nothing was changed",
                message(&e)
            ));
        }
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return DbError::Server(format!(
                "{}: this role may not do that (a pistas_reviewer can pull but not push or sync)",
                message(&e)
            ));
        }
        DbError::Server(message(&e))
    }
}
