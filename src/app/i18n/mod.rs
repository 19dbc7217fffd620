//! Every string the window shows, in English and Spanish, in one table. Templates use `{}`
//! for values, filled in order by [`Lang::fill`].

use crate::io::Format;
use crate::model::{Confidence, EventType, GeometryKind, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    /// Spanish when the system's language is Spanish, else English.
    pub fn system() -> Self {
        match sys_locale::get_locale() {
            Some(l) if l.to_lowercase().starts_with("es") => Lang::Es,
            _ => Lang::En,
        }
    }
}

macro_rules! table {
    ($($key:ident => $en:expr, $es:expr;)*) => {
        /// A user-facing text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
        }

        impl Lang {
            /// The text in this language.
            pub fn t(self, key: T) -> &'static str {
                match (self, key) {
                    $((Lang::En, T::$key) => $en, (Lang::Es, T::$key) => $es,)*
                }
            }
        }
    };
}

table! {
    File => "File", "Archivo";
    Edit => "Edit", "Editar";
    View => "View", "Ver";
    Help => "Help", "Ayuda";
    New => "New", "Nuevo";
    Open => "Open…", "Abrir…";
    Recent => "Recent files", "Archivos recientes";
    NoRecent => "No recent files", "Sin archivos recientes";
    Save => "Save", "Guardar";
    SaveAs => "Save As…", "Guardar como…";
    Export => "Export", "Exportar";
    Quit => "Quit", "Salir";
    Undo => "Undo", "Deshacer";
    Redo => "Redo", "Rehacer";
    AddPoint => "Add strip", "Añadir pista";
    AddPointHelp => "Click on the map where the strip is.", "Haga clic en el mapa donde está la pista.";
    AddRunway => "Add runway", "Añadir pista (línea)";
    AddRunwayHelp => "Click one end of the runway on the map.", "Haga clic en un extremo de la pista en el mapa.";
    AddRunwaySecond => "Click the other end of the runway (Esc cancels).", "Haga clic en el otro extremo de la pista (Esc cancela).";
    DeleteStrip => "Delete strip", "Eliminar pista";
    FitToData => "Fit to data", "Ajustar a los datos";
    Labels => "Labels", "Etiquetas";
    Basemap => "Basemap", "Mapa base";
    BasemapOffline => "Offline map (embedded, no network)", "Mapa sin conexión (incluido, sin red)";
    BasemapOsm => "OpenStreetMap (online)", "OpenStreetMap (en línea)";
    OsmWarning => "Downloads tiles from openstreetmap.org: the tile server sees which area you look at.", "Descarga teselas de openstreetmap.org: el servidor ve qué zona consulta.";
    OpenPmtiles => "Offline tiles (.pmtiles)…", "Teselas sin conexión (.pmtiles)…";
    TilesAttribution => "© OpenStreetMap contributors", "© colaboradores de OpenStreetMap";
    PmtilesAttribution => "Tiles: {} (sources as credited by its maker)", "Teselas: {} (fuentes según su autor)";
    LastEvent => "Last event: {} on {}", "Último evento: {} el {}";
    Play => "Play", "Reproducir";
    Pause => "Pause", "Pausa";
    StepDay => "day by day", "día a día";
    StepWeek => "week by week", "semana a semana";
    StepMonth => "month by month", "mes a mes";
    AsOfDate => "Status as of the date", "Estado a la fecha";
    EventsInWindow => "Events in the last", "Eventos en los últimos";
    DaysSuffix => " days", " días";
    ShowChart => "Show chart", "Mostrar gráfico";
    HideChart => "Hide chart", "Ocultar gráfico";
    ShowTimeline => "Show the timeline's chart", "Mostrar el gráfico de la línea de tiempo";
    HideTimeline => "Fold the timeline to one line", "Plegar la línea de tiempo a una línea";
    PlaySpeed => "Play speed: steps per second", "Velocidad: pasos por segundo";
    NoDatedEvents => "No dated events to chart", "No hay eventos con fecha para mostrar";
    FitTime => "Fit", "Ajustar";
    FitTimeHelp => "Show all the data's months (or double-click the chart)", "Mostrar todos los meses de los datos (o doble clic en el gráfico)";
    TimeChartHelp => "Events per month. Click or drag to set the date; scroll to zoom; Shift+scroll to move; right-drag or Shift+drag to zoom to a span; double-click to fit.", "Eventos por mes. Clic o arrastre para fijar la fecha; rueda para acercar; Mayús+rueda para mover; arrastre con el botón derecho o con Mayús para acercar a un periodo; doble clic para ajustar.";
    NoEventsThisMonth => "no events this month", "sin eventos este mes";
    Filters => "Filters", "Filtros";
    ClearFilters => "Clear filters", "Quitar filtros";
    ShownOf => "{} of {} features shown", "{} de {} elementos visibles";
    Search => "Search", "Buscar";
    SearchHint => "name, id, notes, sources", "nombre, id, notas, fuentes";
    StatusAtDate => "Status on the date", "Estado en la fecha";
    EventBetween => "Has an event", "Tiene un evento";
    AnyEvent => "any event", "cualquier evento";
    From => "from", "desde";
    To => "to", "hasta";
    MinDestroyed => "Destroyed at least", "Destruida al menos";
    MinRebuilt => "Rebuilt at least", "Reconstruida al menos";
    AnyConfidence => "any", "cualquiera";
    Area => "Area", "Zona";
    InsideView => "Inside the current view", "En la vista";
    DrawRectangle => "Draw a rectangle", "Dibujar un rectángulo";
    DrawPolygon => "Draw a polygon", "Dibujar un polígono";
    DrawPolygonHelp => "Click the corners on the map; click the first corner again (or press Enter) to close it.", "Haga clic en las esquinas en el mapa; vuelva a hacer clic en la primera (o pulse Intro) para cerrarlo.";
    PolygonCorners => "Inside a polygon of {} corners", "Dentro de un polígono de {} esquinas";
    DrawRectangleHelp => "Click two opposite corners on the map.", "Haga clic en dos esquinas opuestas en el mapa.";
    AnyArea => "Anywhere", "En cualquier lugar";
    ColDestroyed => "Destroyed", "Destrucciones";
    ColRebuilt => "Rebuilt", "Reconstrucciones";
    ColLastEvent => "Last event", "Último evento";
    ColLength => "Length", "Largo";
    ColAerodrome => "Nearest aerodrome", "Aeródromo más cercano";
    ColNearestStrip => "Nearest strip", "Pista más cercana";
    ColTown => "Nearest town", "Pueblo más cercano";
    TabMap => "Map", "Mapa";
    TabTable => "Table", "Tabla";
    TabStats => "Statistics", "Estadísticas";
    StatsHeading => "{} strips on {}", "{} pistas al {}";
    ExportStatsCsv => "Export statistics (CSV)…", "Exportar estadísticas (CSV)…";
    PerMonth => "Destructions and rebuilds per month", "Destrucciones y reconstrucciones por mes";
    SavePng => "Save chart as PNG…", "Guardar gráfico como PNG…";
    DaysToRebuild => "Days from a destruction to the next rebuild", "Días desde una destrucción hasta la siguiente reconstrucción";
    NoRebuilds => "No rebuilds in these strips.", "No hay reconstrucciones en estas pistas.";
    RebuildFigures => "{} rebuilds: median {} days, mean {}, quartiles {}–{}, from {} to {} days", "{} reconstrucciones: mediana {} días, media {}, cuartiles {}–{}, de {} a {} días";
    DaysAxis => "days", "días";
    PerOperation => "Per operation", "Por operativo";
    OpDestroyed => "Destroyed", "Destruidas";
    RebuiltAfterOp => "Rebuilt after", "Reconstruidas después";
    Share => "Share rebuilt", "% reconstruidas";
    MostRebuilt => "Most rebuilt strips", "Pistas más reconstruidas";
    MostRebuiltRow => "{}: rebuilt {}, destroyed {}", "{}: reconstruida {}, destruida {}";
    ChartSaved => "Chart saved to {}", "Gráfico guardado en {}";
    LifelineHelp => "Status over time: grey unknown, red active, orange rebuilt, dark destroyed; faded where a date is approximate. Ticks are events (hover one); the yellow line is the timeline's date.", "Estado en el tiempo: gris desconocido, rojo activa, naranja reconstruida, oscuro destruida; atenuado donde la fecha es aproximada. Las marcas son eventos (pase el ratón); la línea amarilla es la fecha de la línea de tiempo.";
    Distances => "Nearest", "Más cercano";
    NearestStrip => "strip: {} ({} km)", "pista: {} ({} km)";
    NearestAerodrome => "registered aerodrome: {} ({} km)", "aeródromo registrado: {} ({} km)";
    NearestTown => "town: {} ({} km)", "pueblo: {} ({} km)";
    AreaSecond => "Click the opposite corner (Esc cancels).", "Haga clic en la esquina opuesta (Esc cancela).";
    Measure => "Measure", "Medir";
    MeasureHelp => "Click points on the map to measure; Esc ends.", "Haga clic en puntos del mapa para medir; Esc termina.";
    MeasureLength => "Distance {} km", "Distancia {} km";
    MeasureArea => ", closed area {} km²", ", área cerrada {} km²";
    ExportFiltered => "Export filtered", "Exportar filtrado";
    Step => "Step", "Paso";
    Language => "Language", "Idioma";
    About => "About Pistas", "Acerca de Pistas";
    LegendToggle => "Click to fold or unfold the legend", "Clic para plegar o desplegar la leyenda";
    PanelLayers => "Layers and filters panel", "Panel de capas y filtros";
    PanelInspector => "Inspector (when something is selected)", "Inspector (con una selección)";
    Shortcuts => "Keyboard shortcuts", "Atajos de teclado";
    TilesUnavailable => "Tiles unavailable — offline? The embedded map is shown beneath.", "Teselas no disponibles — ¿sin conexión? Se muestra el mapa incluido debajo.";
    ContextOverTiles => "Context layers over online tiles", "Capas de contexto sobre las teselas";
    CustomTiles => "Custom tile server…", "Servidor de teselas propio…";
    CustomTilesHelp => "An XYZ or WMTS URL template, e.g. https://tiles.example.org/{z}/{x}/{y}.png ({-y} for TMS; {TileMatrix}/{TileRow}/{TileCol} for WMTS). Pistas contacts it only once you choose Use.", "Una plantilla de URL XYZ o WMTS, p. ej. https://tiles.example.org/{z}/{x}/{y}.png ({-y} para TMS; {TileMatrix}/{TileRow}/{TileCol} para WMTS). Pistas lo contacta solo al elegir Usar.";
    TileUrl => "URL template", "Plantilla de URL";
    TileAttribution => "Attribution", "Atribución";
    Use => "Use", "Usar";
    Imagery => "Imagery (online)", "Imágenes (en línea)";
    Columns => "Columns…", "Columnas…";
    NoProperties => "The file's features have no other properties.", "Los elementos del archivo no tienen otras propiedades.";
    ColumnsHelp => "Click a cell of the selected row to edit it; Enter keeps the change (one undo step).", "Clic en una celda de la fila seleccionada para editarla; Intro guarda el cambio (un paso de deshacer).";
    OnRegisteredAerodrome => "registered aerodrome: {}, {} m away: this may be that aerodrome, not a clandestine strip", "aeródromo registrado: {}, a {} m: puede ser ese aeródromo y no una pista clandestina";
    NoAerodromeNear => "registered aerodrome: none within {} km in the embedded data (it covers South America)", "aeródromo registrado: ninguno a menos de {} km en los datos incluidos (cubren América del Sur)";
    NoTownNear => "town: none within {} km in the embedded data (it covers South America)", "poblado: ninguno a menos de {} km en los datos incluidos (cubren América del Sur)";
    KeptAt => "The unsaved work is kept, as it was, at {}", "El trabajo sin guardar se conserva, tal cual, en {}";
    PanelLayersShort => "Layers", "Capas";
    PanelInspectorShort => "Inspector", "Ficha";
    VersionLine => "Version {}", "Versión {}";
    ClickToInspect => "Click a strip to inspect it", "Clic en una pista para ver su ficha";
    AboutBody => "Pistas maps clandestine landing strips and their dated histories. The bundled sample is illustrative: its strips, dates and sources are invented.", "Pistas cartografía pistas de aterrizaje clandestinas y su historia fechada. La muestra incluida es ilustrativa: sus pistas, fechas y fuentes son inventadas.";
    Illustrative => "illustrative sample", "muestra ilustrativa";
    Untitled => "Untitled", "Sin título";
    Recovered => "Recovered work", "Trabajo recuperado";
    StatusOn => "Status on", "Estado al";
    GoTo => "Go to", "Ir a";
    GoToHint => "12°21'05\"S 73°57'10\"W, strip or town", "12°21'05\"S 73°57'10\"W, pista o pueblo";
    Go => "Go", "Ir";
    NotFound => "Nothing called “{}”", "Nada se llama «{}»";
    Counts => "{} strips, {} features", "{} pistas, {} elementos";
    Unsaved => "• unsaved changes", "• cambios sin guardar";
    EditShort => "edit", "editar";
    AllSaved => "saved", "guardado";
    Problems => "{} problems ({} errors)", "{} problemas ({} errores)";
    ProblemsIn => "Problems in {}", "Problemas en {}";
    Hide => "Hide", "Ocultar";
    NoSystemDialog => "The desktop showed no file dialog (no XDG desktop portal or zenity): Pistas' own file picker asks instead.", "El escritorio no mostró ningún diálogo de archivos (no hay portal XDG ni zenity): pregunta el selector de archivos propio de Pistas.";
    PickedAgain => "File chosen: press the button again to use it.", "Archivo elegido: pulse de nuevo el botón para usarlo.";
    ProblemCounts => "{} errors, {} warnings", "{} errores, {} avisos";
    ShowList => "Show the list", "Ver la lista";
    HideList => "Hide the list", "Ocultar la lista";
    ClickToSelect => "Select this feature", "Seleccionar este elemento";
    Opening => "Opening {}", "Abriendo {}";
    Saving => "Saving {}", "Guardando {}";
    Exporting => "Exporting {}", "Exportando {}";
    Saved => "Saved {}", "Guardado {}";
    Exported => "Exported {}", "Exportado {}";
    AutosaveFailed => "Autosave failed", "Falló el autoguardado";
    CannotOpen => "{} cannot be opened: see the problems below.", "No se puede abrir {}: vea los problemas abajo.";
    Cancel => "Cancel", "Cancelar";
    HelpPan => "Move the map", "Mover el mapa";
    HelpPanHow => "Drag", "Arrastrar";
    HelpZoom => "Zoom the map", "Acercar o alejar el mapa";
    HelpZoomHow => "Scroll wheel", "Rueda del ratón";
    HelpInspect => "Inspect a strip", "Inspeccionar una pista";
    HelpInspectHow => "Click it", "Hacer clic en ella";
    ExportDossier => "Export dossier…", "Exportar dossier…";
    PublishWebMap => "Publish as web map…", "Publicar como mapa web…";
    NoStripsForStory => "No strip is selected or shown: nothing to put in a dossier.", "No hay pistas seleccionadas ni visibles: nada que poner en un dossier.";
    WebMapTitle => "Landing strips and their histories", "Pistas de aterrizaje y sus historias";
    Publication => "Publication", "Publicación";
    ForPublication => "For publication", "Para publicar";
    ForPublicationHelp => "Leave out private sources and evidence, every note, the local paths of evidence files and what Pistas could not read; with rounding, coordinates are rounded too. You are told what was left out.", "Omite fuentes y evidencias privadas, todas las notas, las rutas locales de las evidencias y lo que Pistas no pudo leer; con el redondeo, también se redondean las coordenadas. Se le indica lo omitido.";
    LeftOutForPublication => "For publication, the export leaves out:", "Para publicar, la exportación omite:";
    EvidenceMissing => "missing", "falta";
    EvidenceAltered => "altered (SHA-256 now {}…)", "alterado (SHA-256 ahora {}…)";
    EvidenceOutside => "leads out of the evidence folder", "sale de la carpeta de evidencias";
    EvidenceUnreadable => "cannot be read", "no se puede leer";
    AttachEvidence => "Attach…", "Adjuntar…";
    AttachEvidenceHelp => "Attach images, PDFs, saved pages or web archives to this event (or drop them here, or paste an image). They are copied into the evidence folder beside the document and sealed by their SHA-256.", "Adjunte imágenes, PDF, páginas guardadas o archivos web a este evento (o suéltelos aquí, o pegue una imagen). Se copian en la carpeta de evidencias junto al documento y se sellan con su SHA-256.";
    Archived => "archived", "archivada";
    ArchivedOn => "archived {}", "archivada el {}";
    Archive => "Archive", "Archivar";
    ArchiveHelp => "Fetch this page once and keep it as a web archive (WARC) with its hash and capture time. This is a request to the page's site.", "Descargar esta página una vez y guardarla como archivo web (WARC) con su hash y hora de captura. Es una solicitud al sitio de la página.";
    RemoveEvidence => "Take off this event (the file stays in the folder)", "Quitar de este evento (el archivo queda en la carpeta)";
    CapturedOn => "captured {}", "capturada el {}";
    PrivateEvidence => "private: left out of publication", "privada: no se publica";
    OpenOutside => "Open with the system viewer", "Abrir con el visor del sistema";
    PlacedAt => "On the map at {}", "En el mapa en {}";
    Unplace => "Take off the map", "Quitar del mapa";
    NotPlaced => "Not placed on the map.", "No ubicada en el mapa.";
    PlaceOnMap => "Place on the map…", "Ubicar en el mapa…";
    West => "West", "Oeste";
    South => "South", "Sur";
    East => "East", "Este";
    North => "North", "Norte";
    UseMapView => "Use the map's view", "Usar la vista del mapa";
    Place => "Place", "Ubicar";
    FootprintNumbers => "West, south, east and north are numbers in degrees.", "Oeste, sur, este y norte son números en grados.";
    NoPreview => "No preview for this kind of file: open it with the system viewer.", "No hay vista previa para este tipo de archivo: ábralo con el visor del sistema.";
    CompareTitle => "Compare — {}", "Comparar — {}";
    CompareEvents => "Compare…", "Comparar…";
    CompareHelp => "Compare the pictures of two events of this strip, side by side or with a swipe divider.", "Comparar las imágenes de dos eventos de esta pista, lado a lado o con un divisor deslizante.";
    SideBySide => "Side by side", "Lado a lado";
    Swipe => "Swipe", "Deslizar";
    NothingToCompare => "Choose two events with pictures.", "Elija dos eventos con imágenes.";
    ImageryOnMap => "Evidence imagery at the date", "Imágenes de evidencia a la fecha";
    ImageryOnMapHelp => "For each strip in view, its latest georeferenced image on or before the timeline's date, under the strips.", "Para cada pista visible, su última imagen georreferenciada en o antes de la fecha de la línea de tiempo, bajo las pistas.";
    SaveFirstForEvidence => "Save the document first: its evidence is kept in a folder beside it.", "Guarde primero el documento: sus evidencias se guardan en una carpeta a su lado.";
    SelectStripForEvidence => "Select a strip with an event to attach these files to.", "Seleccione una pista con un evento para adjuntarle estos archivos.";
    EvidenceAttached => "{} file(s) attached and sealed", "{} archivo(s) adjuntados y sellados";
    Attaching => "Copying and hashing evidence: {} of {}", "Copiando y calculando hashes: {} de {}";
    EvidenceChecked => "Evidence checked: {} problem(s)", "Evidencias revisadas: {} problema(s)";
    Ok => "OK", "Aceptar";
    Discard => "Discard", "Descartar";
    Delete => "Delete", "Eliminar";
    Restore => "Restore", "Restaurar";
    UnsavedTitle => "Unsaved changes", "Cambios sin guardar";
    UnsavedBody => "{} has changes that are not saved. Save them first?", "{} tiene cambios sin guardar. ¿Guardarlos antes?";
    DeleteTitle => "Delete strip?", "¿Eliminar la pista?";
    DeleteBody => "Delete “{}” and its {} events? Undo brings it back.", "¿Eliminar «{}» y sus {} eventos? Deshacer la recupera.";
    RecoverTitle => "Restore unsaved work?", "¿Restaurar el trabajo sin guardar?";
    RecoverBody => "Pistas did not close normally. Work autosaved at {} ({}) can be restored.", "Pistas no se cerró normalmente. Se puede restaurar el trabajo autoguardado a las {} ({}).";
    Aerodrome => "Registered aerodrome", "Aeródromo registrado";
    OtherFeature => "Other feature", "Otro elemento";
    ClusterCount => "{} features here", "{} elementos aquí";
    ClusterClick => "Click to zoom in", "Clic para acercar";
    Status => "Status", "Estado";
    StatusAt => "Status on {}:", "Estado al {}:";
    FuzzyStatus => "(depends on an approximate date)", "(depende de una fecha aproximada)";
    NothingSelected => "No strip selected", "Ninguna pista seleccionada";
    NothingSelectedHelp => "Click a strip on the map to read and edit its history, or type its name in “Go to”.", "Haga clic en una pista del mapa para ver y editar su historia, o escriba su nombre en «Ir a».";
    Id => "id", "id";
    UnreadFeature => "Pistas could not read this feature", "Pistas no pudo leer este elemento";
    UnreadFeatureHelp => "It is kept exactly as written and saved back unchanged, but not drawn. Fix the file in a text editor, or ask who made it.", "Se conserva tal como está escrito y se guarda sin cambios, pero no se dibuja. Corrija el archivo en un editor de texto o consulte a quien lo hizo.";
    UnreadEvents => "Events Pistas could not read ({})", "Eventos que Pistas no pudo leer ({})";
    UnreadEventsHelp => "Kept as written and left out of the status and statistics until fixed. Edit the JSON and apply the fix.", "Se conservan tal cual y no cuentan en el estado ni las estadísticas hasta corregirlos. Edite el JSON y aplique la corrección.";
    EventJson => "Event as JSON", "Evento en JSON";
    ApplyFix => "Apply fix", "Aplicar corrección";
    DeleteUnreadEvent => "Delete this event", "Eliminar este evento";
    NoIdsOwn => "{} features have no id of their own (Pistas gave them one, not saved).", "{} elementos no tienen id propio (Pistas les dio uno, que no se guarda).";
    UseAsId => "Use column as id", "Usar columna como id";
    NotAStrip => "Not a strip: this feature has no event history.", "No es una pista: este elemento no tiene historia de eventos.";
    DestroyedRebuilt => "Destroyed {}, rebuilt {}", "Destruida {}, reconstruida {}";
    Runway => "Runway {} m, heading {}°", "Pista de {} m, rumbo {}°";
    Name => "Name", "Nombre";
    Coordinates => "Coordinates", "Coordenadas";
    RunwayStart => "Runway start", "Inicio de pista";
    RunwayEnd => "Runway end", "Fin de pista";
    Notes => "Notes", "Notas";
    History => "History ({} events)", "Historia ({} eventos)";
    AddEvent => "Add event", "Añadir evento";
    NewEvent => "New event", "Nuevo evento";
    EditEvent => "Edit event", "Editar evento";
    DeleteEvent => "Delete event", "Eliminar evento";
    SaveEvent => "Save event", "Guardar evento";
    EventType => "Type", "Tipo";
    Date => "Date", "Fecha";
    Confidence => "Confidence", "Confianza";
    NotSaid => "not stated", "sin indicar";
    Operation => "Operation", "Operativo";
    Sources => "Sources", "Fuentes";
    SourcesHelp => "One per line: a title, a URL, or “title | URL”.", "Una por línea: un título, una URL o «título | URL».";
    Note => "Note", "Nota";
    RebuiltAfter => "Rebuilt {} days after the destruction of {}", "Reconstruida {} días después de la destrucción del {}";
    OtherProperties => "Other properties", "Otras propiedades";
    PropertiesHelp => "Text is kept as text; numbers, true/false, [lists] and {objects} stay JSON.", "El texto se guarda como texto; números, true/false, [listas] y {objetos} siguen siendo JSON.";
    RemoveProperty => "Remove property", "Quitar propiedad";
    Key => "key", "clave";
    Value => "value", "valor";
    Add => "Add", "Añadir";
    BadKey => "Choose a key that is not empty, “events” or a derived field.", "Elija una clave no vacía que no sea «events» ni un campo derivado.";
    NewStrip => "New strip", "Pista nueva";
    NewRunway => "New runway", "Pista nueva (línea)";
    Layers => "Layers", "Capas";
    ImportLayer => "Import layer…", "Importar capa…";
    ImportLayerHelp => "Add files (GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf) as read-only layers, or drop them on the window", "Añadir archivos (GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf) como capas de solo lectura, o soltarlos en la ventana";
    LoadingLayer => "Loading {}…", "Cargando {}…";
    DragToReorder => "Drag to change the drawing order", "Arrastre para cambiar el orden de dibujo";
    MoveUp => "Draw above the layer over it", "Dibujar sobre la capa de arriba";
    MoveDown => "Draw below the layer under it", "Dibujar bajo la capa de abajo";
    Colour => "Colour", "Color";
    Opacity => "Opacity", "Opacidad";
    ContextLayers => "Context layers", "Capas de contexto";
    ContextLayersHelp => "The embedded basemap, drawn under the data layers", "El mapa base incorporado, dibujado bajo las capas de datos";
    LayerAerodromes => "Registered aerodromes", "Aeródromos registrados";
    LayerTowns => "Towns", "Poblados";
    LayerRivers => "Rivers", "Ríos";
    LayerBorders => "Borders", "Límites";
    Visible => "Visible", "Visible";
    VisibleLayer => "Show {}", "Mostrar {}";
    WorkingLayer => "working layer", "capa de trabajo";
    WorkingLayerHelp => "The document being edited: File ▸ Save writes it", "El documento que se edita: Archivo ▸ Guardar lo escribe";
    FeatureCount => "{} features", "{} elementos";
    Zoom => "Zoom to", "Encuadrar";
    ReadOnly => "read-only", "solo lectura";
    LeftOut => "{} unreadable, kept as written", "{} ilegibles, conservados tal cual";
    MergeIntoWorking => "Merge…", "Fusionar…";
    MergeHelp => "Merge this layer into the working layer: review matches first", "Fusionar esta capa con la capa de trabajo: primero se revisan las coincidencias";
    ProblemsCount => "{} problems", "{} problemas";
    RemoveLayer => "Remove", "Quitar";
    RemoveLayerHelp => "Remove {} from the map (the file is not touched)", "Quitar {} del mapa (el archivo no se toca)";
    FromLayer => "From layer {} (read-only)", "De la capa {} (solo lectura)";
    MergeTitle => "Merge {} into the working layer", "Fusionar {} con la capa de trabajo";
    MergeExplain => "Features with the same id, or close together with alike names, are proposed as the same strip. Merging keeps both histories: events on both sides are kept once with all their sources.", "Se proponen como la misma pista los elementos con el mismo id, o cercanos y de nombre parecido. Fusionar conserva ambas historias: los eventos de ambos lados se guardan una vez con todas sus fuentes.";
    MatchWithin => "Match within", "Coincidir a menos de";
    NameSimilarity => "Name similarity at least", "Similitud de nombre mínima";
    NameSimilarityHelp => "0 accepts any name, 1 only the same name (accents, case and words like “Pista” ignored). Unnamed features match by distance alone.", "0 acepta cualquier nombre, 1 solo el mismo (sin contar tildes, mayúsculas ni palabras como «Pista»). Los elementos sin nombre coinciden solo por distancia.";
    MatchAgain => "Match again", "Volver a buscar";
    MergeSummary => "{} proposed matches, {} to merge; {} features without a match will be added", "{} coincidencias propuestas, {} para fusionar; se añadirán {} elementos sin coincidencia";
    MergeAll => "Merge all", "Fusionar todas";
    SkipAll => "Skip all", "Omitir todas";
    NoMatches => "No feature of this layer matches one of the working layer.", "Ningún elemento de esta capa coincide con uno de la capa de trabajo.";
    Incoming => "Incoming", "Entrante";
    WorkingSide => "Working layer", "Capa de trabajo";
    MatchedBy => "Matched by", "Coincide por";
    SameId => "the same id", "el mismo id";
    SameIdTooFar => "the same id, but farther apart than the distance limit: kept apart unless you merge them", "el mismo id, pero más lejos que el límite de distancia: se mantienen separados salvo que los una";
    NearAndNamed => "distance and name", "distancia y nombre";
    MetresApart => "{} m apart", "a {} m";
    NamesAlike => "names {} % alike", "nombres {} % parecidos";
    EventsBothSides => "{} in the working layer, {} incoming, {} on both", "{} en la capa de trabajo, {} entrantes, {} en ambas";
    MergeThem => "Merge", "Fusionar";
    KeepBoth => "Keep both", "Conservar ambas";
    SkipIt => "Skip", "Omitir";
    ConflictsPick => "Different values: pick the one to keep", "Valores distintos: elija el que se conserva";
    AddedUnmatched => "Added as new features (no match):", "Se añaden como elementos nuevos (sin coincidencia):";
    ApplyMerge => "Apply merge", "Aplicar fusión";
    ConnectMenu => "Connect to database…", "Conectar a base de datos…";
    SyncMenu => "Sync with database", "Sincronizar con la base de datos";
    ConnectTitle => "Connect to a PostGIS database", "Conectar a una base de datos PostGIS";
    ImportCsvTitle => "Import {}", "Importar {}";
    ImportEncoding => "Encoding", "Codificación";
    ImportSeparator => "Separator", "Separador";
    ImportTab => "Tab", "Tabulador";
    ImportDecimalComma => "Decimal comma (12,5)", "Coma decimal (12,5)";
    ImportLocations => "Locations", "Ubicaciones";
    ImportLonLat => "Longitude and latitude columns", "Columnas de longitud y latitud";
    ImportLongitude => "Longitude", "Longitud";
    ImportLatitude => "Latitude", "Latitud";
    ImportWkt => "A WKT column (points, runways, areas)", "Una columna WKT (puntos, pistas, áreas)";
    ImportPair => "One column with both coordinates", "Una columna con ambas coordenadas";
    ImportNoLocations => "No locations", "Sin ubicaciones";
    ImportId => "Id column", "Columna de id";
    ImportNone => "(none: Pistas numbers the rows)", "(ninguna: Pistas numera las filas)";
    ImportOwnStrips => "A strips CSV written by Pistas: status and counts are recomputed from the histories.", "Un CSV de pistas escrito por Pistas: el estado y los conteos se recalculan de las historias.";
    ImportOwnEvents => "An events CSV written by Pistas: each strip's history is rebuilt at its point.", "Un CSV de eventos escrito por Pistas: la historia de cada pista se rehace en su punto.";
    ImportEventsFrom => "Read the histories from {}", "Leer las historias de {}";
    ImportFirstRows => "First rows of {}", "Primeras filas de {}";
    ImportButton => "Import", "Importar";
    ImportName => "Name column", "Columna de nombre";
    ImportNoName => "(none)", "(ninguna)";
    ImportLayerTitle => "Choose a layer", "Elegir una capa";
    ImportChooseLayer => "{} has several layers; Pistas reads one.", "{} tiene varias capas; Pistas lee una.";
    ImportFeatures => "{} features", "{} elementos";
    ConnectHelp => "A libpq connection string: host=… dbname=… user=… sslmode=…, or postgresql://user@host/db. The password is never saved: it comes from this field, PGPASSWORD or ~/.pgpass.", "Una cadena de conexión libpq: host=… dbname=… user=… sslmode=…, o postgresql://usuario@servidor/bd. La contraseña nunca se guarda: viene de este campo, de PGPASSWORD o de ~/.pgpass.";
    ConnectUrl => "Database", "Base de datos";
    ConnectEmpty => "Give the database's connection string first.", "Escriba primero la cadena de conexión de la base de datos.";
    ConnectPassword => "Password", "Contraseña";
    ConnectPasswordHint => "empty: PGPASSWORD or ~/.pgpass", "vacío: PGPASSWORD o ~/.pgpass";
    ConnectMerges => "The working layer becomes a database layer: its strips and the database's are merged, edits stay here until each sync, and a sync runs every minute.", "La capa de trabajo pasa a ser una capa de base de datos: sus pistas y las de la base se fusionan, los cambios quedan aquí hasta cada sincronización, que corre cada minuto.";
    ConnectButton => "Connect and sync", "Conectar y sincronizar";
    NotConnected => "The working layer is not connected to a database: File ▸ Connect to database…", "La capa de trabajo no está conectada a una base de datos: Archivo ▸ Conectar a base de datos…";
    SyncedNotice => "Synced: sent {}, received {}", "Sincronizado: enviadas {}, recibidas {}";
    SyncFailed => "The sync did not complete; nothing changed here or in the database", "La sincronización no terminó; nada cambió aquí ni en la base de datos";
    SyncReading => "Syncing…", "Sincronizando…";
    SyncOffline => "Not synced (changes stay here until the next sync)", "Sin sincronizar (los cambios quedan aquí hasta la próxima)";
    SyncMerging => "Merging {} strips…", "Fusionando {} pistas…";
    SyncWriting => "Sending {} strips…", "Enviando {} pistas…";
    SyncNow => "Sync now", "Sincronizar ahora";
    LastSyncButton => "Last sync {}…", "Última sincronización {}…";
    SyncReportTitle => "Sync at {}", "Sincronización de las {}";
    SyncNothing => "Nothing changed on either side.", "Nada cambió en ningún lado.";
    SyncSentTo => "Sent", "Enviada";
    SyncReceivedFrom => "Received", "Recibida";
    SyncResolved => "Resolved", "Resuelto";
    SyncAdded => "added", "añadida";
    SyncChanged => "changed", "cambiada";
    SyncDeleted => "deleted", "borrada";
    SyncEvents => "events: {}", "eventos: {}";
    SyncEventsAdded => "{} added", "{} añadidos";
    SyncEventsChanged => "{} changed", "{} cambiados";
    SyncEventsDeleted => "{} deleted", "{} borrados";
    SyncBackup => "The document as it was before this sync is kept in:", "El documento tal como estaba antes de esta sincronización se guardó en:";
    SyncBackupFailed => "No copy of the document before the sync could be kept: {}", "No se pudo guardar una copia del documento anterior a la sincronización: {}";
    SyncStateNotStored => "What the last sync left could not be stored beside the file; the next sync compares with an older state", "Lo que dejó la última sincronización no se pudo guardar junto al archivo; la próxima sincronización compara con un estado anterior";
    LinkedTo => "Synced with {}", "Sincronizada con {}";
    ConflictsButton => "Conflicts to review: {}", "Conflictos por revisar: {}";
    ConflictsTitle => "Sync conflicts", "Conflictos de sincronización";
    ConflictsHelp => "You and someone else changed the same thing. Until you pick, these strips change on neither side.", "Usted y otra persona cambiaron lo mismo. Hasta que elija, estas pistas no cambian en ningún lado.";
    ConflictsKept => "The side not kept stays in the database's history table: nothing is lost.", "El lado no elegido queda en la tabla de historial de la base: nada se pierde.";
    ConflictExistence => "the strip (deleted on one side)", "la pista (borrada en un lado)";
    ConflictGeometry => "geometry", "geometría";
    ConflictEvent => "event", "evento";
    Mine => "Mine", "Mío";
    Theirs => "Theirs", "De la otra persona";
    AllMine => "All mine", "Todo lo mío";
    AllTheirs => "All theirs", "Todo lo de la otra persona";
    ResolveAndSync => "Keep these and sync", "Conservar esto y sincronizar";
    Later => "Later", "Más tarde";

    MergeUndo => "The whole merge is one step: Undo takes it back.", "Toda la fusión es un paso: Deshacer la revierte.";
    MergedNotice => "Merged {}: {} merged, {} added", "Fusionado {}: {} fusionadas, {} añadidas";
    ExportTitle => "Export", "Exportar";
    ExportLayer => "Layer", "Capa";
    ExportWhich => "Features", "Elementos";
    ScopeAll => "All ({})", "Todos ({})";
    ScopeFiltered => "Those passing the filters ({})", "Los que pasan los filtros ({})";
    ScopeSelected => "The selected one ({})", "El seleccionado ({})";
    ExportFormat => "Format", "Formato";
    StatusComputedOn => "Status computed on", "Estado calculado al";
    TimelineDate => "the timeline date ({})", "la fecha de la línea de tiempo ({})";
    OtherDate => "another date", "otra fecha";
    BadDayText => "Write the date as YYYY-MM-DD.", "Escriba la fecha como AAAA-MM-DD.";
    RoundCoordinates => "Round to", "Redondear a";
    Decimals => "decimals", "decimales";
    DecimalsHelp => "5 decimals is about 1 m, 4 about 11 m, 3 about 110 m", "5 decimales son cerca de 1 m, 4 unos 11 m, 3 unos 110 m";
    ExportRemembered => "These choices are remembered for the next export.", "Estas opciones se recuerdan para la próxima exportación.";
    ExportButton => "Export…", "Exportar…";
    ExportMapPng => "Export map as PNG…", "Exportar mapa como PNG…";
    MapPngSaved => "Map saved as {}", "Mapa guardado como {}";
    OpenProject => "Open project…", "Abrir proyecto…";
    SaveProject => "Save project as…", "Guardar proyecto como…";
    SaveWorkingFirst => "Save the working layer to a file first: a project refers to its layers by file.", "Guarde primero la capa de trabajo en un archivo: un proyecto se refiere a sus capas por archivo.";
    ProjectSaved => "Project saved as {}", "Proyecto guardado como {}";
    LayerImported => "Imported {}", "Importado {}";
    EventsLabel => "Events", "Eventos";
    PageOf => "page {} of {}", "página {} de {}";
    PreviousPage => "Previous page", "Página anterior";
    NextPage => "Next page", "Página siguiente";
}

