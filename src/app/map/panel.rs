//! The map panel: the map with its tools (select, add, measure, draw an area), Go to, the
//! basemap, and the filters panel that shapes what the map shows.

/// The Go to field and why the last search found nothing.
#[derive(Default)]
pub struct GoTo {
    pub text: String,
    pub error: Option<String>,
}
