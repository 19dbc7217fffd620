//! Evidence: the files that back an event or a source (an image, a PDF, a saved page),
//! each named by its SHA-256 and kept in the evidence folder beside the document.
//!
//! An item keeps its members as written, in order (numbers, booleans and dates keep their
//! spelling); the reader checks them, and the accessors read them typed.

use serde_json::value::RawValue;

use super::date::FuzzyDate;
use super::members::{Extra, decode_str};

/// One file of evidence: `sha256` (required), `path`, `media_type`, `bytes`, `caption`,
/// `credit`, `captured`, `footprint`, `private`, and whatever else a producer wrote.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The object's members as written, in order; `sha256` among them, valid.
    members: Extra,
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        super::members::extra_eq(&self.members, &other.members)
    }
}

/// Why an evidence object cannot be read: one sentence, naming the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    /// The member at fault, when one is.
    pub(crate) member: Option<String>,
    pub(crate) message: String,
}

impl EvidenceError {
    fn of(member: &str, message: String) -> Self {
        EvidenceError {
            member: Some(member.to_owned()),
            message,
        }
    }

    /// The member at fault, when one is.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl Evidence {
    /// The member names the profile gives an item.
    pub const FIELDS: [&str; 9] = [
        "sha256",
        "path",
        "media_type",
        "bytes",
        "caption",
        "credit",
        "captured",
        "footprint",
        "private",
    ];

    /// An item from its members as written; refused, with the member at fault, when the
    /// hash is missing or not 64 hexadecimal digits, a path leaves the evidence folder, or
    /// a typed member holds the wrong kind of value.
    pub fn from_members(members: Extra) -> Result<Self, EvidenceError> {
        let item = Evidence { members };
        item.check_hash()?;
        item.check_path_member()?;
        item.check_typed()?;
        Ok(item)
    }

    /// Checks `sha256`: there, and 64 hexadecimal digits.
    fn check_hash(&self) -> Result<(), EvidenceError> {
        match self.raw("sha256") {
            None => Err(EvidenceError {
                member: None,
                message: "this evidence has no \"sha256\": every file of evidence is named \
                          by its SHA-256 (64 hexadecimal digits)"
                    .to_owned(),
            }),
            Some(raw) => match decode_str(raw) {
                Some(hash) if is_sha256(&hash) => Ok(()),
                _ => Err(EvidenceError::of(
                    "sha256",
                    format!(
                        "the evidence's \"sha256\" is {}; it must be 64 hexadecimal digits",
                        raw.get()
                    ),
                )),
            },
        }
    }

    /// Checks `path`, when there: text, and a path inside the evidence folder.
    fn check_path_member(&self) -> Result<(), EvidenceError> {
        let Some(raw) = self.raw("path") else {
            return Ok(());
        };
        let path = decode_str(raw).ok_or_else(|| {
            EvidenceError::of(
                "path",
                format!("the evidence's \"path\" is {}; it must be text", raw.get()),
            )
        })?;
        check_path(&path).map_err(|why| {
            EvidenceError::of(
                "path",
                format!("the evidence's \"path\" {}: {why}", raw.get()),
            )
        })
    }

    /// Checks the typed members that are there hold the kind of value they must.
    fn check_typed(&self) -> Result<(), EvidenceError> {
        for name in ["media_type", "caption", "credit"] {
            if let Some(raw) = self.raw(name)
                && decode_str(raw).is_none()
            {
                return Err(EvidenceError::of(
                    name,
                    format!(
                        "the evidence's \"{name}\" is {}; it must be text",
                        raw.get()
                    ),
                ));
            }
        }
        if let Some(raw) = self.raw("bytes")
            && raw.get().parse::<u64>().is_err()
        {
            return Err(EvidenceError::of(
                "bytes",
                format!(
                    "the evidence's \"bytes\" is {}; it must be a whole number of bytes",
                    raw.get()
                ),
            ));
        }
        if let Some(raw) = self.raw("captured") {
            let text = decode_str(raw).ok_or_else(|| {
                EvidenceError::of(
                    "captured",
                    format!(
                        "the evidence's \"captured\" is {}; write a date such as \"2014-09-05\"",
                        raw.get()
                    ),
                )
            })?;
            if let Err(e) = FuzzyDate::parse(&text) {
                return Err(EvidenceError::of("captured", e.to_string()));
            }
        }
        if let Some(raw) = self.raw("footprint")
            && footprint(raw).is_none()
        {
            return Err(EvidenceError::of(
                "footprint",
                format!(
                    "the evidence's \"footprint\" is {}; it must be [west, south, east, north] \
                     in degrees, west of east and south of north",
                    raw.get()
                ),
            ));
        }
        if let Some(raw) = self.raw("private")
            && !matches!(raw.get(), "true" | "false")
        {
            return Err(EvidenceError::of(
                "private",
                format!(
                    "the evidence's \"private\" is {}; it must be true or false",
                    raw.get()
                ),
            ));
        }
        Ok(())
    }

