//! The toolbar's Go to field: the text typed (coordinates in any common form, or a place's
//! name) and why the last search found nothing.

/// The Go to field and why the last search found nothing.
#[derive(Default)]
pub struct GoTo {
    pub text: String,
    pub error: Option<String>,
}
