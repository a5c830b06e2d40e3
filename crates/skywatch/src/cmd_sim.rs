//! `skywatch sim SPEC.toml --out DIR [--seed N]`: simulate a scenario directory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use skywatch_sim::{Progress, Spec};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario spec (TOML), e.g. `scenarios/dmz-incursion.toml`.
    pub spec: PathBuf,
    /// Output scenario directory (created if missing; its scenario files are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed; defaults to the spec's `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// No progress bar (logs only).
    #[arg(long)]
    pub quiet: bool,
}

/// Draws the simulation's progress in scenario seconds.
pub(crate) struct Bar(pub(crate) ProgressBar);

impl Progress for Bar {
    fn start(&mut self, duration_s: f64) {
        self.0.set_length(duration_s.ceil() as u64);
    }
    fn advance(&mut self, t_s: f64, reports_written: u64) {
        self.0.set_position(t_s as u64);
        // Updating the message every second of scenario time is cheap; the bar itself
        // redraws at a fixed rate.
        self.0.set_message(format!("{reports_written} reports"));
    }
    fn finish(&mut self) {
        self.0.finish_and_clear();
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.spec)
        .with_context(|| format!("reading {}", args.spec.display()))?;
    let spec = Spec::from_toml(&text).with_context(|| format!("in {}", args.spec.display()))?;
    let seed = args.seed.unwrap_or(spec.seed);
    tracing::info!(spec = %args.spec.display(), seed, out = %args.out.display(), "Simulating.");
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} sim [{elapsed_precise}] {wide_bar} {pos}/{len} s ({eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let summary =
        skywatch_sim::generate(&spec, seed, &args.out, &mut Bar(bar)).with_context(|| {
            format!(
                "simulating {} into {}",
                args.spec.display(),
                args.out.display()
            )
        })?;
    let secs = started.elapsed().as_secs_f64();
    let bytes = dir_bytes(&args.out);
    let by_source: Vec<String> = summary
        .counts
        .by_source
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let objects: Vec<String> = summary
        .objects_by_class
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    tracing::info!(
        max_buffered = summary.counts.max_buffered,
        truth_lines = summary.truth_lines,
        "Done."
    );
    println!(
        "sim {}: {} reports ({}; unlabelled={}), objects {}, {} sensors, {} truth lines, {:.1} s, {:.1} MB",
        spec.name,
        summary.counts.total,
        by_source.join(" "),
        summary.counts.unlabelled,
        objects.join(" "),
        summary.sensors,
        summary.truth_lines,
        secs,
        bytes as f64 / 1e6
    );
    Ok(())
}