    /// The item with member `name` set to `value` (JSON text), in its place when it was
    /// there and last otherwise; refused as [`Evidence::from_members`] refuses.
    pub fn with_member(&self, name: &str, value: &str) -> Result<Evidence, EvidenceError> {
        let raw = RawValue::from_string(value.to_owned())
            .map_err(|e| EvidenceError::of(name, format!("\"{name}\" is not JSON: {e}")))?;
        let mut members = self.members.clone();
        match members.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = raw,
            None => members.push((name.to_owned(), raw)),
        }
        Evidence::from_members(members)
    }

    /// The item without member `name` (`sha256` cannot be taken away).
    pub fn without_member(&self, name: &str) -> Evidence {
        let mut item = self.clone();
        if name != "sha256" {
            item.members.retain(|(k, _)| k != name);
        }
        item
    }

    /// The members as written, in order (for writing).
    pub fn members(&self) -> &Extra {
        &self.members
    }

    fn raw(&self, name: &str) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.raw(name).and_then(decode_str).map(|t| t.into_owned())
    }

    /// The file's SHA-256, lower case.
    pub fn sha256(&self) -> String {
        self.text("sha256").unwrap_or_default().to_ascii_lowercase()
    }

    /// Where the file is, relative to the evidence folder, with forward slashes.
    pub fn path(&self) -> Option<String> {
        self.text("path")
    }

    pub fn media_type(&self) -> Option<String> {
        self.text("media_type")
    }

    pub fn caption(&self) -> Option<String> {
        self.text("caption")
    }

    pub fn credit(&self) -> Option<String> {
        self.text("credit")
    }

    /// The file's size in bytes, as recorded.
    pub fn bytes(&self) -> Option<u64> {
        self.raw("bytes").and_then(|r| r.get().parse().ok())
    }

    /// When the file was captured.
    pub fn captured(&self) -> Option<FuzzyDate> {
        self.text("captured")
            .and_then(|t| FuzzyDate::parse(&t).ok())
    }

    /// The box a georeferenced image covers: west, south, east, north.
    pub fn footprint(&self) -> Option<[f64; 4]> {
        self.raw("footprint").and_then(footprint)
    }

    /// True when the item is kept out of publication.
    pub fn private(&self) -> bool {
        self.raw("private").is_some_and(|r| r.get() == "true")
    }
}

/// True for 64 hexadecimal digits (either case).
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks that `path` names a file inside the evidence folder: relative, forward
/// slashes, no `..`, no empty or `.` part, no drive or root.
pub fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err("it must be relative to the evidence folder, with forward slashes");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("it must stay inside the evidence folder (no \"..\", \".\" or empty parts)");
    }
    if path.chars().any(char::is_control) {
        return Err("it holds a control character");
    }
    Ok(())
}

fn footprint(raw: &RawValue) -> Option<[f64; 4]> {
    let values: Vec<f64> = serde_json::from_str(raw.get()).ok()?;
    let [w, s, e, n]: [f64; 4] = values.try_into().ok()?;
    let ok = (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-90.0..=90.0).contains(&s)
        && (-90.0..=90.0).contains(&n)
        && w < e
        && s < n;
    ok.then_some([w, s, e, n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(text: &str) -> Extra {
        let map: Vec<(String, Box<RawValue>)> =
            serde_json::from_str::<std::collections::BTreeMap<String, Box<RawValue>>>(text)
                .expect("object")
                .into_iter()
                .collect();
        map
    }

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn an_item_reads_its_members_typed() {
        let e = Evidence::from_members(members(&format!(
            r#"{{"sha256":"{}","path":"ab/img.png","bytes":1024,"captured":"2014-09~","footprint":[-74.1,-12.2,-74.0,-12.1],"private":true,"caption":"Pista \u00d1"}}"#,
            HASH.to_uppercase()
        )))
        .unwrap();
        assert_eq!(e.sha256(), HASH);
        assert_eq!(e.path().as_deref(), Some("ab/img.png"));
        assert_eq!(e.bytes(), Some(1024));
        assert_eq!(e.footprint(), Some([-74.1, -12.2, -74.0, -12.1]));
        assert!(e.private());
        assert_eq!(e.caption().as_deref(), Some("Pista Ñ"));
        assert_eq!(e.captured().unwrap().to_string(), "2014-09~");
    }

    #[test]
    fn a_bad_item_is_refused_naming_its_member() {
        let bad = |text: &str| Evidence::from_members(members(text)).unwrap_err();
        assert_eq!(bad(r#"{"path":"a.png"}"#).member(), None);
        assert_eq!(bad(r#"{"sha256":"abc"}"#).member(), Some("sha256"));
        for path in [
            "../a.png",
            "/etc/passwd",
            "a/../../b",
            "C:/x",
            "a\\b",
            "",
            "a//b",
        ] {
            let text = format!(
                r#"{{"sha256":"{HASH}","path":{}}}"#,
                serde_json::to_string(path).unwrap()
            );
            assert_eq!(bad(&text).member(), Some("path"), "{path}");
        }
        let with = |k: &str, v: &str| format!(r#"{{"sha256":"{HASH}","{k}":{v}}}"#);
        assert_eq!(bad(&with("bytes", "-1")).member(), Some("bytes"));
        assert_eq!(
            bad(&with("footprint", "[1,2,0,3]")).member(),
            Some("footprint")
        );
        assert_eq!(bad(&with("private", "\"yes\"")).member(), Some("private"));
        assert_eq!(
            bad(&with("captured", "\"soon\"")).member(),
            Some("captured")
        );
    }

    #[test]
    fn a_member_is_set_in_its_place_and_checked() {
        let e = Evidence::from_members(members(&format!(r#"{{"caption":"a","sha256":"{HASH}"}}"#)))
            .unwrap();
        let placed = e
            .with_member("footprint", "[-74.1,-12.2,-74.0,-12.1]")
            .unwrap();
        assert_eq!(placed.footprint(), Some([-74.1, -12.2, -74.0, -12.1]));
        assert_eq!(placed.members().last().unwrap().0, "footprint");
        let captioned = placed.with_member("caption", "\"b\"").unwrap();
        assert_eq!(captioned.members()[0].0, "caption");
        assert_eq!(captioned.caption().as_deref(), Some("b"));
        assert!(e.with_member("footprint", "[1,2,0,3]").is_err());
        assert!(e.with_member("path", "\"../x\"").is_err());
        assert_eq!(placed.without_member("footprint"), e);
        assert_eq!(e.without_member("sha256").sha256(), HASH);
    }
}
