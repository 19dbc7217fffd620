//! The fast path of reading: a FeatureCollection in which nothing is wrong.
//!
//! Most files Pistas opens are clean: written by Pistas, QGIS or GDAL, with every feature
//! in the profile. For those, the full reader (`read`) spends most of its time building
//! intermediate lists that only serve to report problems. This reader walks the text once,
//! builds the document directly, and reads the features on every core: it cuts the list
//! into parts at guessed feature boundaries, threads take the parts in turn, and a part is
//! kept only when the reading before it ended exactly where that part began, so a guess
//! inside a string is never trusted.
//!
//! It gives up (returns `None`) at the first thing that the full reader would report, or
//! that it does not handle itself: a syntax error, a missing or duplicated member, an
//! unknown event type or bad date, a null id, an escaped member name, a single Feature or
//! bare geometry, deep nesting. The caller then reads the file with the full reader,
//! which reports every problem with its line and column. The one kind of problem this
//! reader reports itself is ids Pistas gives (missing or repeated ones), through the full
//! reader's own code. So it returns exactly what the full reader would for the files it
//! accepts (tests compare the two on every fixture and on random files).

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::geometry::{check_bbox, parse_geometry};
use super::read::{Parsed, finish_clean};
use crate::model::{
    Confidence, DERIVED_PROPERTIES, Event, EventType, Extra, Feature, FeatureId, FuzzyDate,
    Geometry, Reference, Source,
};

/// Texts shorter than this are read on one thread: starting threads would cost more.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Nesting (objects and lists) beyond which the full reader decides; serde_json, which
/// the full reader uses, refuses more than 127 levels.
const MAX_DEPTH: usize = 100;

/// Nesting of the values this reader hands to serde_json, counted from the top level.
const FEATURE_MEMBER_DEPTH: usize = 3;
const PROPERTY_DEPTH: usize = 4;
const EVENT_MEMBER_DEPTH: usize = 6;
const SOURCE_MEMBER_DEPTH: usize = 8;

/// Reads a clean FeatureCollection; `None` when the full reader must read the text.
/// `file` names the file in the warnings about features without an id, the only
/// problems this path reports.
pub fn read_fast(text: &str, file: &str) -> Option<Parsed> {
    read_fast_with_threads(text, file, crate::cores())
}

/// `read_fast` with at most `threads` threads (1: on the calling thread only).
pub fn read_fast_with_threads(text: &str, file: &str, threads: usize) -> Option<Parsed> {
    read_with(text, file, threads, PARALLEL_FROM_BYTES)
}

/// Reads with at most `threads` threads, and one thread below `parallel_from` bytes.
fn read_with(text: &str, file: &str, threads: usize, parallel_from: usize) -> Option<Parsed> {
    let mut scan = Scan::new(text, 0);
    scan.expect(b'{')?;
    let mut type_seen = false;
    let mut features = None;
    let mut foreign: Extra = Vec::new();
    if scan.peek()? == b'}' {
        return None;
    }
    loop {
        let key = scan.key()?;
        match key {
            "type" => {
                if type_seen || scan.text_value()?.text()? != "FeatureCollection" {
                    return None;
                }
                type_seen = true;
            }
            "features" => {
                if features.is_some() {
                    return None;
                }
                let (list, end) = read_features(text, scan.pos, threads, parallel_from)?;
                scan.pos = end;
                features = Some(list);
            }
            "coordinates" | "geometries" | "geometry" | "properties" => return None,
            _ => {
                let raw = scan.raw(1)?;
                if (key == "bbox" && check_bbox(raw).is_err())
                    || foreign.iter().any(|(k, _)| k == key)
                {
                    return None;
                }
                foreign.push((key.to_owned(), raw.to_owned()));
            }
        }
        if !scan.next_member(b'}')? {
            break;
        }
    }
    scan.skip_whitespace();
    if scan.pos != text.len() || !type_seen {
        return None;
    }
    let (features, missing) = features?;
    Some(finish_clean(text, file, features, foreign, &missing))
}

