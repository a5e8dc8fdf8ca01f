//! The peer comparison of `BENCHMARKS.md`: the workloads of domo-actors' criterion benches
//! (the very same code for raw tokio and domo-actors, included from
//! `domo-actors/benches/common/mod.rs`) plus the same workloads on actix, ractor and kameo, all
//! in one run, interleaved repetition by repetition so that drift hits every column alike.
//! raw tokio and domo-actors run twice: on the 2-worker runtime every other column uses, and on
//! a current-thread runtime, the flavour actix's arbiter is.
//!
//! ```text
//! cargo run --release --manifest-path benches/peers/Cargo.toml [-- [--reps N] [--no-memory] [WORKLOAD ...]]
//! ```
//!
//! WORKLOAD is a row id: tell_1m, ask_100k, concurrent_ask_100k, spawn_100k (also gives
//! close_100k), ping_pong_100k, tell_spread_10k, fan_out_in_100k, scatter_gather_100k, memory.
//! Prints a Markdown table of medians and one of ratios to raw tokio (in each row's own metric:
//! rate ratio for rates, time ratio for times).

// The shared module is written for the main workspace's MSRV (1.85), which has no `if let`
// chains; this crate needs a newer toolchain (kameo asks for 1.88), where clippy would have its
// nested `if let`s collapsed into chains the main workspace cannot compile.
#[allow(clippy::collapsible_if)]
#[path = "../../../domo-actors/benches/common/mod.rs"]
mod common;

mod actix_impl;
mod kameo_impl;
mod ractor_impl;

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use common::{Workload, domo, raw};
use tokio::runtime::Runtime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Framework {
    RawTokio,
    Domo,
    /// Raw tokio on a current-thread runtime: the flavour actix's arbiter runs on.
    RawTokioOneThread,
    /// domo-actors on a current-thread runtime, for a like-for-like look at actix.
    DomoOneThread,
    Actix,
    Ractor,
    Kameo,
}

const FRAMEWORKS: [Framework; 7] = [
    Framework::RawTokio,
    Framework::Domo,
    Framework::RawTokioOneThread,
    Framework::DomoOneThread,
    Framework::Actix,
    Framework::Ractor,
    Framework::Kameo,
];

impl Framework {
    fn title(self) -> &'static str {
        match self {
            Framework::RawTokio => "raw tokio",
            Framework::Domo => "domo-actors",
            Framework::RawTokioOneThread => "raw tokio, 1 thread",
            Framework::DomoOneThread => "domo-actors, 1 thread",
            Framework::Actix => "actix 0.13",
            Framework::Ractor => "ractor 0.16",
            Framework::Kameo => "kameo 0.22",
        }
    }

    /// Whether this column runs on the current-thread runtime.
    fn one_thread(self) -> bool {
        matches!(
            self,
            Framework::RawTokioOneThread | Framework::DomoOneThread
        )
    }

    fn key(self) -> &'static str {
        match self {
            Framework::RawTokio => "raw_tokio",
            Framework::Domo => "domo",
            Framework::RawTokioOneThread => "raw_tokio_1t",
            Framework::DomoOneThread => "domo_1t",
            Framework::Actix => "actix",
            Framework::Ractor => "ractor",
            Framework::Kameo => "kameo",
        }
    }
}

/// The workloads run here, in order (spawn also measures close; stage start/close is
/// domo-actors' own and stays in its criterion bench).
const RUN: [Workload; 8] = [
    common::TELL,
    common::ASK,
    common::CONCURRENT_ASK,
    common::SPAWN,
    common::PING_PONG,
    common::TELL_SPREAD,
    common::FAN_OUT_IN,
    common::SCATTER_GATHER,
];

/// The runtimes the tokio-based columns run on.
struct Runtimes {
    /// Multi-thread, 2 workers: every column but the "1 thread" ones.
    two_workers: Runtime,
    /// Current-thread: the "1 thread" columns, the flavour actix's arbiter is.
    one_thread: Runtime,
}

