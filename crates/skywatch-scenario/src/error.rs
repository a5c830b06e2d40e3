use std::path::{Path, PathBuf};

/// An error reading or writing a scenario file. Always names the file, and the line
/// where there is one.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: unsupported format {found:?} (this reader understands \"{}\")", path.display(), crate::FORMAT_V1)]
    UnknownFormat { path: PathBuf, found: String },
    #[error("{}: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {what}", path.display())]
    Invalid { path: PathBuf, what: String },
    #[error("{}:{line}: {kind}", path.display())]
    Line {
        path: PathBuf,
        line: u64,
        kind: LineError,
    },
}

impl Error {
    pub fn line(path: &Path, line: u64, kind: LineError) -> Error {
        Error::Line {
            path: path.to_path_buf(),
            line,
            kind,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The line-level error, if this is one (a live service counts these and goes on).
    pub fn line_error(&self) -> Option<&LineError> {
        match self {
            Error::Line { kind, .. } => Some(kind),
            _ => None,
        }
    }
}

/// What is wrong with one line.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("not a valid record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{kind} report: missing field `{field}`")]
    Missing {
        kind: &'static str,
        field: &'static str,
    },
    #[error("field `{field}` = {value} is out of range [{lo}, {hi}]")]
    OutOfRange {
        field: &'static str,
        value: f64,
        lo: f64,
        hi: f64,
    },
    #[error("field `{field}` is not a finite number")]
    NotFinite { field: &'static str },
    #[error("unknown report kind {0:?} (expected radar, bearing, position or adsb)")]
    UnknownKind(String),
    #[error("sensor {0:?} is not in scenario.json (needed for its position)")]
    UnknownSensor(String),
    #[error("rx {rx} is before t {t}")]
    RxBeforeT { t: f64, rx: f64 },
    #[error("field `{field}` = {value} goes back from {prev}: the file must be ordered by it")]
    OutOfOrder {
        field: &'static str,
        prev: f64,
        value: f64,
    },
    #[error("field `icao` = {0:?} is not 6 hex digits")]
    BadIcao(String),
    #[error("field `{field}` = {value:?} is not one of {allowed}")]
    BadEnum {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
}
