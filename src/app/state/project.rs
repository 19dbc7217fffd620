//! Project files: the workspace (working layer, imported layers with their styles, context
//! layers, view, date and filters) saved, and read back off the UI thread. A project is
//! installed whole or not at all: when its working file cannot be read, the open document
//! and project stay as they were.

use std::path::{Path, PathBuf};

use crate::analysis::Filter;
use crate::io::{Parsed, Project, ProjectLayer};

/// Reads a layer of any format Pistas knows, as detected.
fn read_path(path: &std::path::Path) -> Result<Parsed, crate::io::ReadFileError> {
    crate::io::read_file(path, &crate::io::ImportOptions::default())
}

/// A project and every file it names, read.
pub struct LoadedProject {
    pub project: Project,
    pub filter: Filter,
    /// The working layer's file and what reading it found.
    pub working: Option<(PathBuf, Parsed)>,
    /// The imported layers that could be read, with their entries.
    pub layers: Vec<(ProjectLayer, PathBuf, Parsed)>,
    /// Layers that could not be read.
    pub problems: Vec<String>,
}

impl LoadedProject {
    /// Reads the project at `path` and its layers. An error when the project, its filters
    /// or its working layer cannot be read; other layers that cannot be are listed.
    pub fn read(path: &Path) -> Result<Self, String> {
        let project = Project::read(path)?;
        let filter = project
            .filter
            .to_filter()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let working = match project.working() {
            None => None,
            Some(entry) => {
                let file = Project::resolve(path, &entry.path);
                let parsed = read_path(&file).map_err(|e| format!("{}: {e}", path.display()))?;
                if parsed.fatal {
                    let first = parsed
                        .diagnostics
                        .first()
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    return Err(format!(
                        "{}: the working layer cannot be read: {first}",
                        path.display()
                    ));
                }
                Some((file, parsed))
            }
        };
        let mut layers = Vec::new();
        let mut problems = Vec::new();
        for entry in project.layers.iter().filter(|e| !e.working) {
            let file = Project::resolve(path, &entry.path);
            match read_path(&file) {
                Ok(parsed) if !parsed.fatal => layers.push((entry.clone(), file, parsed)),
                Ok(_) => problems.push(format!("{}: cannot be read", file.display())),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Ok(LoadedProject {
            project,
            filter,
            working,
            layers,
            problems,
        })
    }
}