/// Reads the `features` list that starts at `pos`; returns the features, those without an
/// id, and the position after the list.
fn read_features(
    text: &str,
    pos: usize,
    threads: usize,
    parallel_from: usize,
) -> Option<(Features, usize)> {
    let mut scan = Scan::new(text, pos);
    scan.expect(b'[')?;
    if scan.peek()? == b']' {
        return Some(((Vec::new(), Vec::new()), scan.pos + 1));
    }
    let first = scan.pos;
    let threads = if text.len() - first < parallel_from {
        1
    } else {
        threads.clamp(1, 16)
    };
    // Several parts per thread, taken in turn by whichever thread is free, so a thread
    // that the system holds back delays the load by one small part, not by half of it.
    let parts = if threads == 1 {
        1
    } else {
        (threads * PARTS_PER_THREAD)
            .min((text.len() - first) / MIN_PART_BYTES)
            .max(threads)
    };
    // Where parts 1.. should start: an even share of the text each. Each part starts at
    // the first feature it can read after its guess, and the part before it stops at the
    // first feature after the same guess.
    let guesses: Vec<usize> = (1..parts)
        .map(|k| first + (text.len() - first) * k / parts)
        .collect();
    let stops: Vec<usize> = guesses.iter().copied().chain([usize::MAX]).collect();
    let (head, rest) = if guesses.is_empty() {
        (read_chunk(text, first, usize::MAX), Vec::new())
    } else {
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= parts {
                    return done;
                }
                let chunk = if k == 0 {
                    read_chunk(text, first, stops[0])
                } else {
                    read_part(text, guesses[k - 1], stops[k])
                };
                done.push((k, chunk));
            }
        };
        let done = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut done = work();
            for helper in helpers {
                // A helper that panicked leaves its parts missing: they are read again
                // below, on this thread.
                done.extend(helper.join().unwrap_or_default());
            }
            done
        });
        let mut chunks: Vec<Option<Chunk>> = (0..parts).map(|_| None).collect();
        for (k, chunk) in done {
            chunks[k] = chunk;
        }
        let mut chunks = chunks.into_iter();
        (chunks.next().flatten(), chunks.collect())
    };
    let mut last = head?;
    let mut features = std::mem::take(&mut last.features);
    features.reserve(rest.iter().flatten().map(|c| c.features.len()).sum());
    let mut missing = std::mem::take(&mut last.missing);
    let mut append = |chunk: &mut Chunk| {
        let base = features.len();
        missing.extend(chunk.missing.iter().map(|i| base + i));
        features.append(&mut chunk.features);
    };
    for chunk in rest {
        let Some(mut chunk) = chunk else { break };
        if last.closed.is_some() || last.next != chunk.start {
            break;
        }
        // The trusted reading before this part reached exactly where it began: a true
        // feature boundary, so this part's reading is the reading of the text.
        append(&mut chunk);
        last = chunk;
    }
    // A part that began at something that only looked like a feature, or that could not
    // be read: read on from where the trusted reading stopped.
    while last.closed.is_none() {
        let mut chunk = read_chunk(text, last.next, usize::MAX)?;
        append(&mut chunk);
        last = chunk;
    }
    Some(((features, missing), last.closed?))
}

/// Parts of the list per thread.
const PARTS_PER_THREAD: usize = 4;

/// The smallest part worth handing to a thread.
const MIN_PART_BYTES: usize = 256 << 10;

/// How many places a part tries before it gives up finding its first feature.
const MAX_TRIES: usize = 10_000;

/// Reads a part of the list from the first feature it can read at or after `guess`.
fn read_part(text: &str, guess: usize, stop: usize) -> Option<Chunk> {
    let mut from = guess;
    let mut scratch = Vec::new();
    for _ in 0..MAX_TRIES {
        let start = boundary_after(text.as_bytes(), from)?;
        let mut scan = Scan::new(text, start);
        if scan.feature(&mut scratch).is_some() && matches!(scan.peek(), Some(b',' | b']')) {
            return read_chunk(text, start, stop);
        }
        from = start + 1;
    }
    None
}

/// Features in file order, and the places of those without an id.
type Features = (Vec<Feature>, Vec<usize>);

/// Features read from a run of the list.
struct Chunk {
    /// Where the run began.
    start: usize,
    features: Vec<Feature>,
    /// The places in `features` of those without an id.
    missing: Vec<usize>,
    /// Where the next feature starts, when the run stopped before the end of the list.
    next: usize,
    /// The position after the list's `]`, when the run reached it.
    closed: Option<usize>,
}

