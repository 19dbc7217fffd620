//! What is selected: nothing, a feature of the working layer, or a feature of an imported
//! layer (shown read-only). One value, so the two can never both be set.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    Nothing,
    /// A feature of the working layer, by index.
    Strip(usize),
    /// A feature of an imported layer: the layer's key and the feature's index.
    Layer { key: u64, index: usize },
}

impl Selection {
    /// The selected feature of the working layer.
    pub fn strip(self) -> Option<usize> {
        match self {
            Selection::Strip(i) => Some(i),
            _ => None,
        }
    }

    /// The selected feature of an imported layer, as (layer key, index).
    pub fn layer(self) -> Option<(u64, usize)> {
        match self {
            Selection::Layer { key, index } => Some((key, index)),
            _ => None,
        }
    }

    /// The selection, or nothing when it names a feature that no longer exists.
    pub fn within(self, working: usize, layer_len: impl Fn(u64) -> Option<usize>) -> Self {
        match self {
            Selection::Strip(i) if i < working => self,
            Selection::Layer { key, index } if layer_len(key).is_some_and(|n| index < n) => self,
            _ => Selection::Nothing,
        }
    }
}
