//! The words of dossiers and web maps, in English and Spanish, in one table (the window has
//! its own, which needs egui), and the colours statuses and events are drawn in.

use crate::model::{Confidence, EventType, Status};

/// The language of a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// `en` or `es`.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
}

macro_rules! words {
    ($($key:ident => $en:expr, $es:expr;)*) => {
        /// A text of a story.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum W { $($key),* }

        impl Lang {
            pub fn w(self, key: W) -> &'static str {
                match (self, key) {
                    $((Lang::En, W::$key) => $en, (Lang::Es, W::$key) => $es,)*
                }
            }
        }
    };
}

words! {
    DossierTitle => "Dossier", "Dossier";
    DossierOf => "Dossier: {} strips", "Dossier: {} pistas";
    StatusOn => "Status on {}", "Estado al {}";
    Id => "Id", "Id";
    Coordinates => "Coordinates", "Coordenadas";
    Department => "Department", "Departamento";
    NearestTown => "Nearest town", "Localidad más cercana";
    NearestAerodrome => "Nearest registered aerodrome", "Aeródromo registrado más cercano";
    KmAway => "{} km", "a {} km";
    History => "History", "Historia";
    Date => "Date", "Fecha";
    Event => "Event", "Evento";
    Confidence => "Confidence", "Confianza";
    Operation => "Operation", "Operativo";
    Sources => "Sources", "Fuentes";
    Archived => "archived {}", "archivada el {}";
    Evidence => "Evidence", "Evidencias";
    EvidenceMissing => "missing from the evidence folder: {}", "falta en la carpeta de evidencias: {}";
    RebuiltAfter => "Rebuilt {} days after the destruction of {}", "Reconstruida {} días después de la destrucción del {}";
    NoEvents => "No events recorded.", "Sin eventos registrados.";
    Overview => "Overview", "Resumen";
    Strips => "Strips", "Pistas";
    Name => "Name", "Nombre";
    Destroyed => "Destroyed", "Destruida";
    Rebuilt => "Rebuilt", "Reconstruida";
    Times => "times", "veces";
    PerMonth => "Destructions and rebuilds per month", "Destrucciones y reconstrucciones por mes";
    DaysToRebuild => "Days from destruction to rebuild", "Días de la destrucción a la reconstrucción";
    MedianQuartiles => "median {} days (quartiles {}–{}), {} rebuilds", "mediana {} días (cuartiles {}–{}), {} reconstrucciones";
    NoRebuilds => "No rebuild recorded.", "No hay reconstrucciones registradas.";
    Lifeline => "Lifeline", "Línea de vida";
    MadeOn => "Made {} with Pistas {}", "Hecho el {} con Pistas {}";
    DataFile => "Data file {} (SHA-256 {})", "Archivo de datos {} (SHA-256 {})";
    Basemap => "Basemap", "Mapa base";
    ImageCredits => "Images", "Imágenes";
    LeftOut => "For publication, left out:", "Para publicar, se omitió:";
    Illustrative => "Illustrative data: invented strips and dates.", "Datos ilustrativos: pistas y fechas inventadas.";
    Legend => "Legend", "Leyenda";
    Play => "Play", "Reproducir";
    Pause => "Pause", "Pausa";
    WebMapTitle => "Landing strips and their histories", "Pistas de aterrizaje y sus historias";
    ClickStrip => "Click a strip for its history and sources.", "Haga clic en una pista para ver su historia y fuentes.";
}

/// A template with its `{}` filled by `values` in order (a missing value leaves nothing).
pub fn fill_template(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut values = values.iter();
    let mut parts = template.split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(values.next().copied().unwrap_or(""));
        }
    }
    out
}

/// The names of statuses, event types and confidences: one table for the window and every
/// story.
impl Lang {
    /// A template with `{}` filled in order.
    pub fn fill(self, key: W, values: &[&str]) -> String {
        fill_template(self.w(key), values)
    }