/// Reads features from `start` until the list ends or the next feature starts at or after
/// `stop`.
fn read_chunk(text: &str, start: usize, stop: usize) -> Option<Chunk> {
    let mut scan = Scan::new(text, start);
    let mut scratch = Vec::new();
    let mut features = Vec::with_capacity(((stop.min(text.len()) - start) / 1024).max(4));
    let mut missing = Vec::new();
    loop {
        let (feature, had_id) = scan.feature(&mut scratch)?;
        if !had_id {
            missing.push(features.len());
        }
        features.push(feature);
        scan.skip_whitespace();
        match scan.next_byte()? {
            b',' => {
                scan.skip_whitespace();
                if scan.pos >= stop {
                    return Some(Chunk {
                        start,
                        features,
                        missing,
                        next: scan.pos,
                        closed: None,
                    });
                }
            }
            b']' => {
                return Some(Chunk {
                    start,
                    features,
                    missing,
                    next: scan.pos,
                    closed: Some(scan.pos),
                });
            }
            _ => return None,
        }
    }
}

/// The first `{` at or after `from` that follows `}` `,` (with any whitespace between):
/// likely the start of a list element. Only a guess: it may be inside a string.
fn boundary_after(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + bytes.get(i..)?.iter().position(|&b| b == b'{')?;
        let mut j = at;
        let mut before = || {
            while j > 0 && matches!(bytes[j - 1], b' ' | b'\n' | b'\r' | b'\t') {
                j -= 1;
            }
            j = j.checked_sub(1)?;
            Some(bytes[j])
        };
        if before() == Some(b',') && before() == Some(b'}') {
            return Some(at);
        }
        i = at + 1;
    }
}

/// A JSON string value, decoded, with the span of its text (quotes included).
struct Text<'t> {
    value: Cow<'t, str>,
    start: usize,
    end: usize,
}

/// A value read where text is expected: the text, or the raw value found instead.
enum Value<'t> {
    Text(Text<'t>),
    Other(&'t RawValue),
}

impl<'t> Value<'t> {
    fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(&t.value),
            Value::Other(_) => None,
        }
    }
}

/// The members of a `properties` object before they are kept, borrowed from the text,
/// each with whether it is a derived summary field.
type Scratch<'t> = Vec<(&'t str, &'t RawValue, bool)>;

