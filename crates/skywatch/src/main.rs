//! `skywatch`: the one binary. It only parses arguments, sets up logging and calls into
//! the library crates; each subcommand lives in its own module.

use clap::{Parser, Subcommand};

mod alerts_out;
mod cmd_demo;
mod cmd_latency;
mod cmd_replay;
mod cmd_score;
mod cmd_sim;
mod truth_feed;

#[derive(Parser)]
#[command(
    name = "skywatch",
    version,
    about = "Airspace early warning: simulate, track, warn, score."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job on embedded defaults: simulate the DMZ incursion, replay it through
    /// tracker and warning engine, score it and draw the picture.
    Demo(cmd_demo::Args),
    /// Simulate a scenario from a spec (TOML) into a scenario directory.
    Sim(cmd_sim::Args),
    /// Run the tracker (and warning engine) over a recorded scenario, causally.
    Replay(cmd_replay::Args),
    /// Score a run against a scenario's truth.
    Score(cmd_score::Args),
    /// Benchmark: report-in to CAP-out latency, replaying a scenario at wall-clock pace
    /// through tracker, warning engine and CAP.
    BenchLatency(cmd_latency::Args),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => cmd_demo::run(args),
        Command::Sim(args) => cmd_sim::run(args),
        Command::Replay(args) => cmd_replay::run(args),
        Command::Score(args) => cmd_score::run(args),
        Command::BenchLatency(args) => cmd_latency::run(args),
    }
}
