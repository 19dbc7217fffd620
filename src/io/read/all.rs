//! Interpreting every feature of a list, on every core: each task writes its features
//! (and, when asked, their facts) straight into their places.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::value::RawValue;

use super::super::interpret::{Interpreter, Problem};

use crate::analysis::Facts;
use crate::model::{Feature, SharedText, Span};

/// What interpreting the features gave.
pub(super) struct Interpreted {
    pub(super) features: Vec<Feature>,
    pub(super) problems: Vec<Problem>,
    pub(super) ids: Vec<(usize, String)>,
    pub(super) bare: bool,
    /// Each feature's facts, when asked for (`None` for one a worker did not finish).
    pub(super) facts: Option<Vec<Option<Facts>>>,
}

/// The problems of one task, the ids that name its features, and their property names
/// (first seen first).
type Part = (Vec<Problem>, Vec<(usize, String)>, Vec<String>);

/// Features interpreted per task on the threads: small enough to share the work evenly.
pub(super) const FEATURES_PER_TASK: usize = 256;

/// Interprets every feature, on up to `threads` threads; the same result on any number.
///
/// Each task writes its features straight into their places in the one list the document
/// keeps, so a large file never holds its features twice (at a million features, the
/// copy cost 300 MB of memory and its page faults).
pub(super) fn interpret_all(
    text: &str,
    source: Option<&Arc<SharedText>>,
    items: &[&RawValue],
    reading: &Reading,
) -> Interpreted {
    let tasks = Tasks {
        text,
        source,
        items,
        progress: reading.progress,
        done: AtomicUsize::new(0),
    };
    let mut features: Vec<Feature> = std::iter::repeat_with(|| Feature::empty(None))
        .take(items.len())
        .collect();
    let mut facts: Option<Vec<Option<Facts>>> = reading
        .facts
        .then(|| std::iter::repeat_with(|| None).take(items.len()).collect());
    let count = items.len().div_ceil(FEATURES_PER_TASK);
    let threads = reading.threads.clamp(1, count.max(1));
    // Each task's features, and the places for their facts when they are asked for.
    let fact_chunks: Box<dyn Iterator<Item = Option<&mut [Option<Facts>]>> + Send> =
        match facts.as_mut() {
            Some(f) => Box::new(f.chunks_mut(FEATURES_PER_TASK).map(Some)),
            None => Box::new(std::iter::repeat_with(|| None)),
        };
    let chunks = features
        .chunks_mut(FEATURES_PER_TASK)
        .zip(fact_chunks)
        .enumerate();
    let results: Vec<Option<Part>> = if threads == 1 {
        chunks
            .map(|(task, (chunk, facts))| Some(tasks.read(task * FEATURES_PER_TASK, chunk, facts)))
            .collect()
    } else {
        tasks.on_threads(threads, count, chunks)
    };
    let mut all_keys: Vec<String> = Vec::new();
    let mut all_seen: std::collections::HashSet<String, foldhash::fast::RandomState> =
        Default::default();
    let mut out = Interpreted {
        features: Vec::new(),
        problems: Vec::new(),
        ids: Vec::new(),
        bare: false,
        facts: None,
    };
    for (task, result) in results.into_iter().enumerate() {
        // A worker that panicked leaves its task undone: read it here, so a bug costs time,
        // not features.
        let (problems, ids, keys) = result.unwrap_or_else(|| {
            let start = task * FEATURES_PER_TASK;
            let end = (start + FEATURES_PER_TASK).min(items.len());
            let facts = facts.as_mut().map(|f| &mut f[start..end]);
            tasks.read(start, &mut features[start..end], facts)
        });
        out.problems.extend(problems);
        out.ids.extend(ids);
        for key in keys {
            if !all_seen.contains(&key) {
                all_seen.insert(key.clone());
                all_keys.push(key);
            }
        }
    }
    if let Some(source) = source {
        source.set_keys(all_keys);
    }
    out.features = features;
    out.facts = facts;
    out
}

/// What every task reads from, and where the progress of all of them is told.
struct Tasks<'a> {
    text: &'a str,
    source: Option<&'a Arc<SharedText>>,
    /// The text of every feature.
    items: &'a [&'a RawValue],
    progress: Progress<'a>,
    /// Features interpreted so far, by all the tasks.
    done: AtomicUsize,
}

impl Tasks<'_> {
    /// Interprets the features from `start` on into `out` (and their facts into `facts`,
    /// when asked for); returns the task's problems, ids and property names.
    fn read(
        &self,
        start: usize,
        out: &mut [Feature],
        mut facts: Option<&mut [Option<Facts>]>,
    ) -> Part {
        let (items, source) = (self.items, self.source);
        let mut interpreter = Interpreter::new(self.text);
        interpreter.source = source.cloned();
        let mut keys: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String, foldhash::fast::RandomState> =
            Default::default();
        for (k, slot) in out.iter_mut().enumerate() {
            #[cfg(test)]
            super::tests::panic_once_at(items[start + k]);
            let item = items[start + k];
            *slot = interpreter.element(start + k, item);
            // Worked out while what the feature says is at hand, before it is let go.
            if let Some(facts) = facts.as_deref_mut() {
                facts[k] = Some(Facts::of(slot));
            }
            for (key, _) in slot.properties() {
                if !seen.contains(key) {
                    seen.insert(key.clone());
                    keys.push(key.clone());
                }
            }
            // Only the span is kept: what the feature says is read again when asked.
            if let Some(span) = source.and_then(|s| Span::of(s, item.get())) {
                slot.keep_text(span);
            }
        }
        let done = self.done.fetch_add(out.len(), Ordering::Relaxed) + out.len();
        (self.progress)(done.min(items.len()), items.len());
        (interpreter.report.problems, interpreter.ids, keys)
    }

    /// Reads the `count` tasks `chunks` gives on `threads` threads; a task whose worker
    /// panicked is left undone (`None`).
    fn on_threads<'c>(
        &self,
        threads: usize,
        count: usize,
        chunks: impl Iterator<Item = (usize, (&'c mut [Feature], Option<&'c mut [Option<Facts>]>))>
        + Send,
    ) -> Vec<Option<Part>> {
        let queue = std::sync::Mutex::new(chunks);
        // Each task's problems are kept as soon as it is done, so a worker that panics
        // loses only the task it was on.
        let finished = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<_>>());
        // Scoped threads, not rayon: the caller sets how many (tests read with one, two
        // or eight), and a worker's panic must cost only its task, read again below;
        // rayon would carry the panic to the caller and lose the whole file's reading.
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        loop {
                            let next = lock(&queue).next();
                            let Some((task, (chunk, facts))) = next else {
                                break;
                            };
                            let part = self.read(task * FEATURES_PER_TASK, chunk, facts);
                            lock(&finished)[task] = Some(part);
                        }
                    })
                })
                .collect();
            // Joined here, so a worker's panic is not the scope's: its task is read again
            // by the caller.
            for worker in workers {
                if worker.join().is_err() {
                    log::warn!("a reading thread stopped on a fault; its part is read again");
                }
            }
        });
        finished
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The lock of `m`, also after a thread panicked holding it (what it guards stays whole:
/// each holder only takes or puts one value).
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How a text is read: on how many threads, telling whom, and whether each feature's
/// [`Facts`] are worked out too.
pub(super) struct Reading<'a> {
    pub threads: usize,
    pub progress: Progress<'a>,
    pub facts: bool,
}

/// Told, from the threads doing the work, how many of a file's features are interpreted
/// out of how many: a window shows it as the second half of an open's progress bar. The
/// reports of different threads may arrive out of order (keep the largest).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);