impl Lang {
    /// The same language for stories, whose words hold the names of statuses, event types
    /// and confidences for the window too.
    pub fn story(self) -> crate::story::Lang {
        match self {
            Lang::En => crate::story::Lang::En,
            Lang::Es => crate::story::Lang::Es,
        }
    }

    /// Fills the `{}` of a template in order.
    pub fn fill(self, key: T, values: &[&str]) -> String {
        crate::story::words::fill_template(self.t(key), values)
    }

    /// A decimal number as the language writes it ("14,5" in Spanish).
    pub fn decimal(self, value: f64, places: usize) -> String {
        self.story().decimal(value, places)
    }

    /// A count with its thousands grouped.
    pub fn number(self, n: usize) -> String {
        self.story().count(n as u64)
    }

    pub fn status(self, status: Status) -> &'static str {
        self.story().status(status)
    }

    pub fn event(self, kind: EventType) -> &'static str {
        self.story().event(kind)
    }

    pub fn geometry(self, kind: GeometryKind) -> &'static str {
        match (self, kind) {
            (Lang::Es, GeometryKind::Point) => "Punto",
            (Lang::Es, GeometryKind::LineString) => "Línea",
            (Lang::Es, GeometryKind::Polygon) => "Polígono",
            (Lang::Es, GeometryKind::MultiPoint) => "Multipunto",
            (Lang::Es, GeometryKind::MultiLineString) => "Multilínea",
            (Lang::Es, GeometryKind::MultiPolygon) => "Multipolígono",
            (Lang::Es, GeometryKind::GeometryCollection) => "Colección de geometrías",
            (_, kind) => kind.as_str(),
        }
    }

    pub fn confidence(self, c: Confidence) -> &'static str {
        self.story().confidence(c)
    }

    pub fn format(self, f: Format) -> &'static str {
        match (self, f) {
            (Lang::En, Format::GeoJson) => "Pistas GeoJSON…",
            (Lang::En, Format::StripsCsv) => "Strips CSV…",
            (Lang::En, Format::EventsCsv) => "Events CSV…",
            (Lang::En, Format::EventsGeoJson) => "Events as points (GeoJSON)…",
            (Lang::En, Format::Kml) => "KML (Google Earth)…",
            (Lang::En, Format::GeoPackage) => "GeoPackage (QGIS: strips and events)…",
            (Lang::En, Format::FlatGeobuf) => "FlatGeobuf of strips…",
            (Lang::En, Format::EventsFlatGeobuf) => "FlatGeobuf of events as points…",
            (Lang::Es, Format::GeoJson) => "GeoJSON de Pistas…",
            (Lang::Es, Format::StripsCsv) => "CSV de pistas…",
            (Lang::Es, Format::EventsCsv) => "CSV de eventos…",
            (Lang::Es, Format::EventsGeoJson) => "Eventos como puntos (GeoJSON)…",
            (Lang::Es, Format::Kml) => "KML (Google Earth)…",
            (Lang::Es, Format::GeoPackage) => "GeoPackage (QGIS: pistas y eventos)…",
            (Lang::Es, Format::FlatGeobuf) => "FlatGeobuf de pistas…",
            (Lang::Es, Format::EventsFlatGeobuf) => "FlatGeobuf de eventos como puntos…",
        }
    }

    /// A labelled choice of confidence; `none` names the empty choice.
    pub fn confidence_combo(
        self,
        ui: &mut egui::Ui,
        id: &str,
        value: &mut Option<Confidence>,
        none: T,
    ) {
        let label = ui.label(self.t(T::Confidence));
        egui::ComboBox::from_id_salt(id)
            .selected_text(value.map_or(self.t(none), |c| self.confidence(c)))
            .show_ui(ui, |ui| {
                ui.selectable_value(value, None, self.t(none));
                for c in Confidence::ALL {
                    ui.selectable_value(value, Some(c), self.confidence(c));
                }
            })
            .response
            .labelled_by(label.id);
    }

    /// "never", "once", "twice", "3 times".
    pub fn times(self, n: usize) -> String {
        match (self, n) {
            (Lang::En, 0) => "never".to_owned(),
            (Lang::En, 1) => "once".to_owned(),
            (Lang::En, 2) => "twice".to_owned(),
            (Lang::En, n) => format!("{n} times"),
            (Lang::Es, 0) => "nunca".to_owned(),
            (Lang::Es, 1) => "una vez".to_owned(),
            (Lang::Es, n) => format!("{n} veces"),
        }
    }
}

#[cfg(test)]
mod tests;