struct Scan<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Lists being read, reused so that each list kept is allocated at its exact size.
    events: Vec<Event>,
    sources: Vec<Source>,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, pos: usize) -> Self {
        Scan {
            text,
            bytes: text.as_bytes(),
            pos,
            events: Vec::new(),
            sources: Vec::new(),
        }
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn next_byte(&mut self) -> Option<u8> {
        let b = self.bytes.get(self.pos).copied()?;
        self.pos += 1;
        Some(b)
    }

    #[inline]
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// After a member or element: `true` at a `,` (another follows), `false` at `close`.
    #[inline]
    fn next_member(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b if b == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// A string at `pos` (its opening quote): the span of its content and whether it has
    /// escapes. `None` for an unterminated string or a raw control character.
    #[inline]
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            i = next_special(self.bytes, i)?;
            match self.bytes[i] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                _ => return None,
            }
        }
        self.pos = i + 1;
        Some((start, i, escaped))
    }

    /// A member name without escapes, and its `:`.
    #[inline]
    fn key(&mut self) -> Option<&'t str> {
        if self.peek()? != b'"' {
            return None;
        }
        let (start, end, escaped) = self.string()?;
        if escaped {
            return None;
        }
        self.expect(b':')?;
        self.text.get(start..end)
    }

    /// Any value, validated by serde_json, borrowed from the text. `depth` is how deeply
    /// the value is nested in the file.
    fn raw(&mut self, depth: usize) -> Option<&'t RawValue> {
        self.skip_whitespace();
        let rest = self.text.get(self.pos..)?;
        let mut de = serde_json::Deserializer::from_str(rest);
        let raw = <&RawValue>::deserialize(&mut de).ok()?;
        let text = raw.get();
        if matches!(text.as_bytes().first(), Some(b'{' | b'['))
            && depth + text.len() / 2 > MAX_DEPTH
        {
            (depth + nesting(text) <= MAX_DEPTH).then_some(())?;
        }
        self.pos = text.as_ptr() as usize - self.text.as_ptr() as usize + text.len();
        Some(raw)
    }

    /// Passes over a value that is not kept, checking it is valid JSON.
    fn skip(&mut self, depth: usize) -> Option<()> {
        let at = self.peek()?;
        match at {
            b'"' => {
                let start = self.pos;
                let (_, _, escaped) = self.string()?;
                if escaped {
                    // Let serde_json check the escapes.
                    self.pos = start;
                    self.raw(depth)?;
                }
                Some(())
            }
            b'-' | b'0'..=b'9' => self.number(),
            b't' | b'f' | b'n' => {
                let word: &[u8] = match at {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.bytes
                    .get(self.pos..)?
                    .starts_with(word)
                    .then(|| self.pos += word.len())
            }
            _ => self.raw(depth).map(|_| ()),
        }
    }

    /// A JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        let digits = |scan: &mut Self| {
            let from = scan.pos;
            while scan.bytes.get(scan.pos).is_some_and(u8::is_ascii_digit) {
                scan.pos += 1;
            }
            (scan.pos > from).then_some(())
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if self.bytes.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else {
            digits(self)?;
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            digits(self)?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            digits(self)?;
        }
        Some(())
    }

    /// A value where text is expected: the decoded text, or whatever else is there.
    #[inline]
    fn text_value(&mut self) -> Option<Value<'t>> {
        if self.peek()? != b'"' {
            // The deepest place text is read: a source's member.
            return self.raw(SOURCE_MEMBER_DEPTH).map(Value::Other);
        }
        let quote = self.pos;
        let (start, end, escaped) = self.string()?;
        let value = if escaped {
            Cow::Owned(serde_json::from_str::<String>(self.text.get(quote..=end)?).ok()?)
        } else {
            Cow::Borrowed(self.text.get(start..end)?)
        };
        Some(Value::Text(Text {
            value,
            start: quote,
            end: end + 1,
        }))
    }

    /// The raw form of a value read by `text_value`, to keep it as written.
    fn owned_raw(&self, value: Value<'t>) -> Option<Box<RawValue>> {
        match value {
            Value::Other(raw) => Some(raw.to_owned()),
            Value::Text(t) => RawValue::from_string(self.text.get(t.start..t.end)?.to_owned()).ok(),
        }
    }

    /// A feature, and whether it had an id.
    fn feature(&mut self, scratch: &mut Scratch<'t>) -> Option<(Feature, bool)> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            return None;
        }
        let mut type_seen = false;
        let mut id = None;
        let mut geometry = None;
        let mut properties = None;
        let mut foreign: Extra = Vec::new();
        loop {
            let key = self.key()?;
            match key {
                "type" => {
                    if type_seen || self.text_value()?.text()? != "Feature" {
                        return None;
                    }
                    type_seen = true;
                }
                "id" => {
                    if id.is_some() {
                        return None;
                    }
                    id = Some(self.id()?);
                }
                "geometry" => {
                    if geometry.is_some() {
                        return None;
                    }
                    geometry = Some(self.geometry()?);
                }
                "properties" => {
                    if properties.is_some() {
                        return None;
                    }
                    properties = Some(self.properties(scratch)?);
                }
                "coordinates" | "geometries" | "features" => return None,
                _ => {
                    let raw = self.raw(FEATURE_MEMBER_DEPTH)?;
                    if (key == "bbox" && check_bbox(raw).is_err())
                        || foreign.iter().any(|(k, _)| k == key)
                    {
                        return None;
                    }
                    foreign.push((key.to_owned(), raw.to_owned()));
                }
            }
            if !self.next_member(b'}')? {
                break;
            }
        }
        if !type_seen {
            return None;
        }
        let (properties, events, null) = properties?;
        let had_id = id.is_some();
        let id = id.unwrap_or(FeatureId::String(String::new()));
        let feature = Feature::from_parts(id, geometry?, properties, events, null, foreign);
        Some((feature, had_id))
    }

    fn id(&mut self) -> Option<FeatureId> {
        match self.peek()? {
            b'"' => match self.text_value()? {
                Value::Text(t) => Some(FeatureId::String(t.value.into_owned())),
                Value::Other(_) => None,
            },
            b'-' | b'0'..=b'9' => Some(FeatureId::Number(
                self.raw(FEATURE_MEMBER_DEPTH)?.get().to_owned(),
            )),
            // null draws a warning, anything else an error: the full reader says so.
            _ => None,
        }
    }

    fn geometry(&mut self) -> Option<Option<Geometry>> {
        let raw = self.raw(FEATURE_MEMBER_DEPTH)?;
        if raw.get() == "null" {
            return Some(None);
        }
        let shape = parse_geometry(raw.get()).ok()?;
        Some(Some(Geometry::from_read(shape, raw.to_owned())))
    }

    /// `properties`: the kept members, the events and where they stand, and whether the
    /// value was `null`.
    #[allow(clippy::type_complexity)]
    fn properties(
        &mut self,
        scratch: &mut Scratch<'t>,
    ) -> Option<(Extra, Option<(usize, Vec<Event>)>, bool)> {
        match self.peek()? {
            b'n' => {
                return (self.raw(FEATURE_MEMBER_DEPTH)?.get() == "null").then_some((
                    Vec::new(),
                    None,
                    true,
                ));
            }
            b'{' => self.pos += 1,
            _ => return None,
        }
        scratch.clear();
        let mut events = None;
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                let key = self.key()?;
                if key == "events" {
                    if events.is_some() {
                        return None;
                    }
                    events = Some((scratch.len(), self.events()?));
                } else {
                    if scratch.iter().any(|(k, _, _)| *k == key) {
                        return None;
                    }
                    let derived = DERIVED_PROPERTIES.contains(&key);
                    if events.is_some() && derived {
                        // Dropped below: recomputed, never trusted. Only its name is
                        // kept, to find a second one.
                        self.skip(PROPERTY_DEPTH)?;
                        scratch.push((key, RawValue::NULL, derived));
                    } else {
                        scratch.push((key, self.raw(PROPERTY_DEPTH)?, derived));
                    }
                }
                if !self.next_member(b'}')? {
                    break;
                }
            }
        }
        // Strips drop the derived summary, which is recomputed, never trusted.
        let strip = events.is_some();
        let mut events_at = events.as_ref().map_or(0, |(at, _)| *at);
        let derived = if strip {
            scratch.iter().filter(|(_, _, derived)| *derived).count()
        } else {
            0
        };
        let mut kept = Vec::with_capacity(scratch.len() - derived);
        for (i, (key, value, derived)) in scratch.iter().enumerate() {
            if strip && *derived {
                if i < events.as_ref().map_or(0, |(at, _)| *at) {
                    events_at -= 1;
                }
                continue;
            }
            kept.push(((*key).to_owned(), (*value).to_owned()));
        }
        Some((kept, events.map(|(_, list)| (events_at, list)), false))
    }

    fn events(&mut self) -> Option<Vec<Event>> {
        self.expect(b'[')?;
        self.events.clear();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Vec::new());
        }
        loop {
            let event = self.event()?;
            self.events.push(event);
            if !self.next_member(b']')? {
                return Some(self.events.drain(..).collect());
            }
        }
    }

    fn event(&mut self) -> Option<Event> {
        const TYPE: u8 = 1;
        const DATE: u8 = 2;
        const CONFIDENCE: u8 = 4;
        const ID: u8 = 8;
        const OPERATION: u8 = 16;
        const NOTE: u8 = 32;
        const SOURCES: u8 = 64;
        self.expect(b'{')?;
        let mut seen = 0u8;
        let mut once = |bit: u8| {
            let first = seen & bit == 0;
            seen |= bit;
            first.then_some(())
        };
        let (mut kind, mut date, mut confidence) = (None, None, None);
        let (mut id, mut operation, mut note) = (None, None, None);
        let mut sources = Vec::new();
        // Known members whose value is not what Pistas reads, then unknown members.
        let mut kept: Extra = Vec::new();
        let mut unknown: Extra = Vec::new();
        if self.peek()? == b'}' {
            return None;
        }
        loop {
            let key = self.key()?;
            match key {
                "type" => {
                    once(TYPE)?;
                    kind = Some(EventType::parse(self.text_value()?.text()?)?);
                }
                "date" => {
                    once(DATE)?;
                    date = Some(FuzzyDate::parse(self.text_value()?.text()?).ok()?);
                }
                "confidence" => {
                    once(CONFIDENCE)?;
                    match self.text_value()? {
                        Value::Text(t) => confidence = Some(Confidence::parse(&t.value)?),
                        // Anything but null draws a warning.
                        Value::Other(raw) if raw.get() == "null" => {
                            kept.push((key.to_owned(), raw.to_owned()));
                        }
                        Value::Other(_) => return None,
                    }
                }
                "id" | "operation" | "note" => {
                    let (bit, slot) = match key {
                        "id" => (ID, &mut id),
                        "operation" => (OPERATION, &mut operation),
                        _ => (NOTE, &mut note),
                    };
                    once(bit)?;
                    match self.text_value()? {
                        Value::Text(t) => *slot = Some(t.value.into_owned()),
                        other => kept.push((key.to_owned(), self.owned_raw(other)?)),
                    }
                }
                "sources" => {
                    once(SOURCES)?;
                    sources = self.sources()?;
                }
                "date_start" | "date_end" => self.skip(EVENT_MEMBER_DEPTH)?,
                _ => {
                    if unknown.iter().any(|(k, _)| k == key) {
                        return None;
                    }
                    unknown.push((key.to_owned(), self.raw(EVENT_MEMBER_DEPTH)?.to_owned()));
                }
            }
            if !self.next_member(b'}')? {
                break;
            }
        }
        kept.append(&mut unknown);
        Some(Event {
            id,
            kind: kind?,
            date: date?,
            confidence,
            sources,
            operation,
            note,
            extra: kept,
        })
    }

    fn sources(&mut self) -> Option<Vec<Source>> {
        self.expect(b'[')?;
        self.sources.clear();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Vec::new());
        }
        loop {
            let source = match self.peek()? {
                b'"' => Source::Text(self.text_value()?.text()?.to_owned()),
                b'{' => Source::Reference(self.reference()?),
                _ => return None,
            };
            self.sources.push(source);
            if !self.next_member(b']')? {
                return Some(self.sources.drain(..).collect());
            }
        }
    }

    fn reference(&mut self) -> Option<Reference> {
        self.expect(b'{')?;
        let mut r = Reference::default();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(r);
        }
        loop {
            let key = self.key()?;
            let slot = match key {
                "title" => Some(&mut r.title),
                "url" => Some(&mut r.url),
                "archived_url" => Some(&mut r.archived_url),
                "accessed" => Some(&mut r.accessed),
                _ => None,
            };
            match slot {
                Some(slot) => match self.text_value()? {
                    Value::Text(t) if slot.is_none() => *slot = Some(t.value.into_owned()),
                    other => {
                        let raw = self.owned_raw(other)?;
                        r.extra.push((key.to_owned(), raw));
                    }
                },
                None => {
                    let raw = self.raw(SOURCE_MEMBER_DEPTH)?.to_owned();
                    r.extra.push((key.to_owned(), raw));
                }
            }
            if !self.next_member(b'}')? {
                return Some(r);
            }
        }
    }
}