/// One repetition of `workload` on `framework`: the rows it measures and their times.
fn run_once(
    runtimes: &Runtimes,
    framework: Framework,
    workload: Workload,
) -> Vec<(&'static str, Duration)> {
    let (runtime, framework) = match framework {
        Framework::RawTokioOneThread => (&runtimes.one_thread, Framework::RawTokio),
        Framework::DomoOneThread => (&runtimes.one_thread, Framework::Domo),
        other => (&runtimes.two_workers, other),
    };
    use common::run;
    use common::{
        ASKS, CONCURRENT_ACTORS as A, CONCURRENT_ASKS as N, CONCURRENT_CALLERS as C, FAN_ACTORS,
        ROUND_TRIPS, SCATTER_ACTORS, SPAWNS, SPREAD_RECEIVERS as R, SPREAD_TELLS as T, TELLS,
    };
    let one = |elapsed: Duration| vec![(workload.id, elapsed)];
    let two = |(spawned, closed): (Duration, Duration)| {
        vec![(common::SPAWN.id, spawned), (common::CLOSE.id, closed)]
    };
    match (framework, workload.id) {
        (Framework::RawTokio, "tell_1m") => one(run(runtime, raw::tell(TELLS))),
        (Framework::RawTokio, "ask_100k") => one(run(runtime, raw::ask(ASKS))),
        (Framework::RawTokio, "concurrent_ask_100k") => {
            one(run(runtime, raw::concurrent_ask(A, C, N)))
        }
        (Framework::RawTokio, "spawn_100k") => two(run(runtime, raw::spawn_then_close(SPAWNS))),
        (Framework::RawTokio, "ping_pong_100k") => one(run(runtime, raw::ping_pong(ROUND_TRIPS))),
        (Framework::RawTokio, "tell_spread_10k") => one(run(runtime, raw::tell_spread(R, T))),
        (Framework::RawTokio, "fan_out_in_100k") => one(run(runtime, raw::fan_out_in(FAN_ACTORS))),
        (Framework::RawTokio, "scatter_gather_100k") => {
            one(run(runtime, raw::scatter_gather(SCATTER_ACTORS)))
        }

        (Framework::Domo, "tell_1m") => one(run(runtime, domo::tell(TELLS))),
        (Framework::Domo, "ask_100k") => one(run(runtime, domo::ask(ASKS))),
        (Framework::Domo, "concurrent_ask_100k") => {
            one(run(runtime, domo::concurrent_ask(A, C, N)))
        }
        (Framework::Domo, "spawn_100k") => two(run(runtime, domo::spawn_then_close(SPAWNS))),
        (Framework::Domo, "ping_pong_100k") => one(run(runtime, domo::ping_pong(ROUND_TRIPS))),
        (Framework::Domo, "tell_spread_10k") => one(run(runtime, domo::tell_spread(R, T))),
        (Framework::Domo, "fan_out_in_100k") => one(run(runtime, domo::fan_out_in(FAN_ACTORS))),
        (Framework::Domo, "scatter_gather_100k") => {
            one(run(runtime, domo::scatter_gather(SCATTER_ACTORS)))
        }

        (Framework::Kameo, "tell_1m") => one(run(runtime, kameo_impl::tell(TELLS))),
        (Framework::Kameo, "ask_100k") => one(run(runtime, kameo_impl::ask(ASKS))),
        (Framework::Kameo, "concurrent_ask_100k") => {
            one(run(runtime, kameo_impl::concurrent_ask(A, C, N)))
        }
        (Framework::Kameo, "spawn_100k") => two(run(runtime, kameo_impl::spawn_then_close(SPAWNS))),
        (Framework::Kameo, "ping_pong_100k") => {
            one(run(runtime, kameo_impl::ping_pong(ROUND_TRIPS)))
        }
        (Framework::Kameo, "tell_spread_10k") => one(run(runtime, kameo_impl::tell_spread(R, T))),
        (Framework::Kameo, "fan_out_in_100k") => {
            one(run(runtime, kameo_impl::fan_out_in(FAN_ACTORS)))
        }
        (Framework::Kameo, "scatter_gather_100k") => {
            one(run(runtime, kameo_impl::scatter_gather(SCATTER_ACTORS)))
        }

        (Framework::Ractor, "tell_1m") => one(run(runtime, ractor_impl::tell(TELLS))),
        (Framework::Ractor, "ask_100k") => one(run(runtime, ractor_impl::ask(ASKS))),
        (Framework::Ractor, "concurrent_ask_100k") => {
            one(run(runtime, ractor_impl::concurrent_ask(A, C, N)))
        }
        (Framework::Ractor, "spawn_100k") => {
            two(run(runtime, ractor_impl::spawn_then_close(SPAWNS)))
        }
        (Framework::Ractor, "ping_pong_100k") => {
            one(run(runtime, ractor_impl::ping_pong(ROUND_TRIPS)))
        }
        (Framework::Ractor, "tell_spread_10k") => one(run(runtime, ractor_impl::tell_spread(R, T))),
        (Framework::Ractor, "fan_out_in_100k") => {
            one(run(runtime, ractor_impl::fan_out_in(FAN_ACTORS)))
        }
        (Framework::Ractor, "scatter_gather_100k") => {
            one(run(runtime, ractor_impl::scatter_gather(SCATTER_ACTORS)))
        }

        (Framework::Actix, "tell_1m") => one(actix_impl::in_system(actix_impl::tell(TELLS))),
        (Framework::Actix, "ask_100k") => one(actix_impl::in_system(actix_impl::ask(ASKS))),
        (Framework::Actix, "concurrent_ask_100k") => {
            one(actix_impl::in_system(actix_impl::concurrent_ask(A, C, N)))
        }
        (Framework::Actix, "spawn_100k") => one(actix_impl::in_system(actix_impl::spawn(SPAWNS))),
        (Framework::Actix, "ping_pong_100k") => {
            one(actix_impl::in_system(actix_impl::ping_pong(ROUND_TRIPS)))
        }
        (Framework::Actix, "tell_spread_10k") => {
            one(actix_impl::in_system(actix_impl::tell_spread(R, T)))
        }
        (Framework::Actix, "fan_out_in_100k") => {
            one(actix_impl::in_system(actix_impl::fan_out_in(FAN_ACTORS)))
        }
        (Framework::Actix, "scatter_gather_100k") => one(actix_impl::in_system(
            actix_impl::scatter_gather(SCATTER_ACTORS),
        )),
        (_, other) => panic!("no workload {other}"),
    }
}

