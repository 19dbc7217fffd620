//! First stage of reading: serde visitors that take a GeoJSON text apart in one pass.
//!
//! They never fail on a value of the wrong type: they record what they found, so that the
//! second stage (`read`) can report every problem of every feature, not just the first.
//! Values Pistas does not interpret are kept as borrowed raw JSON text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::geometry::Key;

/// Raw members of an object, in order, borrowed from the text.
pub type Members<'de> = Vec<(Cow<'de, str>, &'de RawValue)>;

/// The top level of a GeoJSON text.
pub enum Root<'de> {
    Object(RootObject<'de>),
    /// Not a JSON object: what it is instead.
    NotObject(&'static str),
}

#[derive(Default)]
pub struct RootObject<'de> {
    pub type_: Option<&'de RawValue>,
    pub features: Option<Slots<FeatureIn<'de>>>,
    /// Every other member, in order.
    pub members: Members<'de>,
    /// Members written a second time, with the second value.
    pub duplicates: Vec<(String, &'de RawValue)>,
}

/// A list member: the list, or what was found instead of a list.
pub enum Slots<T> {
    List(Vec<Slot<T>>),
    NotList(&'static str),
}

/// A list element: the object, or what was found instead of an object.
pub enum Slot<T> {
    Object(T),
    NotObject(&'static str),
}

#[derive(Default)]
pub struct FeatureIn<'de> {
    pub type_: Option<&'de RawValue>,
    pub id: Option<&'de RawValue>,
    pub geometry: Option<&'de RawValue>,
    pub properties: PropertiesIn<'de>,
    pub members: Members<'de>,
    pub duplicates: Vec<String>,
    /// The first raw value seen in the feature, to locate it.
    pub anchor: Option<&'de RawValue>,
}

#[derive(Default)]
pub enum PropertiesIn<'de> {
    #[default]
    Absent,
    Null,
    NotObject(&'static str),
    Object {
        members: Members<'de>,
        /// `events`, and how many members came before it.
        events: Option<(usize, Slots<EventIn<'de>>)>,
        duplicates: Vec<String>,
    },
}

#[derive(Default)]
pub struct EventIn<'de> {
    pub known: Members<'de>,
    pub sources: Option<Slots<SourceIn<'de>>>,
    pub extra: Members<'de>,
    pub duplicates: Vec<String>,
    pub anchor: Option<&'de RawValue>,
}

pub enum SourceIn<'de> {
    Text(String),
    Reference(Members<'de>),
}

/// Member names of an event that Pistas reads.
const EVENT_FIELDS: [&str; 6] = ["id", "type", "date", "confidence", "operation", "note"];
/// Member names of an event that Pistas derives and writes itself.
const EVENT_DERIVED: [&str; 2] = ["date_start", "date_end"];

/// Records `key` as a duplicate when `members` already has it.
fn check_duplicate(members: &Members<'_>, duplicates: &mut Vec<String>, key: &str) {
    if members.iter().any(|(k, _)| k == key) {
        duplicates.push(key.to_owned());
    }
}

/// Implements the "anything but what we want" visits: consume the value, say what it was.
macro_rules! otherwise {
    ($ret:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($ret("a true/false value"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($ret("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($ret("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($ret("a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($ret("text"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($ret("null"))
        }
    };
}

macro_rules! skip_seq {
    ($ret:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($ret("a list"))
        }
    };
}

macro_rules! skip_map {
    ($ret:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($ret("an object"))
        }
    };
}

/// Reads the top level.
pub struct RootSeed;

impl<'de> DeserializeSeed<'de> for RootSeed {
    type Value = Root<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Root<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RootSeed {
    type Value = Root<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }
    otherwise!(Root::NotObject);
    skip_seq!(Root::NotObject);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root<'de>, A::Error> {
        let mut root = RootObject::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let seen = match key.as_ref() {
                "type" => root.type_.is_some(),
                "features" => root.features.is_some(),
                k => root.members.iter().any(|(m, _)| m == k),
            };
            if seen {
                root.duplicates.push((key.into_owned(), map.next_value()?));
                continue;
            }
            match key.as_ref() {
                "type" => root.type_ = Some(map.next_value()?),
                "features" => root.features = Some(map.next_value_seed(SlotsSeed(FeatureSeed))?),
                _ => root.members.push((key, map.next_value()?)),
            }
        }
        Ok(Root::Object(root))
    }
}

/// A seed for list elements.
pub trait ElementSeed<'de>: Copy {
    type Value;
    fn read<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error>;
    fn read_text(self, _text: &str) -> Option<Self::Value> {
        None
    }
}

#[derive(Clone, Copy)]
pub struct SlotsSeed<S>(pub S);

impl<'de, S: ElementSeed<'de>> DeserializeSeed<'de> for SlotsSeed<S> {
    type Value = Slots<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: ElementSeed<'de>> Visitor<'de> for SlotsSeed<S> {
    type Value = Slots<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    otherwise!(Slots::NotList);
    skip_map!(Slots::NotList);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut slots = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(slot) = seq.next_element_seed(SlotSeed(self.0))? {
            slots.push(slot);
        }
        Ok(Slots::List(slots))
    }
}

#[derive(Clone, Copy)]
struct SlotSeed<S>(S);

impl<'de, S: ElementSeed<'de>> DeserializeSeed<'de> for SlotSeed<S> {
    type Value = Slot<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: ElementSeed<'de>> Visitor<'de> for SlotSeed<S> {
    type Value = Slot<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Slot::NotObject("a true/false value"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Slot::NotObject("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Slot::NotObject("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Slot::NotObject("a number"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .read_text(v)
            .map_or(Slot::NotObject("text"), Slot::Object))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Slot::NotObject("null"))
    }
    skip_seq!(Slot::NotObject);

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Slot::Object(self.0.read(map)?))
    }
}