/// The first `"`, `\\` or control character at or after `from`. Eight bytes at a time: a
/// byte is found as a zero byte of the word XORed with it, and a control character as a
/// byte below 0x20; a borrow can only mark bytes after the first true one.
#[inline]
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let w = u64::from_le_bytes(eight);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let found = found & HIGH;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| i + p)
}

/// How deeply objects and lists nest in a JSON value's text.
fn nesting(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut in_string = false;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{WriteOptions, read_str_full, write_geojson};
    use crate::model::synthetic;
    use proptest::prelude::*;

    fn naive_special(bytes: &[u8], from: usize) -> Option<usize> {
        (from..bytes.len()).find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..0x20))
    }

    proptest! {
        #[test]
        fn eight_at_a_time_finds_what_one_at_a_time_finds(
            bytes in prop::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), Just(0x1f), Just(0x20), Just(0x7f),
                            Just(0x80), Just(0xff), Just(b'a'), any::<u8>()],
                0..40,
            ),
            from in 0usize..40,
        ) {
            prop_assert_eq!(next_special(&bytes, from), naive_special(&bytes, from));
        }
    }

    fn options() -> WriteOptions {
        WriteOptions {
            status_date: "2026-01-01".parse().expect("date"),
        }
    }

    /// A file whose features hold text and lists that look like feature boundaries.
    fn tricky(n: usize) -> String {
        let mut features = Vec::new();
        for i in 0..n {
            let decoy = match i % 4 {
                // A whole feature inside a string.
                0 => r#""note": "},{\"type\":\"Feature\",\"id\":\"x\",\"geometry\":null,\"properties\":null},{","#.to_owned(),
                // A list of feature-like objects inside a property.
                1 => r#""also": [{"type":"Feature","id":"y","geometry":null,"properties":null},{"type":"Feature","id":"z","geometry":null,"properties":{}}],"#.to_owned(),
                2 => r#""list": [{"a": 1},  {"b": [2, {"c": "},{"}]}],"#.to_owned(),
                _ => String::new(),
            };
            features.push(format!(
                r#"{{"type": "Feature", "id": {i}, "geometry": {{"type": "Point", "coordinates": [-74.{i}, -12.5]}}, "properties": {{{decoy} "name": "Strip {i}", "events": [{{"type": "built", "date": "2014-0{m}"}} , {{"type": "destroyed", "date": "2015~"}}]}}}}"#,
                m = i % 9 + 1
            ));
        }
        format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n], \"bbox\": [-75, -14, -73, -11]}}",
            features.join(" ,\n")
        )
    }

    #[test]
    fn every_split_reads_what_the_full_reader_reads() {
        let generated = write_geojson(&synthetic::generate(200, 3), &options());
        for text in [tricky(97), generated] {
            let full = read_str_full(&text, "t");
            assert!(full.diagnostics.is_empty(), "{:?}", full.diagnostics);
            let written = write_geojson(&full.document, &options());
            for threads in 1..=7 {
                for parallel_from in [0, 1000, usize::MAX] {
                    let fast = read_with(&text, "t", threads, parallel_from).expect("fast");
                    assert!(fast.diagnostics.is_empty());
                    assert_eq!(fast.document, full.document, "{threads} threads");
                    assert_eq!(write_geojson(&fast.document, &options()), written);
                }
            }
        }
    }

    #[test]
    fn anything_to_report_goes_to_the_full_reader() {
        let good = tricky(3);
        assert!(read_with(&good, "t", 1, 0).is_some());
        let cases = [
            // Syntax.
            good.replacen("]}", "]", 1),
            good.replacen(", \"bbox\"", "  \"bbox\"", 1),
            format!("{good} x"),
            // Profile: bad date, unknown type, a null id, a repeated member or property.
            good.replacen("2015~", "2015-13", 1),
            good.replacen("\"destroyed\"", "\"blown up\"", 1),
            good.replacen("\"id\": 1,", "\"id\": null,", 1),
            good.replacen("\"geometry\"", "\"id\": 5, \"geometry\"", 1),
            good.replacen(
                "\"properties\": {",
                "\"properties\": {\"a\": 1, \"a\": 2, ",
                1,
            ),
            // A bbox that is not one, a feature member RFC 7946 forbids.
            good.replacen("[-75, -14, -73, -11]", "[-75, -14]", 1),
            good.replacen("\"geometry\"", "\"coordinates\": [1, 2], \"geometry\"", 1),
            // A confidence Pistas does not know draws a warning.
            good.replacen(
                "\"date\": \"2015~\"",
                "\"date\": \"2015~\", \"confidence\": \"sure\"",
                1,
            ),
            // Control characters in text.
            good.replacen("Strip 1", "Strip\u{1}1", 1),
        ];
        for (i, bad) in cases.iter().enumerate() {
            assert_ne!(bad, &good, "case {i} changed nothing");
            let full = read_str_full(bad, "t");
            assert!(!full.diagnostics.is_empty(), "case {i} is clean");
            for threads in [1, 3] {
                assert!(read_with(bad, "t", threads, 0).is_none(), "case {i}");
            }
        }
    }

    #[test]
    fn ids_pistas_gives_are_warned_as_the_full_reader_warns() {
        // Twelve features without an id (ten named, then a summary) and a repeated id.
        let mut text = tricky(14);
        for i in 0..12 {
            text = text.replacen(&format!("\"id\": {i}, "), "", 1);
        }
        text = text.replacen("\"id\": 13,", "\"id\": 12,", 1);
        let full = read_str_full(&text, "t");
        assert_eq!(full.diagnostics.len(), 12, "{:#?}", full.diagnostics);
        for threads in [1, 2] {
            let fast = read_with(&text, "t", threads, 0).expect("fast");
            assert_eq!(fast.diagnostics, full.diagnostics);
            assert_eq!(fast.document, full.document);
            assert_eq!(fast.rejected, full.rejected);
        }
    }

    #[test]
    fn nesting_counts_objects_and_lists_outside_text() {
        assert_eq!(nesting(r#"[[1, [2]], {"a": "[[[["}]"#), 3);
        assert_eq!(nesting(r#""{\"[""#), 0);
    }
}
