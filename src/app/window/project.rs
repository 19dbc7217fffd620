//! Project files in the window: saving the workspace as a project and opening one.

use crate::app::PistasApp;
use crate::app::i18n::T;
use crate::app::panels::layers::{Slot, hex, parse_hex};
use crate::app::panels::problems::ProblemsOf;
use crate::app::state::document::Origin;
use crate::app::state::project::LoadedProject;
use crate::app::state::selection::Selection;
use crate::io::{
    PROJECT_EXTENSION, Project, ProjectContext, ProjectFilter, ProjectLayer, ProjectView,
    relative_to, save_atomic,
};
use std::path::Path;

impl PistasApp {
    /// The workspace as a project file at `path`.
    pub fn project_at(&self, path: &Path) -> Result<Project, String> {
        let Some(working) = &self.doc.path else {
            return Err(self.lang.t(T::SaveWorkingFirst).to_owned());
        };
        let layers = self
            .layers
            .order
            .iter()
            .filter_map(|slot| match slot {
                Slot::Working => Some(ProjectLayer {
                    path: relative_to(path, working),
                    name: None,
                    visible: self.layers.working_visible,
                    colour: None,
                    opacity: self.layers.working_opacity,
                    working: true,
                }),
                Slot::Imported(key) => self.layers.get(*key).map(|l| ProjectLayer {
                    path: relative_to(path, &l.path),
                    name: Some(l.name.clone()),
                    visible: l.visible,
                    colour: Some(hex(l.colour)),
                    opacity: l.opacity,
                    working: false,
                }),
            })
            .collect();
        let mut project = Project::new(layers);
        project.context = self
            .layers
            .context
            .iter()
            .map(|c| ProjectContext {
                name: c.kind.key().to_owned(),
                visible: c.visible,
                opacity: c.opacity,
            })
            .collect();
        let (lon, lat, zoom) = self.map.view();
        project.view = Some(ProjectView { lon, lat, zoom });
        project.date = Some(self.date);
        project.filter = ProjectFilter::from(self.filters.get());
        Ok(project)
    }

    pub(crate) fn save_project(&mut self) {
        if self.doc.path.is_none() {
            self.overlays.message(self.lang.t(T::SaveWorkingFirst));
            return;
        }
        let stem = self.doc.title_name();
        let stem = stem.split('.').next().unwrap_or("pistas").to_owned();
        let name = format!("{stem}.{PROJECT_EXTENSION}");
        let Some(mut path) = self
            .dialogs
            .save_file(&name, "Pistas project", PROJECT_EXTENSION)
        else {
            return;
        };
        if path.extension().is_none_or(|e| e != PROJECT_EXTENSION) {
            path.set_extension(PROJECT_EXTENSION);
        }
        let result = self.project_at(&path).and_then(|p| {
            save_atomic(&path, p.to_json().as_bytes(), true).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => {
                self.notice = Some(
                    self.lang
                        .fill(T::ProjectSaved, &[&path.display().to_string()]),
                );
                self.remember(|s| crate::app::state::files::remember(&mut s.recent, &path));
                self.remember(|s| s.last_file = Some(path.clone()));
                self.set_project(Some(path.clone()));
                // The project refers to the working layer's file: keep it current too.
                if self.doc.is_dirty() {
                    self.pending.push(crate::app::actions::Action::Save);
                }
            }
            Err(e) => self.overlays.message(e),
        }
    }

    /// Installs a project that was read: the working layer, the imported layers with their
    /// styles, the view, the date and the filters.
    pub(crate) fn project_loaded(&mut self, path: &Path, loaded: LoadedProject) {
        let LoadedProject {
            project,
            filter,
            working,
            layers,
            problems,
        } = loaded;
        self.layers.clear();
        self.set_selection(Selection::Nothing);
        self.set_project(Some(path.to_path_buf()));
        if let Some((file, parsed)) = working {
            // A working layer in another format opens untitled: Save writes GeoJSON, never
            // over the file the project names.
            let geojson = crate::io::InputFormat::of_file(&file) == crate::io::InputFormat::GeoJson;
            let untitled = if geojson {
                String::new()
            } else {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            self.install(
                parsed.document,
                geojson.then(|| file.clone()),
                untitled,
                Origin::Fresh,
                None,
            );
            let of = ProblemsOf::Working(self.doc.version().generation());
            self.problems.set(of, &file, parsed.diagnostics);
        }
        if let Some(entry) = project.working() {
            self.layers.working_visible = entry.visible;
            self.layers.working_opacity = entry.opacity.clamp(0.0, 1.0);
        }
        let mut read = layers.into_iter();
        let mut order = Vec::new();
        for entry in &project.layers {
            if entry.working {
                order.push(Slot::Working);
                continue;
            }
            let Some((entry, file, parsed)) = read.next().filter(|(e, ..)| e == entry) else {
                continue;
            };
            if let Some(key) = self.layer_read(file, parsed) {
                if let Some(layer) = self.layers.get_mut(key) {
                    layer.visible = entry.visible;
                    layer.opacity = entry.opacity.clamp(0.0, 1.0);
                    if let Some(c) = entry.colour.as_deref().and_then(parse_hex) {
                        layer.colour = c;
                    }
                    if let Some(name) = &entry.name {
                        layer.name.clone_from(name);
                    }
                }
                order.push(Slot::Imported(key));
            }
        }
        self.layers.order = order;
        if !self.layers.order.contains(&Slot::Working) {
            self.layers.order.push(Slot::Working);
        }
        for entry in &project.context {
            if let Some(c) = self
                .layers
                .context
                .iter_mut()
                .find(|c| c.kind.key() == entry.name)
            {
                c.visible = entry.visible;
                c.opacity = entry.opacity.clamp(0.0, 1.0);
            }
        }
        if let Some(v) = project.view {
            self.map.set_view(v.lon, v.lat, v.zoom);
        }
        if let Some(d) = project.date {
            self.set_date(d);
        }
        self.filters.set(filter);
        self.remember(|s| crate::app::state::files::remember(&mut s.recent, path));
        // The next start reopens the whole workspace, not only its working layer.
        self.remember(|s| s.last_file = Some(path.to_path_buf()));
        if !problems.is_empty() {
            self.overlays.message(problems.join("\n"));
        }
        self.refresh();
    }
}