#[derive(Clone, Copy)]
pub struct FeatureSeed;

impl<'de> ElementSeed<'de> for FeatureSeed {
    type Value = FeatureIn<'de>;
    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<FeatureIn<'de>, A::Error> {
        let mut f = FeatureIn::default();
        let mut has_properties = false;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let seen = match key.as_ref() {
                "type" => f.type_.is_some(),
                "id" => f.id.is_some(),
                "geometry" => f.geometry.is_some(),
                "properties" => has_properties,
                k => f.members.iter().any(|(m, _)| m == k),
            };
            if seen {
                f.duplicates.push(key.into_owned());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let raw_slot = match key.as_ref() {
                "type" => &mut f.type_,
                "id" => &mut f.id,
                "geometry" => &mut f.geometry,
                "properties" => {
                    has_properties = true;
                    f.properties = map.next_value_seed(PropertiesSeed)?;
                    continue;
                }
                _ => {
                    let value: &'de RawValue = map.next_value()?;
                    f.anchor.get_or_insert(value);
                    f.members.push((key, value));
                    continue;
                }
            };
            let value: &'de RawValue = map.next_value()?;
            f.anchor.get_or_insert(value);
            *raw_slot = Some(value);
        }
        Ok(f)
    }
}

/// Reads a feature's `properties`.
struct PropertiesSeed;

impl<'de> DeserializeSeed<'de> for PropertiesSeed {
    type Value = PropertiesIn<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropertiesSeed {
    type Value = PropertiesIn<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of properties")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(PropertiesIn::NotObject("a true/false value"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(PropertiesIn::NotObject("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(PropertiesIn::NotObject("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(PropertiesIn::NotObject("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(PropertiesIn::NotObject("text"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(PropertiesIn::Null)
    }
    skip_seq!(PropertiesIn::NotObject);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        let mut events = None;
        let mut duplicates = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "events" && events.is_some() {
                duplicates.push(key.into_owned());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            check_duplicate(&members, &mut duplicates, &key);
            if key == "events" {
                events = Some((members.len(), map.next_value_seed(SlotsSeed(EventSeed))?));
            } else {
                members.push((key, map.next_value()?));
            }
        }
        Ok(PropertiesIn::Object {
            members,
            events,
            duplicates,
        })
    }
}

#[derive(Clone, Copy)]
struct EventSeed;

impl<'de> ElementSeed<'de> for EventSeed {
    type Value = EventIn<'de>;
    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<EventIn<'de>, A::Error> {
        let mut e = EventIn {
            known: Vec::with_capacity(6),
            ..EventIn::default()
        };
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            check_duplicate(&e.known, &mut e.duplicates, &key);
            check_duplicate(&e.extra, &mut e.duplicates, &key);
            if key == "sources" && e.sources.is_some() {
                e.duplicates.push(key.to_string());
            }
            if key == "sources" && e.sources.is_none() {
                e.sources = Some(map.next_value_seed(SlotsSeed(SourceSeed))?);
            } else if EVENT_DERIVED.contains(&key.as_ref()) {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value: &'de RawValue = map.next_value()?;
                e.anchor.get_or_insert(value);
                if EVENT_FIELDS.contains(&key.as_ref()) {
                    e.known.push((key, value));
                } else {
                    e.extra.push((key, value));
                }
            }
        }
        Ok(e)
    }
}

#[derive(Clone, Copy)]
struct SourceSeed;

impl<'de> ElementSeed<'de> for SourceSeed {
    type Value = SourceIn<'de>;
    fn read<A: MapAccess<'de>>(self, mut map: A) -> Result<SourceIn<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            members.push((key, map.next_value()?));
        }
        Ok(SourceIn::Reference(members))
    }
    fn read_text(self, text: &str) -> Option<SourceIn<'de>> {
        Some(SourceIn::Text(text.to_owned()))
    }
}

/// Reads a text that is a single Feature.
pub fn read_feature<'de>(
    d: &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
) -> Result<Slot<FeatureIn<'de>>, serde_json::Error> {
    SlotSeed(FeatureSeed).deserialize(d)
}

/// Borrowed offsets of the features of a FeatureCollection, for locating problems.
#[derive(serde::Deserialize)]
pub struct FeatureOffsets<'a> {
    #[serde(borrow)]
    pub features: Vec<&'a RawValue>,
}
