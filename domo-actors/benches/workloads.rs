//! Every workload of `BENCHMARKS.md` on domo-actors, against a raw tokio baseline measured in the
//! same group: `cargo bench -p domo-actors --bench workloads` (add `-- tell` to run one group).
//!
//! Each group holds `raw_tokio` and `domo` (stage start and close has no tokio counterpart);
//! the many-callers groups (issue 13: `-- many_callers`) also `domo_unit`, the same callers
//! asking through a method returning `()`, and have a table of their own.
//! A criterion iteration is one whole workload (a million tells, 100k asks, ...), timed with
//! `iter_custom` on a 2-worker runtime built once per group; the table printed at the end gives
//! the median of those runs and the ratio of domo-actors to raw tokio in the row's own metric.

mod common;
mod streams;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use common::{Workload, domo, raw};
use criterion::{Criterion, SamplingMode, Throughput};
use tokio::runtime::Runtime;

/// Each timed run, by workload id and implementation, in order (the first is criterion's
/// warm-up: with a 1 ms warm-up time and workloads of many milliseconds, it is one run).
static RUNS: Mutex<BTreeMap<(&str, &str), Vec<Duration>>> = Mutex::new(BTreeMap::new());

/// One implementation of a workload: runs it once on the runtime, returns its measured time.
type Implementation<'a> = (&'static str, &'a dyn Fn(&Runtime) -> Duration);

const RAW: &str = "raw_tokio";
const DOMO: &str = "domo";
/// The many-callers groups: `domo` asks through a method returning a value, this through one
/// returning `()` (a ledger ticket).
const DOMO_UNIT: &str = "domo_unit";

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

/// Benchmarks `implementations` of `workload` in one group, on one runtime.
fn group(
    c: &mut Criterion,
    runtime: &Runtime,
    workload: Workload,
    implementations: &[Implementation<'_>],
) {
    let mut group = c.benchmark_group(workload.id);
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(workload.ops));
    for &(name, workload_run) in implementations {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let elapsed = workload_run(runtime);
                    RUNS.lock()
                        .unwrap()
                        .entry((workload.id, name))
                        .or_default()
                        .push(elapsed);
                    total += elapsed;
                }
                total
            })
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let rt = common::runtime();
    group(
        c,
        &rt,
        common::TELL,
        &[
            (RAW, &|rt| common::run(rt, raw::tell(common::TELLS))),
            (DOMO, &|rt| common::run(rt, domo::tell(common::TELLS))),
        ],
    );
    group(
        c,
        &rt,
        common::ASK,
        &[
            (RAW, &|rt| common::run(rt, raw::ask(common::ASKS))),
            (DOMO, &|rt| common::run(rt, domo::ask(common::ASKS))),
        ],
    );
    let concurrent = |rt: &Runtime, domo: bool| {
        let (actors, callers, asks) = (
            common::CONCURRENT_ACTORS,
            common::CONCURRENT_CALLERS,
            common::CONCURRENT_ASKS,
        );
        if domo {
            common::run(rt, domo::concurrent_ask(actors, callers, asks))
        } else {
            common::run(rt, raw::concurrent_ask(actors, callers, asks))
        }
    };
    group(
        c,
        &rt,
        common::CONCURRENT_ASK,
        &[
            (RAW, &|rt| concurrent(rt, false)),
            (DOMO, &|rt| concurrent(rt, true)),
        ],
    );
    // Spawn and close share one workload: creating 100k actors and asking each once is timed
    // for spawn, the teardown that follows for close; each run awaits its teardown.
    group(
        c,
        &rt,
        common::SPAWN,
        &[
            (RAW, &|rt| {
                common::run(rt, raw::spawn_then_close(common::SPAWNS)).0
            }),
            (DOMO, &|rt| {
                common::run(rt, domo::spawn_then_close(common::SPAWNS)).0
            }),
        ],
    );
    group(
        c,
        &rt,
        common::PING_PONG,
        &[
            (RAW, &|rt| {
                common::run(rt, raw::ping_pong(common::ROUND_TRIPS))
            }),
            (DOMO, &|rt| {
                common::run(rt, domo::ping_pong(common::ROUND_TRIPS))
            }),
        ],
    );
    group(
        c,
        &rt,
        common::STAGE,
        &[(DOMO, &|rt| {
            common::run(rt, domo::stage_start_close(common::STAGES))
        })],
    );
    group(
        c,
        &rt,
        common::CLOSE,
        &[
            (RAW, &|rt| {
                common::run(rt, raw::spawn_then_close(common::SPAWNS)).1
            }),
            (DOMO, &|rt| {
                common::run(rt, domo::spawn_then_close(common::SPAWNS)).1
            }),
        ],
    );
    // Issue 15: many actors, a little work each.
    group(
        c,
        &rt,
        common::TELL_SPREAD,
        &[
            (RAW, &|rt| {
                common::run(
                    rt,
                    raw::tell_spread(common::SPREAD_RECEIVERS, common::SPREAD_TELLS),
                )
            }),
            (DOMO, &|rt| {
                common::run(
                    rt,
                    domo::tell_spread(common::SPREAD_RECEIVERS, common::SPREAD_TELLS),
                )
            }),
        ],
    );
    group(
        c,
        &rt,
        common::FAN_OUT_IN,
        &[
            (RAW, &|rt| {
                common::run(rt, raw::fan_out_in(common::FAN_ACTORS))
            }),
            (DOMO, &|rt| {
                common::run(rt, domo::fan_out_in(common::FAN_ACTORS))
            }),
        ],
    );
    group(
        c,
        &rt,
        common::SCATTER_GATHER,
        &[
            (RAW, &|rt| {
                common::run(rt, raw::scatter_gather(common::SCATTER_ACTORS))
            }),
            (DOMO, &|rt| {
                common::run(rt, domo::scatter_gather(common::SCATTER_ACTORS))
            }),
        ],
    );
    // Issue 17: a stream pulled into an actor, a window of items in flight.
    let (items, window) = (streams::STREAM_ITEMS, streams::STREAM_WINDOW);
    group(
        c,
        &rt,
        streams::STREAM_INTO,
        &[
            (RAW, &|rt| {
                common::run(rt, streams::raw::stream_into_actor(items, window))
            }),
            (DOMO, &|rt| {
                common::run(rt, streams::domo::stream_into_actor(items, window))
            }),
        ],
    );
    // Issue 13: n callers awaiting one actor at once, unit asks next to value asks.
    for (workload, callers) in common::MANY_CALLERS_WORKLOADS
        .into_iter()
        .zip(common::MANY_CALLERS)
    {
        group(
            c,
            &rt,
            workload,
            &[
                (RAW, &|rt| common::run(rt, raw::many_callers(callers))),
                (DOMO, &|rt| {
                    common::run(rt, domo::many_callers(callers, false))
                }),
                (DOMO_UNIT, &|rt| {
                    common::run(rt, domo::many_callers(callers, true))
                }),
            ],
        );
    }
}

