//! `skywatch demo`: the main job on embedded defaults, for a newcomer's first command.
//! Simulates the DMZ incursion of 26 Dec 2022 (spec embedded in the binary), replays it
//! through the tracker and the warning engine (tracks, alerts, CAP messages), scores it
//! against truth and draws the picture.

use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use skywatch_score::{LoadedRun, ScoreConfig, plot};
use skywatch_sim::Spec;
use skywatch_warn::PolicyKind;

use crate::cmd_replay;
use crate::cmd_sim::Bar;

/// The shipped DMZ incursion spec, embedded so the demo needs no files.
const DMZ_SPEC: &str = include_str!("../../../scenarios/dmz-incursion.toml");

#[derive(clap::Args)]
pub struct Args {
    /// Where to put the scenario, the run and the picture.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Use this spec instead of the embedded DMZ incursion.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    let (text, name) = match &args.spec {
        Some(p) => (
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            p.file_stem().map_or_else(
                || "scenario".to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
        ),
        None => (DMZ_SPEC.to_string(), "dmz".to_string()),
    };
    let spec = Spec::from_toml(&text).context("parsing the scenario spec")?;
    let scenario_dir = args.out.join(&name);
    let run_dir = args.out.join(format!("{name}-run"));
    let picture = args.out.join(format!("{name}-score.png"));

    println!("1/3 simulating {name} into {}", scenario_dir.display());
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} sim [{elapsed_precise}] {wide_bar} {pos}/{len} s {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let sim = skywatch_sim::generate(&spec, spec.seed, &scenario_dir, &mut Bar(bar))
        .context("simulating")?;
    println!(
        "    {} reports, {} truth lines",
        sim.counts.total, sim.truth_lines
    );

    println!(
        "2/3 replaying through tracker and warning engine into {}",
        run_dir.display()
    );
    let replay_args = cmd_replay::Args {
        scenario: scenario_dir.clone(),
        out: run_dir.clone(),
        config: None,
        areas: None,
        warn_config: None,
        policy: PolicyKind::Predictive,
        perfect_tracks: false,
        no_alerts: false,
        all_tracks: false,
        forecasts: false,
        no_score: true,
        quiet: args.quiet,
    };
    let summary = cmd_replay::replay(&replay_args)?;
    cmd_replay::print_summary(&summary);

    println!("3/3 scoring against truth");
    let loaded = LoadedRun::load(&scenario_dir, &run_dir).context("reading the run for scoring")?;
    let score = loaded.score(&ScoreConfig::default());
    print!("{score}");
    plot::render(&loaded, &score, &picture, &plot::PlotConfig::default())?;
    println!("picture: {}", picture.display());
    println!(
        "CAP messages and Atom feed: {}",
        run_dir.join("cap").display()
    );
    Ok(())
}