const MEMORY_CHILD: &str = "DOMO_PEERS_MEMORY";

/// In a fresh process: `SPAWNS` idle actors of `framework` (each asked once, after one warm-up
/// actor); prints the growth of resident memory per actor, and exits without tearing down.
fn memory_child(key: &str) -> ! {
    let actors = common::SPAWNS;
    let per_actor = move |before: u64, after: u64| after.saturating_sub(before) / actors as u64;
    let bytes = if key == "actix" {
        actix_impl::in_system(async move {
            drop(actix_impl::idle(1).await);
            let before = common::resident_bytes();
            let counters = actix_impl::idle(actors).await;
            let bytes = per_actor(before, common::resident_bytes());
            std::mem::forget(counters);
            bytes
        })
    } else {
        let runtime = common::runtime();
        let key = key.to_owned();
        common::run(&runtime, async move {
            macro_rules! measure {
                ($idle:expr, $warm:expr) => {{
                    drop($warm.await);
                    let before = common::resident_bytes();
                    let counters = $idle.await;
                    let bytes = per_actor(before, common::resident_bytes());
                    std::mem::forget(counters);
                    bytes
                }};
            }
            match key.as_str() {
                "raw_tokio" => measure!(raw::idle(actors), raw::idle(1)),
                "domo" => {
                    let stage = domo_actors::Stage::new();
                    let bytes = measure!(domo::idle(&stage, actors), domo::idle(&stage, 1));
                    std::mem::forget(stage);
                    bytes
                }
                "kameo" => measure!(kameo_impl::idle(actors), kameo_impl::idle(1)),
                "ractor" => measure!(ractor_impl::idle(actors), ractor_impl::idle(1)),
                other => panic!("no framework {other}"),
            }
        })
    };
    println!("{bytes}");
    std::process::exit(0);
}

