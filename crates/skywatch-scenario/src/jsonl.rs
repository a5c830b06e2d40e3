use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, LineError};

/// Streams a JSON-lines file one record at a time. Blank lines are skipped. Items are
/// `(1-based line number, record)`; a bad line yields an error naming file and line, and
/// the reader carries on with the next line if asked for more.
pub struct JsonlReader<T> {
    path: PathBuf,
    reader: Box<dyn BufRead + Send>,
    buf: String,
    line: u64,
    done: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonlReader<T> {
    pub fn open(path: &Path) -> Result<Self, Error> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::from_reader(path, file))
    }

    /// Reads from any source; `path` is only used to name it in errors.
    pub fn from_reader(path: &Path, reader: impl Read + Send + 'static) -> Self {
        JsonlReader {
            path: path.to_path_buf(),
            reader: Box::new(BufReader::with_capacity(1 << 16, reader)),
            buf: String::new(),
            line: 0,
            done: false,
            _t: PhantomData,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl<T: DeserializeOwned> Iterator for JsonlReader<T> {
    type Item = Result<(u64, T), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_line(&mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let text = self.buf.trim();
                    if text.is_empty() {
                        continue;
                    }
                    return Some(
                        serde_json::from_str::<T>(text)
                            .map(|r| (self.line, r))
                            .map_err(|e| Error::line(&self.path, self.line, LineError::Json(e))),
                    );
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::io(&self.path, e)));
                }
            }
        }
        None
    }
}

/// Writes records as JSON lines through a buffer. Call [`JsonlWriter::finish`] to flush
/// and see any error (dropping it flushes too, but swallows errors).
pub struct JsonlWriter<T> {
    path: PathBuf,
    out: BufWriter<Box<dyn Write + Send>>,
    count: u64,
    _t: PhantomData<fn(&T)>,
}

impl<T: Serialize> JsonlWriter<T> {
    pub fn create(path: &Path) -> Result<Self, Error> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::to_writer(path, file))
    }

    pub fn to_writer(path: &Path, w: impl Write + Send + 'static) -> Self {
        JsonlWriter {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 16, Box::new(w)),
            count: 0,
            _t: PhantomData,
        }
    }

    pub fn write(&mut self, record: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut self.out, record).map_err(|e| Error::Json {
            path: self.path.clone(),
            source: e,
        })?;
        self.out
            .write_all(b"\n")
            .map_err(|e| Error::io(&self.path, e))?;
        self.count += 1;
        Ok(())
    }

    /// Records written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn finish(mut self) -> Result<u64, Error> {
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.count)
    }
}
