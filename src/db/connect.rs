//! Connecting: libpq connection strings, the password from `PGPASSWORD`, `~/.pgpass` or a
//! prompt (never from a file Pistas writes), and TLS as `sslmode` asks.
//!
//! `tokio-postgres` reads both forms of connection string (`host=… dbname=…` and
//! `postgresql://…`) but knows only `disable`, `prefer` and `require`; Pistas takes `sslmode`
//! and `sslrootcert` out first and gives them libpq's meaning: `prefer` and `require`
//! encrypt without checking the certificate (unless a root certificate is given, as libpq
//! does with `~/.postgresql/root.crt`), `verify-ca` checks the chain, `verify-full` the chain
//! and the host name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use tokio_postgres::Config;
use tokio_postgres::config::{Host, SslMode};

use super::error::DbError;
use super::session::Session;

/// How to use TLS, in libpq's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    Disable,
    Allow,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsMode {
    fn parse(text: &str) -> Result<Self, DbError> {
        Ok(match text {
            "disable" => TlsMode::Disable,
            "allow" => TlsMode::Allow,
            "prefer" => TlsMode::Prefer,
            "require" => TlsMode::Require,
            "verify-ca" => TlsMode::VerifyCa,
            "verify-full" => TlsMode::VerifyFull,
            other => {
                return Err(DbError::Config(format!(
                    "sslmode \"{other}\" is not one of disable, allow, prefer, require, verify-ca, verify-full"
                )));
            }
        })
    }
}

