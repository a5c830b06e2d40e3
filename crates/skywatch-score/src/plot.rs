//! A picture of a scored run: a map of truth paths against track paths (with warned
//! areas shaded when there are alerts) beside GOSPA, missed and false counts over time.
//!
//! Text is drawn with DejaVu Sans compiled into the binary (`assets/fonts`), so plots
//! render the same on a bare CI machine as on a desktop: no system fonts are read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use skywatch_model::TruthClass;

use crate::{LoadedRun, Point2, Score, ScoreError};

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded font is a known-good file; if it were not, plotters would fall
        // back to failing at the first text, which `render` reports as an error.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// Size of the picture.
///
/// # Units
/// Pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotConfig {
    pub width: u32,
    pub height: u32,
}

impl Default for PlotConfig {
    fn default() -> Self {
        PlotConfig {
            width: 1800,
            height: 900,
        }
    }
}

fn class_colour(c: TruthClass) -> RGBColor {
    match c {
        TruthClass::Drone => RGBColor(214, 39, 40),
        TruthClass::Decoy => RGBColor(255, 127, 14),
        TruthClass::Aircraft => RGBColor(31, 119, 180),
        TruthClass::Bird => RGBColor(140, 140, 140),
    }
}

const TRACK_COLOUR: RGBColor = RGBColor(20, 20, 20);
/// Track lines are drawn see-through, so that hundreds of them still show the truth
/// underneath.
const TRACK_ALPHA: f64 = 0.45;
/// A track moving further than this in one second is drawn as a new line.
const MAX_JUMP_KM: f64 = 3.0;
/// Window of the running mean drawn over the per-second GOSPA.
const GOSPA_MEAN_WINDOW: usize = 60;
const AREA_COLOUR: RGBColor = RGBColor(255, 215, 0);

/// Polylines (in km) of everything drawn on the map.
struct MapData {
    truth: Vec<(TruthClass, Vec<(f64, f64)>)>,
    tracks: Vec<Vec<(f64, f64)>>,
    areas: Vec<Vec<(f64, f64)>>,
}

fn km(p: Point2) -> (f64, f64) {
    (p[0] / 1000.0, p[1] / 1000.0)
}

fn map_data(run: &LoadedRun, score: &Score) -> MapData {
    // Keep at most ~2000 vertices per truth path: plenty for a picture.
    let truth = run
        .paths
        .iter()
        .filter(|p| !p.samples.is_empty())
        .map(|p| {
            let every = (p.samples.len() / 2000).max(1);
            let mut pts: Vec<(f64, f64)> = p
                .samples
                .iter()
                .step_by(every)
                .map(|s| km(run.to_plane(s.lat, s.lon, s.alt_m)))
                .collect();
            if let Some(s) = p.samples.last() {
                pts.push(km(run.to_plane(s.lat, s.lon, s.alt_m)));
            }
            (p.class, pts)
        })
        .collect();
    // Track paths: split where a track skips a second, so gaps show as gaps.
    let mut open: BTreeMap<u64, (usize, Vec<(f64, f64)>)> = BTreeMap::new();
    let mut tracks = Vec::new();
    for (step, ts) in run.tracks_by_step.iter().enumerate() {
        for &(key, p) in ts {
            let e = open.entry(key).or_insert_with(|| (step, Vec::new()));
            // A jump no aircraft makes in a second is an id reused elsewhere: don't draw
            // a line across the map for it.
            let jumped = e.1.last().is_some_and(|&(x, y)| {
                let (nx, ny) = km(p);
                (nx - x).hypot(ny - y) > MAX_JUMP_KM
            });
            if (e.0 + 1 < step || jumped) && !e.1.is_empty() {
                tracks.push(std::mem::take(&mut e.1));
            }
            e.0 = step;
            e.1.push(km(p));
        }
    }
    tracks.extend(open.into_values().map(|(_, v)| v));
    let mut areas = Vec::new();
    if let (Some(w), Some(set)) = (&score.warning, &run.areas) {
        let warned: BTreeSet<&str> = w.intervals.iter().map(|iv| iv.area.as_str()).collect();
        for code in warned {
            let Some(id) = set.by_code(code) else {
                continue;
            };
            for poly in &set.get(id).shape.0 {
                areas.push(
                    poly.exterior()
                        .coords()
                        .map(|c| km(run.to_plane(c.y, c.x, 0.0)))
                        .collect(),
                );
            }
        }
    }
    MapData {
        truth,
        tracks,
        areas,
    }
}

