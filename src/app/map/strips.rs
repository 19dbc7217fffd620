//! The strips layer: every feature projected once per document change into Mercator, an
//! R-tree of their boxes for culling and hit tests ([`cache`]), statuses at the chosen date,
//! and drawing ([`draw`]) that aggregates overlapping points on a screen grid
//! ([`clusters`]) when too many are in view.

mod cache;
mod clusters;
mod draw;

pub use cache::{AGGREGATE_ABOVE, Item, StripCache, item_of};
pub use draw::{Cluster, Drawn, draw, draw_layer};

#[cfg(test)]
mod tests;
