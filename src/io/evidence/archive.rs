//! Archiving a source: its page fetched once, kept as a web archive (WARC 1.1: the request
//! and the response as they went over the wire, with the capture time) in the evidence
//! folder, sealed by hash. This is the only request Pistas makes on its own besides the
//! tiles a person chose, and only when the person asks for it.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use ureq::ResponseExt;

use super::{AddOptions, Stored, sha256_bytes, store};

/// The most of a page that is kept.
const AT_MOST: u64 = 64 << 20;

/// A page fetched: the archive's bytes, and what to say of it.
#[derive(Debug)]
pub struct Fetched {
    pub warc: Vec<u8>,
    pub captured: DateTime<Utc>,
    pub status: u16,
    /// The address that answered, after redirects.
    pub final_url: String,
}

/// Fetches `url` once (redirects followed, 30 s at most) and makes its web archive. `Err`
/// says why not in words: offline, refused, not found…
pub fn fetch(url: &str) -> Result<Fetched, String> {
    let parsed: ureq::http::Uri = url
        .parse()
        .map_err(|_| format!("\"{url}\" is not a web address"))?;
    if !matches!(parsed.scheme_str(), Some("http" | "https")) {
        return Err(format!("\"{url}\" is not an http or https address"));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .timeout_connect(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent("Pistas (archiving a source a researcher cited)")
        .build()
        .into();
    let captured = Utc::now();
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Io(io) => format!("{url} could not be reached (offline?): {io}"),
        ureq::Error::HostNotFound => {
            format!("{url} could not be reached: its host was not found (offline?)")
        }
        ureq::Error::ConnectionFailed => format!("{url} could not be reached (offline?)"),
        ureq::Error::Timeout(_) => format!("{url} did not answer in time"),
        other => format!("{url}: {other}"),
    })?;
    let status = response.status().as_u16();
    let final_url = response.get_uri().to_string();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status,
        response.status().canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        // The body is kept decoded, so its length and coding are said anew.
        let lower = name.as_str();
        if lower == "content-length" || lower == "transfer-encoding" {
            continue;
        }
        head.push_str(&format!(
            "{}: {}\r\n",
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(AT_MOST)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: the page could not be read whole: {e}"))?;
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut http_response = head.into_bytes();
    http_response.extend_from_slice(&body);
    let host = parsed.host().unwrap_or("");
    let path = parsed.path_and_query().map_or("/", |p| p.as_str());
    let http_request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n").into_bytes();
    let date = captured.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut warc = Vec::new();
    let info = format!(
        "software: Pistas {}\r\nformat: WARC File Format 1.1\r\n",
        env!("CARGO_PKG_VERSION")
    );
    record(
        &mut warc,
        "warcinfo",
        None,
        &date,
        "application/warc-fields",
        info.as_bytes(),
    );
    record(
        &mut warc,
        "request",
        Some(url),
        &date,
        "application/http;msgtype=request",
        &http_request,
    );
    record(
        &mut warc,
        "response",
        Some(url),
        &date,
        "application/http;msgtype=response",
        &http_response,
    );
    Ok(Fetched {
        warc,
        captured,
        status,
        final_url,
    })
}

fn record(
    out: &mut Vec<u8>,
    kind: &str,
    url: Option<&str>,
    date: &str,
    content: &str,
    block: &[u8],
) {
    let id: u128 = rand::rng().random();
    let id = format!("{id:032x}");
    let mut head = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{}-{}-4{}-a{}-{}>\r\nWARC-Date: {date}\r\n",
        &id[0..8],
        &id[8..12],
        &id[13..16],
        &id[17..20],
        &id[20..32]
    );
    if let Some(url) = url {
        head.push_str(&format!("WARC-Target-URI: {url}\r\n"));
    }
    head.push_str(&format!(
        "WARC-Block-Digest: sha256:{}\r\nContent-Type: {content}\r\nContent-Length: {}\r\n\r\n",
        sha256_bytes(block),
        block.len()
    ));
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
}

/// Fetches `url` and stores its web archive in `folder`: the item to attach to the
/// source, captured today, captioned with the address and the answer's status.
pub fn archive(folder: &Path, url: &str, private: bool) -> Result<Stored, String> {
    let fetched = fetch(url)?;
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let temp = tempfile::Builder::new()
        .prefix(".archive-")
        .suffix(".warc")
        .tempfile_in(folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?;
    std::fs::write(temp.path(), &fetched.warc).map_err(|e| e.to_string())?;
    let caption = if fetched.status == 200 {
        format!("{} archived", fetched.final_url)
    } else {
        format!(
            "{} archived (it answered {})",
            fetched.final_url, fetched.status
        )
    };
    let options = AddOptions {
        caption: Some(caption),
        credit: None,
        private,
    };
    let mut stored = store(folder, temp.path(), &options)?;
    let day = fetched.captured.date_naive().to_string();
    stored.item = stored
        .item
        .with_member("captured", crate::model::json_string(&day).get())
        .map_err(|e| e.message().to_owned())?;
    if fetched.status >= 400 {
        stored.note = Some(format!(
            "{url} answered {}; its answer was kept",
            fetched.status
        ));
    }
    Ok(stored)
}