/// Median bytes per idle actor over `repetitions` fresh processes.
fn memory(framework: Framework, repetitions: usize) -> u64 {
    let exe = std::env::current_exe().expect("this binary's path");
    let mut samples: Vec<u64> = (0..repetitions)
        .map(|_| {
            let output = Command::new(&exe)
                .env(MEMORY_CHILD, framework.key())
                .output()
                .expect("re-executing the peer bench");
            assert!(
                output.status.success(),
                "{}: {}",
                framework.key(),
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8_lossy(&output.stdout)
                .trim()
                .parse()
                .expect("bytes per actor")
        })
        .collect();
    eprintln!("  memory {}: {samples:?}", framework.title());
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    format!("{cpus} CPUs, {model}")
}

fn main() {
    if let Ok(key) = std::env::var(MEMORY_CHILD) {
        memory_child(&key);
    }
    let mut repetitions = 5;
    let mut with_memory = true;
    let mut selected: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => {
                repetitions = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--reps N (N > 0)")
            }
            "--no-memory" => with_memory = false,
            "--bench" => {} // passed by `cargo bench`
            other => selected.push(other.to_owned()),
        }
    }
    assert!(repetitions > 0, "--reps N (N > 0)");
    let wanted = |id: &str| selected.is_empty() || selected.iter().any(|s| s == id);

    eprintln!("{}; {repetitions} repetitions per cell", machine());
    let runtimes = Runtimes {
        two_workers: common::runtime(),
        one_thread: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread tokio runtime"),
    };
    let mut runs: HashMap<(&'static str, Framework), Vec<Duration>> = HashMap::new();
    for workload in RUN.into_iter().filter(|w| wanted(w.id)) {
        eprintln!("{}", workload.title);
        for framework in FRAMEWORKS {
            run_once(&runtimes, framework, workload); // warm-up, not recorded
        }
        for repetition in 0..repetitions {
            for framework in FRAMEWORKS {
                for (id, elapsed) in run_once(&runtimes, framework, workload) {
                    eprintln!(
                        "  {repetition} {id} {}: {}",
                        framework.title(),
                        common::WORKLOADS
                            .iter()
                            .find(|w| w.id == id)
                            .expect("a known row")
                            .format(elapsed)
                    );
                    runs.entry((id, framework)).or_default().push(elapsed);
                }
            }
        }
    }
    let memory: Option<HashMap<Framework, u64>> = (with_memory && wanted("memory")).then(|| {
        eprintln!("memory per idle actor ({} actors)", common::SPAWNS);
        // An idle actor holds the same memory whichever runtime flavour created it.
        FRAMEWORKS
            .into_iter()
            .filter(|f| !f.one_thread())
            .map(|framework| (framework, memory(framework, repetitions.max(3))))
            .collect()
    });

    let header = FRAMEWORKS.map(Framework::title).join(" | ");
    let rule = "---|".repeat(FRAMEWORKS.len() + 1);
    let medians: HashMap<(&str, Framework), Duration> = runs
        .iter_mut()
        .map(|(&key, samples)| (key, common::median(samples)))
        .collect();
    let rows: Vec<Workload> = common::WORKLOADS
        .into_iter()
        .filter(|w| FRAMEWORKS.iter().any(|&f| medians.contains_key(&(w.id, f))))
        .collect();

    println!();
    println!("{}; medians of {repetitions}", machine());
    println!();
    println!("| workload | {header} |");
    println!("|{rule}");
    for workload in &rows {
        let cells: Vec<String> = FRAMEWORKS
            .iter()
            .map(|&f| {
                medians
                    .get(&(workload.id, f))
                    .map_or("—".into(), |&d| workload.format(d))
            })
            .collect();
        println!("| {} | {} |", workload.title, cells.join(" | "));
    }
    if let Some(memory) = &memory {
        let cells: Vec<String> = FRAMEWORKS
            .iter()
            .map(|f| {
                memory
                    .get(f)
                    .map_or("—".into(), |bytes| format!("{bytes} B"))
            })
            .collect();
        println!("| RSS per idle actor (100k) | {} |", cells.join(" | "));
    }

    println!();
    println!(
        "Ratio to raw tokio in the same run (rates: higher is better; times and bytes: lower is better)"
    );
    println!();
    println!("| workload | {header} |");
    println!("|{rule}");
    for workload in &rows {
        let baseline = medians.get(&(workload.id, Framework::RawTokio));
        let cells: Vec<String> = FRAMEWORKS
            .iter()
            .map(|&f| match (medians.get(&(workload.id, f)), baseline) {
                (Some(&mine), Some(&base)) => workload.ratio(mine, base),
                _ => "—".into(),
            })
            .collect();
        println!("| {} | {} |", workload.title, cells.join(" | "));
    }
    if let Some(memory) = &memory {
        let base = memory[&Framework::RawTokio] as f64;
        let cells: Vec<String> = FRAMEWORKS
            .iter()
            .map(|f| {
                memory.get(f).map_or("—".into(), |&bytes| {
                    format!("{:.2}x", bytes as f64 / base)
                })
            })
            .collect();
        println!("| RSS per idle actor (100k) | {} |", cells.join(" | "));
    }
}
