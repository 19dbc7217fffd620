//! A project: the working layer, imported layers with their styles, the view, the date and
//! the filters, in a small JSON file that names the layer files by paths relative to it.
//! The layers stay ordinary GeoJSON files; the project only says how to show them.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::analysis::Filter;
use crate::model::{Confidence, EventType, Status};

/// The file extension of projects.
pub const PROJECT_EXTENSION: &str = "pistas";

/// What the `format` member of a project file says.
const FORMAT: &str = "pistas-project";
const VERSION: u32 = 1;

/// A layer of the project, by path relative to the project file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectLayer {
    pub path: PathBuf,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub visible: bool,
    /// Colour as `#rrggbb`.
    #[serde(default)]
    pub colour: Option<String>,
    /// From 0 (invisible) to 1 (opaque).
    #[serde(default = "one")]
    pub opacity: f32,
    /// Where the working layer sits among the imported ones (draw order, top first):
    /// true for the working layer's entry.
    #[serde(default)]
    pub working: bool,
}

fn yes() -> bool {
    true
}
fn one() -> f32 {
    1.0
}

/// The map view: centre and zoom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

/// A context layer of the basemap (aerodromes, towns, rivers, borders).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectContext {
    pub name: String,
    pub visible: bool,
    #[serde(default = "one")]
    pub opacity: f32,
}

/// The filters, in words, so the file reads well and survives new filter kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectFilter {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    pub min_destroyed: usize,
    pub min_rebuilt: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<[f64; 4]>,
    /// Corners as [longitude, latitude].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polygon: Option<Vec<[f64; 2]>>,
}

impl From<&Filter> for ProjectFilter {
    fn from(f: &Filter) -> Self {
        ProjectFilter {
            text: f.text.clone(),
            statuses: f.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
            event_type: f.event_type.map(|t| t.as_str().to_owned()),
            from: f.from,
            to: f.to,
            min_destroyed: f.min_destroyed,
            min_rebuilt: f.min_rebuilt,
            confidence: f.confidence.map(|c| c.as_str().to_owned()),
            operation: f.operation.clone(),
            area: f.area,
            polygon: f
                .polygon
                .as_ref()
                .map(|ring| ring.corners().iter().map(|&(x, y)| [x, y]).collect()),
        }
    }
}

impl ProjectFilter {
    /// The filter; words it does not know are errors.
    pub fn to_filter(&self) -> Result<Filter, String> {
        let statuses = self
            .statuses
            .iter()
            .map(|s| Status::parse(s).ok_or_else(|| format!("unknown status \"{s}\"")))
            .collect::<Result<Vec<_>, _>>()?;
        let event_type = self
            .event_type
            .as_deref()
            .map(|t| EventType::parse(t).ok_or_else(|| format!("unknown event type \"{t}\"")))
            .transpose()?;
        let confidence = self
            .confidence
            .as_deref()
            .map(|c| Confidence::parse(c).ok_or_else(|| format!("unknown confidence \"{c}\"")))
            .transpose()?;
        Ok(Filter {
            text: self.text.clone(),
            statuses,
            event_type,
            from: self.from,
            to: self.to,
            min_destroyed: self.min_destroyed,
            min_rebuilt: self.min_rebuilt,
            confidence,
            operation: self.operation.clone(),
            area: self.area,
            polygon: self.polygon.as_ref().map(|ring| {
                crate::analysis::Ring::new(ring.iter().map(|&[x, y]| (x, y)).collect())
            }),
        })
    }
}

/// A project file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub format: String,
    pub version: u32,
    /// The data layers, top of the drawing order first; one of them is the working layer.
    pub layers: Vec<ProjectLayer>,
    #[serde(default)]
    pub context: Vec<ProjectContext>,
    #[serde(default)]
    pub view: Option<ProjectView>,
    /// The date statuses are shown at.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub filter: ProjectFilter,
}

impl Project {
    pub fn new(layers: Vec<ProjectLayer>) -> Self {
        Project {
            format: FORMAT.to_owned(),
            version: VERSION,
            layers,
            context: Vec::new(),
            view: None,
            date: None,
            filter: ProjectFilter::default(),
        }
    }