    /// A decimal number as this language writes it: "14.5" in English, "14,5" in Spanish.
    pub fn decimal(self, value: f64, places: usize) -> String {
        let text = format!("{value:.places$}");
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w.to_owned(), Some(f.to_owned())),
            None => (text, None),
        };
        let (sign, digits) = match whole.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", whole.as_str()),
        };
        let mut out = String::from(sign);
        out.push_str(&self.group(digits));
        if let Some(f) = fraction {
            out.push(if self == Lang::Es { ',' } else { '.' });
            out.push_str(&f);
        }
        out
    }

    /// A whole number with its thousands grouped: "1,269" in English, "1.269" in Spanish.
    pub fn count(self, n: u64) -> String {
        self.group(&n.to_string())
    }

    fn group(self, digits: &str) -> String {
        let separator = if self == Lang::Es { '.' } else { ',' };
        // Spanish leaves four-digit numbers whole (RAE): 1269, 12.690.
        if digits.len() <= 3 || (self == Lang::Es && digits.len() == 4) {
            return digits.to_owned();
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }

    pub fn status(self, status: Status) -> &'static str {
        match (self, status) {
            (Lang::En, Status::Active) => "active",
            (Lang::En, Status::Rebuilt) => "rebuilt",
            (Lang::En, Status::Destroyed) => "destroyed",
            (Lang::En, Status::Unknown) => "no history yet",
            (Lang::Es, Status::Active) => "activa",
            (Lang::Es, Status::Rebuilt) => "reconstruida",
            (Lang::Es, Status::Destroyed) => "destruida",
            (Lang::Es, Status::Unknown) => "sin historial aún",
        }
    }

    pub fn event(self, kind: EventType) -> &'static str {
        match (self, kind) {
            (Lang::En, k) => k.as_str(),
            (Lang::Es, EventType::Built) => "construida",
            (Lang::Es, EventType::Sighted) => "avistada",
            (Lang::Es, EventType::Destroyed) => "destruida",
            (Lang::Es, EventType::Rebuilt) => "reconstruida",
            (Lang::Es, EventType::Reported) => "reportada",
        }
    }

    pub fn confidence(self, c: Confidence) -> &'static str {
        match (self, c) {
            (Lang::En, c) => c.as_str(),
            (Lang::Es, Confidence::Confirmed) => "confirmado",
            (Lang::Es, Confidence::Probable) => "probable",
            (Lang::Es, Confidence::Unverified) => "sin verificar",
        }
    }
}

/// The status whose colour an event type is drawn in: built and sighted as active,
/// destroyed, rebuilt, and reported as no history yet.
pub fn event_status(kind: EventType) -> Status {
    match kind {
        EventType::Built | EventType::Sighted => Status::Active,
        EventType::Destroyed => Status::Destroyed,
        EventType::Rebuilt => Status::Rebuilt,
        EventType::Reported => Status::Unknown,
    }
}

/// The colour of a status (the one every output uses), as CSS hex.
pub fn status_colour(status: Status) -> String {
    let [r, g, b] = status.rgb();
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod number_tests {
    use super::Lang;

    #[test]
    fn numbers_as_each_language_writes_them() {
        assert_eq!(Lang::En.decimal(14.5, 1), "14.5");
        assert_eq!(Lang::Es.decimal(14.5, 1), "14,5");
        assert_eq!(Lang::Es.decimal(-1234.56, 2), "-1234,56");
        assert_eq!(Lang::Es.decimal(12345.6, 1), "12.345,6");
        assert_eq!(Lang::En.decimal(12345.6, 1), "12,345.6");
        assert_eq!(Lang::En.decimal(3.0, 0), "3");
        assert_eq!(Lang::En.count(1269), "1,269");
        assert_eq!(Lang::Es.count(1269), "1269");
        assert_eq!(Lang::Es.count(1_000_000), "1.000.000");
        assert_eq!(Lang::En.count(999), "999");
    }
}
