//! The scan stage of reading: serde visitors that take a GeoJSON text apart into borrowed
//! members, which the interpret stage (`interpret`) turns into the model.
//!
//! They never fail on a value of the wrong type: they record what they found, so that
//! interpretation can report every problem of every feature, not just the first. Values
//! are borrowed raw JSON text; each list element keeps its whole text, so that what cannot
//! be interpreted is kept verbatim.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::raw::Key;
use crate::model::Event;

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
    pub features: Option<RawList<'de>>,
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
    Reference {
        members: Members<'de>,
        duplicates: Vec<String>,
    },
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

/// Finds repeated member names of one object in linear time: small objects look among
/// their names, larger ones keep a set of them.
#[derive(Default)]
pub struct Seen {
    names: Option<std::collections::HashSet<Box<str>>>,
}

/// Objects with fewer names than this are searched instead of hashed.
const SEARCH_BELOW: usize = 24;

impl Seen {
    /// True when `key` is among `names`, the names of the object before it. Call it once
    /// for each name of the object, in order.
    pub fn repeats<'a>(
        &mut self,
        key: &'a str,
        names: impl Iterator<Item = &'a str> + Clone,
    ) -> bool {
        match &mut self.names {
            None => {
                let mut count = 0;
                for name in names.clone() {
                    if name == key {
                        return true;
                    }
                    count += 1;
                }
                if count >= SEARCH_BELOW {
                    self.names = Some(names.chain([key]).map(Box::from).collect());
                }
                false
            }
            Some(set) => !set.insert(Box::from(key)),
        }
    }
}

fn names<'a, 'de: 'a>(members: &'a Members<'de>) -> impl Iterator<Item = &'a str> + Clone {
    members.iter().map(|(k, _)| k.as_ref())
}

/// A list whose elements are kept as their raw text, or what was found instead of a list.
pub enum RawList<'de> {
    List(Vec<&'de RawValue>),
    NotList(&'static str),
}

pub struct RawListSeed;

impl<'de> DeserializeSeed<'de> for RawListSeed {
    type Value = RawList<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RawListSeed {
    type Value = RawList<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    otherwise!(RawList::NotList);
    skip_map!(RawList::NotList);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            items.push(item);
        }
        Ok(RawList::List(items))
    }
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
        let mut seen = Seen::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let seen = match key.as_ref() {
                "type" => root.type_.is_some(),
                "features" => root.features.is_some(),
                k => seen.repeats(k, names(&root.members)),
            };
            if seen {
                root.duplicates.push((key.into_owned(), map.next_value()?));
                continue;
            }
            match key.as_ref() {
                "type" => root.type_ = Some(map.next_value()?),
                "features" => root.features = Some(map.next_value_seed(RawListSeed)?),
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
        let mut seen = Seen::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let repeated = match key.as_ref() {
                "type" => f.type_.is_some(),
                "id" => f.id.is_some(),
                "geometry" => f.geometry.is_some(),
                "properties" => has_properties,
                k => seen.repeats(k, names(&f.members)),
            };
            if repeated {
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
        let mut seen = Seen::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let repeated = if key == "events" {
                events.is_some()
            } else {
                seen.repeats(&key, names(&members))
            };
            if repeated {
                duplicates.push(key.into_owned());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
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
        let mut seen = Seen::default();
        let mut all: Vec<Cow<'de, str>> = Vec::with_capacity(8);
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if seen.repeats(&key, all.iter().map(|k| k.as_ref())) {
                e.duplicates.push(key.to_string());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            all.push(key.clone());
            // The names are the model's (`Event::FIELDS`): sources, then the derived ones,
            // then the rest of its members, read by value; anything else is unknown.
            if key == Event::SOURCES {
                e.sources = Some(map.next_value_seed(SlotsSeed(SourceSeed))?);
            } else if Event::DERIVED.contains(&key.as_ref()) {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value: &'de RawValue = map.next_value()?;
                e.anchor.get_or_insert(value);
                if Event::FIELDS.contains(&key.as_ref()) {
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
        let mut duplicates = Vec::new();
        let mut seen = Seen::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if seen.repeats(&key, names(&members)) {
                duplicates.push(key.into_owned());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            members.push((key, map.next_value()?));
        }
        Ok(SourceIn::Reference {
            members,
            duplicates,
        })
    }
    fn read_text(self, text: &str) -> Option<SourceIn<'de>> {
        Some(SourceIn::Text(text.to_owned()))
    }
}

/// Scans one list element (a feature) from its raw text.
pub fn scan_feature(raw: &RawValue) -> Result<Slot<FeatureIn<'_>>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    SlotSeed(FeatureSeed).deserialize(&mut de)
}

/// The elements of a feature's `properties.events` as written, found in its text: for
/// keeping verbatim the events that cannot be interpreted (rare, so found only then).
pub fn raw_events(feature: &RawValue) -> Vec<&RawValue> {
    #[derive(serde::Deserialize)]
    struct F<'a> {
        #[serde(borrow, default)]
        properties: Option<P<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct P<'a> {
        #[serde(borrow, default)]
        events: Option<Vec<&'a RawValue>>,
    }
    serde_json::from_str::<F>(feature.get())
        .ok()
        .and_then(|f| f.properties)
        .and_then(|p| p.events)
        .unwrap_or_default()
}

/// Scans one event from its raw text.
pub fn scan_event(raw: &RawValue) -> Result<Slot<EventIn<'_>>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    SlotSeed(EventSeed).deserialize(&mut de)
}
