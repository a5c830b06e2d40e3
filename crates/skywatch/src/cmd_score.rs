//! `skywatch score`: scores a run directory against a scenario directory.

use std::path::PathBuf;

use anyhow::Context;
use skywatch_score::{LoadedRun, ScoreConfig, plot};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario directory (scenario.json, reports.jsonl, truth.jsonl, labels.jsonl,
    /// optional areas.geojson).
    pub scenario: PathBuf,
    /// Run directory (tracks.jsonl, optional alerts.jsonl).
    pub run: PathBuf,
    /// Print the full score (with per-second series and per-incursion details) as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also draw the run: map of truth vs tracks and GOSPA over time (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    let loaded = LoadedRun::load(&args.scenario, &args.run).with_context(|| {
        format!(
            "reading scenario {} and run {}",
            args.scenario.display(),
            args.run.display()
        )
    })?;
    let score = loaded.score(&ScoreConfig::default());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&score)?);
    } else {
        print!("{score}");
    }
    if let Some(path) = &args.plot {
        plot::render(&loaded, &score, path, &plot::PlotConfig::default())?;
        tracing::info!(path = %path.display(), "Plot written.");
    }
    Ok(())
}
