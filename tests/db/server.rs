//! A throwaway PostgreSQL + PostGIS on loopback for these tests: `initdb` in a temporary
//! folder, a free port, TLS with a self-signed certificate for `localhost`, and a watchdog
//! that stops the server and removes the folder when the test process ends.
//!
//! As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root)
//! from a folder that user owns. Without the packages, the tests print what they could not
//! run and pass, except in CI (`CI` set), where they fail.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PASSWORD: &str = "pistas-test-superuser";

pub struct Server {
    pub port: u16,
    pub dir: PathBuf,
    bin: PathBuf,
}

fn bin_dir() -> Option<PathBuf> {
    let from_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let mut candidates: Vec<PathBuf> = from_config.into_iter().collect();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        candidates.extend(versions.into_iter().rev());
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the server's user, from a folder that user can enter (the checkout
/// may be under root's home, which it cannot).
fn as_server_user(program: &Path) -> Command {
    let mut c = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    c.current_dir(std::env::temp_dir());
    c
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn start() -> Result<Server, String> {
    let bin = bin_dir().ok_or("no PostgreSQL server binaries (Debian: postgresql)")?;
    let share = Command::new(bin.join("pg_config"))
        .arg("--sharedir")
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let has_postgis = share
        .map(|s| s.join("extension/postgis.control"))
        .is_some_and(|p| p.exists())
        || glob_postgis();
    if !has_postgis {
        return Err("PostGIS is not installed (Debian: postgis)".into());
    }
    let dir = tempfile::Builder::new()
        .prefix("pistas-pg-")
        .tempdir_in("/tmp")
        .map_err(|e| e.to_string())?
        .keep();
    if is_root() {
        run(
            {
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(&dir);
                c
            },
            "chown",
        )?;
    }
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, PASSWORD).map_err(|e| e.to_string())?;
    if is_root() {
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&pwfile)
            .status();
    }
    let data = dir.join("data");
    let mut init = as_server_user(&bin.join("initdb"));
    init.arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync",
        ])
        .arg(format!("--pwfile={}", pwfile.display()));
    run(init, "initdb")?;
    // The superuser connects without a password (fast in unoptimised test builds); team
    // roles with one, as on a real server.
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n",
    )
    .map_err(|e| format!("pg_hba.conf: {e}"))?;
    // TLS: a test CA, and a server certificate it signs for "localhost" (not 127.0.0.1).
    let cert = dir.join("server.crt");
    let key = dir.join("server.key");
    let tls = make_certificates(&dir);
    if tls && is_root() {
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&cert)
            .arg(&key)
            .status();
    }
    let _ = Command::new("chmod").arg("600").arg(&key).status();
    let port = free_port();
    let mut options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
        dir.display()
    );
    if tls {
        options.push_str(&format!(
            " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            cert.display(),
            key.display()
        ));
    }
    let mut ctl = as_server_user(&bin.join("pg_ctl"));
    ctl.arg("-D")
        .arg(&data)
        .arg("-o")
        .arg(&options)
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "start"]);
    run(ctl, "pg_ctl start")?;
    // The watchdog: when this process is gone, stop the server and remove the folder.
    let stop = if is_root() {
        format!(
            "runuser -u postgres -- {} -D {} stop -m immediate",
            bin.join("pg_ctl").display(),
            data.display()
        )
    } else {
        format!(
            "{} -D {} stop -m immediate",
            bin.join("pg_ctl").display(),
            data.display()
        )
    };
    let script = format!(
        "cd /; while kill -0 {pid} 2>/dev/null; do sleep 0.3; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("watchdog: {e}"))?;
    Ok(Server { port, dir, bin })
}

fn glob_postgis() -> bool {
    std::fs::read_dir("/usr/share/postgresql").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().join("extension/postgis.control").exists())
    })
}

/// The test server, started on first use; `None` (after saying why) when it cannot start
/// outside CI.
pub fn server(test: &str) -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    match SERVER.get_or_init(start) {
        Ok(server) => Some(server),
        Err(why) => {
            if std::env::var_os("CI").is_some() {
                panic!("the PostgreSQL test server must start in CI: {why}");
            }
            eprintln!("SKIPPED {test}: no PostgreSQL + PostGIS test server ({why})");
            None
        }
    }
}

impl Server {
    /// The superuser's connection string to database `db`.
    pub fn url(&self, db: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres password={PASSWORD} dbname={db} sslmode=disable",
            self.port
        )
    }

    /// A connection string for `user` with `password` to database `db`.
    pub fn url_as(&self, db: &str, user: &str, password: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={user} password={password} dbname={db} sslmode=disable",
            self.port
        )
    }

    /// The test CA's certificate, the root a client verifies the server against.
    pub fn cert(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// A fresh, empty database (PostGIS not yet enabled) named after the test.
    pub fn database(&self, test: &str) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t{}_{}",
            N.fetch_add(1, Ordering::SeqCst),
            test.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("admin connection");
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create database");
        name
    }

    /// `psql` from the server's binaries.
    pub fn psql(&self) -> PathBuf {
        self.bin.join("psql")
    }
}

/// Makes `ca.crt` and a `server.crt`/`server.key` it signs, with openssl; false if it
/// cannot.
fn make_certificates(dir: &Path) -> bool {
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let ext = dir.join("server.ext");
    if std::fs::write(
        &ext,
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n",
    )
    .is_err()
    {
        return false;
    }
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Pistas test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ])
}