/// The medians of the runs measured (the warm-up run left out), as a Markdown table.
fn summary() {
    let runs = RUNS.lock().unwrap();
    let median_of = |id: &str, name: &str| -> Option<(Duration, usize)> {
        let runs = runs.get(&(id, name))?;
        let mut measured: Vec<Duration> = runs.iter().skip(1).copied().collect();
        if measured.is_empty() {
            measured = runs.clone();
        }
        let count = measured.len();
        Some((common::median(&mut measured), count))
    };
    let measured = |workload: &common::Workload| {
        let raw = median_of(workload.id, RAW);
        let domo = median_of(workload.id, DOMO);
        raw.or(domo).is_some().then_some((raw, domo))
    };
    let workloads = common::WORKLOADS
        .iter()
        .copied()
        .chain([streams::STREAM_INTO]);
    if workloads
        .clone()
        .any(|workload| measured(&workload).is_some())
    {
        println!();
        println!("| workload | raw tokio | domo-actors | domo ÷ raw tokio | runs |");
        println!("|---|---|---|---|---|");
    }
    for workload in workloads {
        let Some((raw, domo)) = measured(&workload) else {
            continue;
        };
        let cell =
            |m: Option<(Duration, usize)>| m.map_or("—".into(), |(d, _)| workload.format(d));
        let ratio = match (domo, raw) {
            (Some((d, _)), Some((r, _))) => workload.ratio(d, r),
            _ => "—".into(),
        };
        let count = domo.or(raw).map_or(0, |(_, n)| n);
        println!(
            "| {} | {} | {} | {} | {} |",
            workload.title,
            cell(raw),
            cell(domo),
            ratio,
            count
        );
    }
    let many: Vec<_> = common::MANY_CALLERS_WORKLOADS
        .iter()
        .map(|workload| {
            let of = |name| median_of(workload.id, name);
            (workload, of(RAW), of(DOMO), of(DOMO_UNIT))
        })
        .filter(|(_, raw, value, unit)| raw.or(*value).or(*unit).is_some())
        .collect();
    if many.is_empty() {
        return;
    }
    println!();
    println!(
        "| whole run | raw tokio | domo value ask | domo unit ask | value ÷ raw | unit ÷ raw | runs |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (workload, raw, value, unit) in many {
        let cell =
            |m: Option<(Duration, usize)>| m.map_or("—".into(), |(d, _)| workload.format(d));
        let ratio = |m: Option<(Duration, usize)>| match (m, raw) {
            (Some((d, _)), Some((r, _))) => workload.ratio(d, r),
            _ => "—".into(),
        };
        let count = unit.or(value).or(raw).map_or(0, |(_, n)| n);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            workload.title,
            cell(raw),
            cell(value),
            cell(unit),
            ratio(value),
            ratio(unit),
            count
        );
    }
}

fn main() {
    let mut criterion = config().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    summary();
}
