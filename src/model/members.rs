//! The two places a member of a JSON object can live in the model: a typed slot, or the
//! list of members Pistas does not interpret. The types keep the two apart, so that no
//! member can be written twice.

use serde_json::value::RawValue;

/// Members of a JSON object that Pistas does not interpret, kept as written, in order.
pub type Extra = Vec<(String, Box<RawValue>)>;

/// Compares kept members by their text.
pub fn extra_eq(a: &Extra, b: &Extra) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
}

/// A member the profile knows: absent, read into its type, or kept as written because its
/// value could not be read (`"operation": null`, `"id": 7`, an unknown confidence).
///
/// One slot per member name: setting a value replaces what was kept, so the writer can
/// never write the member twice.
#[derive(Debug, Clone, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Value(T),
    Kept(Box<RawValue>),
}

impl<T> Field<T> {
    /// The value when it was read (or set).
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Sets the value; `None` removes the member (and whatever was kept for it).
    pub fn set(&mut self, value: Option<T>) {
        *self = value.map_or(Field::Absent, Field::Value);
    }

    /// The text kept for a value Pistas could not read.
    pub fn kept(&self) -> Option<&RawValue> {
        match self {
            Field::Kept(raw) => Some(raw),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// The value, copied or cloned, when it was read (or set).
    pub fn value(&self) -> Option<T>
    where
        T: Clone,
    {
        self.get().cloned()
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Absent, Field::Value)
    }
}

impl Field<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.get().map(String::as_str)
    }
}

impl<T: PartialEq> PartialEq for Field<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Field::Absent, Field::Absent) => true,
            (Field::Value(a), Field::Value(b)) => a == b,
            (Field::Kept(a), Field::Kept(b)) => a.get() == b.get(),
            _ => false,
        }
    }
}

/// Unknown members of an object whose known members have names in `reserved`: a name of
/// the profile is never among them.
#[derive(Debug, Clone, Default)]
pub struct Unknown {
    members: Extra,
}

impl Unknown {
    /// Keeps `key` unless it is one of `reserved` (the caller's typed members); returns
    /// whether it was kept.
    pub fn push(&mut self, reserved: &[&str], key: String, value: Box<RawValue>) -> bool {
        if reserved.contains(&key.as_str()) {
            return false;
        }
        self.members.push((key, value));
        true
    }

    pub fn members(&self) -> &Extra {
        &self.members
    }

    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl PartialEq for Unknown {
    fn eq(&self, other: &Self) -> bool {
        extra_eq(&self.members, &other.members)
    }
}

/// A feature's foreign members (`bbox` and whatever else a file put beside GeoJSON's own):
/// never one of GeoJSON's own names ([`Foreign::OWN`]), never a name twice, so a writer
/// can never write a member twice.
#[derive(Debug, Clone, Default)]
pub struct Foreign {
    members: Extra,
}

impl Foreign {
    /// The members GeoJSON gives a Feature itself.
    pub const OWN: [&str; 4] = ["type", "id", "geometry", "properties"];

    /// Adds a member; refused (with why) when the name is GeoJSON's own or already here.
    pub fn push(&mut self, key: String, value: Box<RawValue>) -> Result<(), String> {
        if Self::OWN.contains(&key.as_str()) {
            return Err(format!(
                "\"{key}\" is a Feature's own member, not a foreign one"
            ));
        }
        if self.members.iter().any(|(k, _)| *k == key) {
            return Err(format!("\"{key}\" is already a member of this feature"));
        }
        self.members.push((key, value));
        Ok(())
    }

    /// Foreign members from a list; refused as [`Foreign::push`] refuses.
    pub fn from_members(members: Extra) -> Result<Foreign, String> {
        let mut foreign = Foreign::default();
        for (key, value) in members {
            foreign.push(key, value)?;
        }
        Ok(foreign)
    }

    pub fn members(&self) -> &Extra {
        &self.members
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl PartialEq for Foreign {
    fn eq(&self, other: &Self) -> bool {
        extra_eq(&self.members, &other.members)
    }
}

/// Something in a file that Pistas could not interpret: kept as written (and written back
/// unchanged), with what is wrong with it, until someone fixes it.
#[derive(Debug, Clone)]
pub struct Unread {
    raw: Box<RawValue>,
    problems: Vec<String>,
}

impl Unread {
    /// What was written, with what is wrong with it (one sentence per problem).
    pub fn new(raw: Box<RawValue>, problems: Vec<String>) -> Self {
        Unread { raw, problems }
    }

    /// The text as written.
    pub fn raw(&self) -> &RawValue {
        &self.raw
    }

    /// What is wrong, one sentence per problem.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// What was kept is what counts: the problems are found anew on every read.
impl PartialEq for Unread {
    fn eq(&self, other: &Self) -> bool {
        self.raw.get() == other.raw.get()
    }
}

/// A JSON string value for `text`.
pub fn json_string(text: &str) -> Box<RawValue> {
    let encoded = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    RawValue::from_string(encoded).unwrap_or_else(|_| json_null())
}

/// The JSON value `null`.
pub fn json_null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

/// The text of a JSON string value, escapes decoded; `None` for any other value, or for a
/// string that is not text (a lone surrogate such as `"\ud800"`).
pub fn decode_str(raw: &RawValue) -> Option<std::borrow::Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(std::borrow::Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(text)
        .ok()
        .map(std::borrow::Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_typed_or_kept_never_both() {
        let mut f: Field<String> = Field::Kept(json_null());
        assert!(f.get().is_none() && f.kept().is_some());
        f.set(Some("Phase 1".into()));
        assert_eq!(f.as_deref(), Some("Phase 1"));
        assert!(f.kept().is_none());
    }

    #[test]
    fn unknown_members_refuse_the_profile_names() {
        let mut u = Unknown::default();
        assert!(!u.push(&["type", "date"], "type".into(), json_null()));
        assert!(u.push(&["type", "date"], "kind".into(), json_null()));
        assert_eq!(u.members().len(), 1);
    }

    #[test]
    fn strings_are_decoded() {
        let raw = RawValue::from_string(r#""Pi\u00f1a \"N\"\nx""#.into()).unwrap();
        assert_eq!(decode_str(&raw).as_deref(), Some("Piña \"N\"\nx"));
        let lone = RawValue::from_string(r#""\ud800""#.into()).unwrap();
        assert_eq!(decode_str(&lone), None);
        assert_eq!(decode_str(&json_null()), None);
    }
}
