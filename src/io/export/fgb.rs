//! FlatGeobuf: strips (geometry, derived figures, properties, and the history as JSON in
//! `events`), or events as points, with a spatial index, in WGS 84. Strips without a
//! location are left out: a FlatGeobuf feature needs a geometry.

use chrono::NaiveDate;
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};

use super::tables::{self, Cell, Kind, Table};
use crate::model::Document;

fn column_type(kind: Kind) -> ColumnType {
    match kind {
        Kind::Integer => ColumnType::Long,
        Kind::Real => ColumnType::Double,
        Kind::Boolean => ColumnType::Bool,
        Kind::Text => ColumnType::String,
        Kind::Json => ColumnType::Json,
        Kind::Date => ColumnType::DateTime,
    }
}

fn write(name: &str, geometry_type: GeometryType, table: &Table) -> Result<Vec<u8>, String> {
    let options = FgbWriterOptions {
        crs: FgbCrs {
            code: 4326,
            ..FgbCrs::default()
        },
        // Strips are points, runways and areas in one layer: keep each as it is.
        detect_type: geometry_type != GeometryType::Unknown,
        promote_to_multi: false,
        ..FgbWriterOptions::default()
    };
    fn fail(e: impl std::fmt::Display) -> String {
        format!("the FlatGeobuf cannot be written: {e}")
    }
    let mut fgb = FgbWriter::create_with_options(name, geometry_type, options).map_err(fail)?;
    for c in &table.columns {
        fgb.add_column(&c.name, column_type(c.kind), |_, col| col.nullable = true);
    }
    for (shape, cells) in &table.rows {
        let Some(shape) = shape else {
            continue;
        };
        let texts: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Date(d) => d.to_string(),
                _ => String::new(),
            })
            .collect();
        let mut result = Ok(());
        fgb.add_feature_geom(shape.clone(), |feature| {
            for (i, (cell, column)) in cells.iter().zip(&table.columns).enumerate() {
                let value = match cell {
                    Cell::Null => continue,
                    Cell::Integer(v) => ColumnValue::Long(*v),
                    Cell::Real(v) => ColumnValue::Double(*v),
                    Cell::Boolean(v) => ColumnValue::Bool(*v),
                    Cell::Text(t) => ColumnValue::String(t),
                    Cell::Json(t) => ColumnValue::Json(t),
                    Cell::Date(_) => ColumnValue::DateTime(&texts[i]),
                };
                if let Err(e) = feature.property(i, &column.name, &value) {
                    result = Err(e);
                }
            }
        })
        .map_err(fail)?;
        result.map_err(fail)?;
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(fail)?;
    Ok(out)
}

/// The strips as FlatGeobuf, derived figures at `date`.
pub fn strips(doc: &Document, date: NaiveDate) -> Result<Vec<u8>, String> {
    write(
        "strips",
        GeometryType::Unknown,
        &tables::strips(doc, date, false, true),
    )
}

/// The events as points at their strips.
pub fn events(doc: &Document) -> Result<Vec<u8>, String> {
    write("events", GeometryType::Point, &tables::events(doc).0)
}