fn bounds(data: &MapData) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(x, y) in data
        .truth
        .iter()
        .flat_map(|(_, v)| v)
        .chain(data.tracks.iter().flatten())
    {
        if x.is_finite() && y.is_finite() {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if !x0.is_finite() {
        return (-10.0..10.0, -10.0..10.0);
    }
    // Square, with a margin, so that the map is not distorted.
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let half = ((x1 - x0).max(y1 - y0) / 2.0 * 1.08).max(1.0);
    (cx - half..cx + half, cy - half..cy + half)
}

type DrawResult = Result<(), String>;

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    run: &LoadedRun,
    score: &Score,
) -> DrawResult {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let (left, right) = root.split_horizontally(h.min(w / 2));
    let font = |size: u32| (FAMILY, size).into_font();

    // Map panel.
    let data = map_data(run, score);
    let (xr, yr) = bounds(&data);
    let t = &score.tracking;
    let mut map = ChartBuilder::on(&left)
        .caption(format!("{}: truth vs tracks", score.scenario), font(26))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(xr, yr)
        .map_err(err)?;
    map.configure_mesh()
        .x_desc("east (km)")
        .y_desc("north (km)")
        .label_style(font(15))
        .axis_desc_style(font(17))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(err)?;
    let mut first_area = true;
    for poly in &data.areas {
        let s = map
            .draw_series(std::iter::once(Polygon::new(
                poly.clone(),
                AREA_COLOUR.mix(0.35).filled(),
            )))
            .map_err(err)?;
        if first_area {
            s.label("warned area").legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 18, y + 6)], AREA_COLOUR.mix(0.5).filled())
            });
            first_area = false;
        }
        map.draw_series(std::iter::once(PathElement::new(
            poly.clone(),
            AREA_COLOUR.mix(0.9),
        )))
        .map_err(err)?;
    }
    let mut labelled: BTreeSet<&str> = BTreeSet::new();
    for (class, pts) in &data.truth {
        let colour = class_colour(*class);
        let s = map
            .draw_series(std::iter::once(PathElement::new(
                pts.clone(),
                colour.stroke_width(4),
            )))
            .map_err(err)?;
        if labelled.insert(class.as_str()) {
            s.label(format!("truth: {}", class.as_str()))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(4))
                });
        }
    }
    let mut first_track = true;
    for pts in &data.tracks {
        let s = if pts.len() == 1 {
            map.draw_series(std::iter::once(Circle::new(
                pts[0],
                1,
                TRACK_COLOUR.mix(TRACK_ALPHA).filled(),
            )))
            .map_err(err)?
        } else {
            map.draw_series(std::iter::once(PathElement::new(
                pts.clone(),
                TRACK_COLOUR.mix(TRACK_ALPHA).stroke_width(1),
            )))
            .map_err(err)?
        };
        if first_track {
            s.label("tracks").legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], TRACK_COLOUR.stroke_width(1))
            });
            first_track = false;
        }
    }
    map.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(font(16))
        .draw()
        .map_err(err)?;

    // Time panels: GOSPA on top, counts below.
    let (top, bottom) = right.split_vertically(h / 2);
    let t_end = (t.series.len().max(2) - 1) as f64;
    let g_max = t
        .series
        .iter()
        .map(|s| s.gospa)
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.1;
    let mut g = ChartBuilder::on(&top)
        .caption(
            format!(
                "GOSPA (c = {} m): mean {:.0} m, RMS assigned {:.0} m, {} ID switches",
                t.c_m, t.mean_gospa_m, t.rms_distance_m, t.id_switches
            ),
            font(20),
        )
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..t_end, 0.0..g_max)
        .map_err(err)?;
    g.configure_mesh()
        .y_desc("GOSPA (m)")
        .label_style(font(15))
        .axis_desc_style(font(17))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(err)?;
    g.draw_series(std::iter::once(PathElement::new(
        t.series.iter().map(|s| (s.t, s.gospa)).collect::<Vec<_>>(),
        RGBColor(150, 150, 150).stroke_width(1),
    )))
    .map_err(err)?
    .label("per second")
    .legend(|(x, y)| {
        PathElement::new(
            vec![(x, y), (x + 18, y)],
            RGBColor(150, 150, 150).stroke_width(1),
        )
    });
    let w = GOSPA_MEAN_WINDOW.min(t.series.len().max(1));
    let mut acc = 0.0;
    let mut smooth = Vec::with_capacity(t.series.len());
    for (k, s) in t.series.iter().enumerate() {
        acc += s.gospa;
        if k >= w {
            acc -= t.series[k - w].gospa;
        }
        smooth.push((s.t, acc / (k + 1).min(w) as f64));
    }
    g.draw_series(std::iter::once(PathElement::new(
        smooth,
        BLACK.stroke_width(2),
    )))
    .map_err(err)?
    .label(format!("{GOSPA_MEAN_WINDOW} s running mean"))
    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2)));
    g.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(font(16))
        .draw()
        .map_err(err)?;

    let n_max = t
        .series
        .iter()
        .map(|s| s.truth.max(s.tracks))
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 1.1;
    let mut c = ChartBuilder::on(&bottom)
        .caption(
            format!(
                "per second: mean missed {:.2}, mean false {:.2}",
                t.mean_missed, t.mean_false
            ),
            font(20),
        )
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..t_end, 0.0..n_max)
        .map_err(err)?;
    c.configure_mesh()
        .x_desc("scenario time (s)")
        .y_desc("objects")
        .label_style(font(15))
        .axis_desc_style(font(17))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(err)?;
    type CountOf = fn(&crate::StepFigures) -> usize;
    let series: [(&str, RGBColor, CountOf); 4] = [
        ("truth (observed)", RGBColor(150, 150, 150), |s| s.truth),
        ("tracks", TRACK_COLOUR, |s| s.tracks),
        ("missed", RGBColor(214, 39, 40), |s| s.missed),
        ("false", RGBColor(31, 119, 180), |s| s.false_tracks),
    ];
    for (name, colour, f) in series {
        c.draw_series(std::iter::once(PathElement::new(
            t.series
                .iter()
                .map(|s| (s.t, f(s) as f64))
                .collect::<Vec<_>>(),
            colour.stroke_width(2),
        )))
        .map_err(err)?
        .label(name)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(font(16))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// Draws a scored run to `path`: SVG if the name ends in `.svg`, PNG otherwise.
pub fn render(
    run: &LoadedRun,
    score: &Score,
    path: &Path,
    cfg: &PlotConfig,
) -> Result<(), ScoreError> {
    register_font();
    let size = (cfg.width, cfg.height);
    let svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let result = if svg {
        draw(SVGBackend::new(path, size).into_drawing_area(), run, score)
    } else {
        draw(
            BitMapBackend::new(path, size).into_drawing_area(),
            run,
            score,
        )
    };
    result.map_err(|what| ScoreError::Plot {
        path: path.to_path_buf(),
        what,
    })
}