    /// The working layer's entry.
    pub fn working(&self) -> Option<&ProjectLayer> {
        self.layers.iter().find(|l| l.working)
    }

    /// Reads a project file; errors name the file and, for bad JSON, the line and column.
    pub fn read(path: &Path) -> Result<Project, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let project: Project = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{name}:{}:{}: not a Pistas project: {e}",
                e.line(),
                e.column()
            )
        })?;
        if project.format != FORMAT {
            return Err(format!(
                "{name}: not a Pistas project (format is \"{}\", expected \"{FORMAT}\")",
                project.format
            ));
        }
        if project.version > VERSION {
            return Err(format!(
                "{name}: made by a newer Pistas (project version {}; this one reads {VERSION})",
                project.version
            ));
        }
        if project.layers.iter().filter(|l| l.working).count() != 1 {
            return Err(format!("{name}: a project needs exactly one working layer"));
        }
        Ok(project)
    }

    /// The project as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Where a layer's file is, resolving its path against the project's folder.
    pub fn resolve(project_file: &Path, layer: &Path) -> PathBuf {
        if layer.is_absolute() {
            return layer.to_path_buf();
        }
        project_file.parent().unwrap_or(Path::new(".")).join(layer)
    }
}

/// `path` relative to the folder of `project_file`, when both are on the same root;
/// else `path` as it is. `..` is used to climb out of the project's folder.
pub fn relative_to(project_file: &Path, path: &Path) -> PathBuf {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Lexical clean-up of `.` and `..`.
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    };
    let base = absolute(project_file.parent().unwrap_or(Path::new(".")));
    let target = absolute(path);
    let (b, t): (Vec<Component>, Vec<Component>) =
        (base.components().collect(), target.components().collect());
    if b.first() != t.first() {
        return target;
    }
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_stored_relative_to_the_project() {
        let project = Path::new("/work/story/map.pistas");
        assert_eq!(
            relative_to(project, Path::new("/work/story/data/strips.geojson")),
            PathBuf::from("data/strips.geojson")
        );
        assert_eq!(
            relative_to(project, Path::new("/work/shared/police.geojson")),
            PathBuf::from("../shared/police.geojson")
        );
        assert_eq!(
            Project::resolve(project, Path::new("../shared/police.geojson")),
            PathBuf::from("/work/story/../shared/police.geojson")
        );
    }

    #[test]
    fn filters_round_trip_in_words() {
        let filter = Filter {
            text: "Palma".into(),
            statuses: vec![Status::Rebuilt],
            event_type: Some(EventType::Destroyed),
            from: NaiveDate::from_ymd_opt(2014, 9, 1),
            min_rebuilt: 2,
            confidence: Some(Confidence::Confirmed),
            area: Some([-75.0, -13.0, -73.0, -11.0]),
            polygon: Some(crate::analysis::Ring::new(vec![
                (-74.0, -12.0),
                (-73.0, -12.0),
                (-73.5, -13.0),
            ])),
            ..Filter::default()
        };
        let words = ProjectFilter::from(&filter);
        assert_eq!(words.statuses, ["rebuilt"]);
        let json = serde_json::to_string(&words).unwrap();
        let back: ProjectFilter = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_filter().unwrap(), filter);
        let bad = ProjectFilter {
            statuses: vec!["gone".into()],
            ..ProjectFilter::default()
        };
        assert_eq!(bad.to_filter().unwrap_err(), "unknown status \"gone\"");
    }

    #[test]
    fn bad_project_files_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pistas");
        std::fs::write(
            &path,
            "{\"format\": \"pistas-project\",\n \"version\": 1, \"layers\": [}",
        )
        .unwrap();
        let e = Project::read(&path).unwrap_err();
        assert!(e.contains("x.pistas:2:"), "{e}");
        std::fs::write(
            &path,
            "{\"format\": \"qgis\", \"version\": 1, \"layers\": []}",
        )
        .unwrap();
        assert!(
            Project::read(&path)
                .unwrap_err()
                .contains("format is \"qgis\"")
        );
        let none = Project::new(vec![]);
        std::fs::write(&path, none.to_json()).unwrap();
        assert!(
            Project::read(&path)
                .unwrap_err()
                .contains("exactly one working layer")
        );
    }
}