/// A connection string taken apart: what to connect to and how.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
    pub tls: TlsMode,
    pub root_cert: Option<PathBuf>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Splits a key=value connection string into pairs (values may be single-quoted, with
/// backslash escapes, as libpq allows).
fn pairs(text: &str) -> Result<Vec<(String, String)>, DbError> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(DbError::Config(format!(
                "\"{key}\" has no value: a connection string is key=value pairs or a postgresql:// URL"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    None => {
                        return Err(DbError::Config(format!(
                            "the value of {key} has no closing quote"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

fn quote(value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('\'', "\\'");
    format!("'{escaped}'")
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

impl Target {
    /// Reads a libpq connection string; `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`,
    /// `PGSSLMODE` and `PGSSLROOTCERT` fill what it leaves out, as for `psql`.
    pub fn parse(text: &str) -> Result<Self, DbError> {
        let text = text.trim();
        let mut ssl: Option<String> = None;
        let mut root: Option<String> = None;
        let rest = if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            match text.split_once('?') {
                None => text.to_owned(),
                Some((base, query)) => {
                    let mut kept = Vec::new();
                    for part in query.split('&').filter(|p| !p.is_empty()) {
                        let (k, v) = part.split_once('=').unwrap_or((part, ""));
                        match k {
                            "sslmode" => ssl = Some(percent_decode(v)),
                            "sslrootcert" => root = Some(percent_decode(v)),
                            _ => kept.push(part),
                        }
                    }
                    if kept.is_empty() {
                        base.to_owned()
                    } else {
                        format!("{base}?{}", kept.join("&"))
                    }
                }
            }
        } else {
            let mut kept = Vec::new();
            for (k, v) in pairs(text)? {
                match k.as_str() {
                    "sslmode" => ssl = Some(v),
                    "sslrootcert" => root = Some(v),
                    _ => kept.push(format!("{k}={}", quote(&v))),
                }
            }
            kept.join(" ")
        };
        let mut config: Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| DbError::Config(e.to_string()))?;
        let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(host) => {
                    config.host(&host);
                }
                None => {
                    config.host("localhost");
                }
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
        {
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .unwrap_or_else(|| "postgres".to_owned());
            config.user(&user);
        }
        if config.get_dbname().is_none()
            && let Some(db) = env("PGDATABASE")
        {
            config.dbname(&db);
        }
        let tls = match ssl.or_else(|| env("PGSSLMODE")) {
            Some(mode) => TlsMode::parse(&mode)?,
            None => TlsMode::Prefer,
        };
        let root_cert = root
            .or_else(|| env("PGSSLROOTCERT"))
            .map(PathBuf::from)
            .or_else(|| {
                let home = std::env::var_os("HOME")?;
                let default = Path::new(&home).join(".postgresql/root.crt");
                default.exists().then_some(default)
            });
        if matches!(tls, TlsMode::VerifyCa | TlsMode::VerifyFull) && root_cert.is_none() {
            // libpq also refuses: there is nothing to verify against.
            return Err(DbError::Config(format!(
                "sslmode {} needs a root certificate: give sslrootcert=FILE or put it in ~/.postgresql/root.crt",
                if tls == TlsMode::VerifyCa {
                    "verify-ca"
                } else {
                    "verify-full"
                }
            )));
        }
        Ok(Target {
            config,
            tls,
            root_cert,
        })
    }

    /// Where this connects, without any password: for messages, titles and the sync state.
    pub fn describe(&self) -> String {
        let user = self.config.get_user().unwrap_or("?");
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_owned(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let db = self.config.get_dbname().unwrap_or(user);
        let mut text = format!("postgresql://{user}@{host}:{port}/{db}");
        let mode = match self.tls {
            TlsMode::Disable => Some("disable"),
            TlsMode::Allow => Some("allow"),
            TlsMode::Prefer => None,
            TlsMode::Require => Some("require"),
            TlsMode::VerifyCa => Some("verify-ca"),
            TlsMode::VerifyFull => Some("verify-full"),
        };
        let mut query = Vec::new();
        if let Some(mode) = mode {
            query.push(format!("sslmode={mode}"));
        }
        if let Some(root) = &self.root_cert {
            query.push(format!("sslrootcert={}", root.display()).replace(' ', "%20"));
        }
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query.join("&"));
        }
        text
    }

    /// A short name for a status bar: the database and its host (`vraem on db.example`).
    pub fn short_name(&self) -> String {
        let user = self.config.get_user().unwrap_or("?");
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(_)) | None => "localhost".to_owned(),
        };
        let db = self.config.get_dbname().unwrap_or(user);
        format!("{db} on {host}")
    }

    /// True when the password is still to be found.
    pub fn needs_password(&self) -> bool {
        self.config.get_password().is_none()
    }

    /// Takes the password from `PGPASSWORD`, else from `~/.pgpass` (or `PGPASSFILE`), as
    /// libpq does. Returns whether one was found.
    pub fn password_from_environment(&mut self) -> bool {
        if !self.needs_password() {
            return true;
        }
        if let Some(password) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
            self.config.password(password);
            return true;
        }
        let file = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")));
        if let Some(file) = file
            && let Ok(text) = std::fs::read_to_string(&file)
            && let Some(password) = self.pgpass_lookup(&text)
        {
            self.config.password(password);
            return true;
        }
        false
    }

    pub fn set_password(&mut self, password: &str) {
        self.config.password(password);
    }

    /// The password `.pgpass` text gives this target: the first line whose
    /// `host:port:database:user` fields match (`*` matches anything).
    fn pgpass_lookup(&self, text: &str) -> Option<String> {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            _ => "localhost".to_owned(),
        };
        let port = self
            .config
            .get_ports()
            .first()
            .copied()
            .unwrap_or(5432)
            .to_string();
        let user = self.config.get_user().unwrap_or_default().to_owned();
        let db = self
            .config
            .get_dbname()
            .map(str::to_owned)
            .unwrap_or_else(|| user.clone());
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .find_map(|line| {
                let fields = pgpass_fields(line);
                if fields.len() != 5 {
                    return None;
                }
                let want = [&host, &port, &db, &user];
                fields[..4]
                    .iter()
                    .zip(want)
                    .all(|(f, w)| f == "*" || f == w)
                    .then(|| fields[4].clone())
            })
    }

    /// How long connecting may take: `connect_timeout` of the connection string (the TCP
    /// connect, TLS and the server's start-up together), 10 s if it has none.
    pub fn connect_timeout(&self) -> Duration {
        self.config
            .get_connect_timeout()
            .copied()
            .filter(|d| !d.is_zero())
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
    }

    /// The server's `statement_timeout` for this connection: from `options=-c
    /// statement_timeout=…` in the connection string, 120 s if it sets none (`0`, as on the
    /// server, is no limit there; this side then still gives up after an hour of silence).
    pub fn statement_timeout(&self) -> Duration {
        statement_timeout_in(self.config.get_options().unwrap_or_default())
            .map(|d| if d.is_zero() { NO_LIMIT } else { d })
            .unwrap_or(DEFAULT_STATEMENT_TIMEOUT)
    }

    /// Opens a connection (blocking: call it off the UI thread). Connecting and every
    /// statement then have a deadline (see [`Session`]).
    pub fn connect(&self) -> Result<Session, DbError> {
        let mut config = self.config.clone();
        let statement = self.statement_timeout();
        if statement_timeout_in(config.get_options().unwrap_or_default()).is_none() {
            let options = format!(
                "{} -c statement_timeout={}ms",
                config.get_options().unwrap_or_default(),
                statement.as_millis()
            );
            config.options(options.trim());
        }
        let connect = self.connect_timeout();
        let what = self.describe();
        match self.tls {
            TlsMode::Disable => {
                config.ssl_mode(SslMode::Disable);
                return Session::open(&config, tokio_postgres::NoTls, connect, statement, what);
            }
            TlsMode::Allow | TlsMode::Prefer => {
                config.ssl_mode(SslMode::Prefer);
            }
            TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull => {
                config.ssl_mode(SslMode::Require);
            }
        }
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.tls_config()?);
        Session::open(&config, tls, connect, statement, what)
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig, DbError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| DbError::Config(format!("TLS: {e}")))?;
        let roots = match &self.root_cert {
            Some(path) => {
                let mut roots = rustls::RootCertStore::empty();
                let certs =
                    rustls::pki_types::CertificateDer::pem_file_iter(path).map_err(|e| {
                        DbError::Config(format!(
                            "cannot read the root certificate {}: {e}",
                            path.display()
                        ))
                    })?;
                for cert in certs {
                    let cert = cert.map_err(|e| {
                        DbError::Config(format!(
                            "the root certificate {} is not PEM: {e}",
                            path.display()
                        ))
                    })?;
                    roots.add(cert).map_err(|e| {
                        DbError::Config(format!("root certificate {}: {e}", path.display()))
                    })?;
                }
                Some(Arc::new(roots))
            }
            None => None,
        };
        let verify = |roots: Arc<rustls::RootCertStore>, hostname: bool| {
            let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
                roots,
                provider.clone(),
            )
            .build()
            .map_err(|e| DbError::Config(format!("TLS: {e}")))?;
            Ok::<_, DbError>(Arc::new(verifier::Checked {
                inner,
                hostname,
                provider: provider.clone(),
            }))
        };
        let config = match (self.tls, roots) {
            (TlsMode::VerifyFull, Some(roots)) => builder
                .dangerous()
                .with_custom_certificate_verifier(verify(roots, true)?),
            (_, Some(roots)) => builder
                .dangerous()
                .with_custom_certificate_verifier(verify(roots, false)?),
            (_, None) => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier::Unchecked(provider.clone()))),
        };
        Ok(config.with_no_client_auth())
    }
}

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(120);
const NO_LIMIT: Duration = Duration::from_secs(3600);

/// `statement_timeout` set in libpq's `options` (`-c statement_timeout=30s` or
/// `--statement_timeout=30s`).
fn statement_timeout_in(options: &str) -> Option<Duration> {
    let at = options.rfind("statement_timeout")?;
    let rest = options[at + "statement_timeout".len()..].trim_start();
    let value = rest.strip_prefix('=')?.trim_start();
    let end = value.find(char::is_whitespace).unwrap_or(value.len());
    super::session::parse_duration(value[..end].trim_matches('\''))
}

/// The fields of a `.pgpass` line: `:` separates them, `\` escapes `:` and `\`.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields
                .last_mut()
                .into_iter()
                .for_each(|f| f.extend(chars.next())),
            ':' => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

mod verifier;

#[cfg(test)]
mod tests;
