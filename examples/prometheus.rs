//! The runtime's metrics (the `metrics` feature) served to Prometheus: installs
//! `metrics-exporter-prometheus` on a loopback port, runs a few counter actors, then fetches its
//! own `/metrics` page, as Prometheus would, and prints the runtime's lines.
//!
//! Run it with `cargo run --features metrics --example prometheus` (port 9898, or
//! `DOMO_METRICS_PORT`); add `-- --serve` to keep serving afterwards, for a real Prometheus to
//! scrape `http://127.0.0.1:9898/metrics`.

use std::net::{Ipv4Addr, SocketAddr};

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use metrics_exporter_prometheus::PrometheusBuilder;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The port when `DOMO_METRICS_PORT` does not name one.
pub const DEFAULT_PORT: u16 = 9898;

/// How many counters the workload runs, and how many increments each gets.
pub const COUNTERS: u64 = 3;
pub const INCREMENTS: u64 = 100;

/// What a counter can be asked to do.
#[actor_protocol]
pub trait Counter {
    /// Adds one.
    async fn increment(&mut self);
    /// Answers the current value.
    async fn value(&mut self) -> u64;
}

#[derive(Actor)]
struct CounterActor {
    count: u64,
}

impl Counter for CounterActor {
    async fn increment(&mut self) {
        self.count += 1;
    }

    async fn value(&mut self) -> u64 {
        self.count
    }
}

/// Installs the exporter (the process's metrics recorder: before the stage's first message, so
/// that every actor records into it) listening on `127.0.0.1:port`.
pub fn install_exporter(port: u16) -> SocketAddr {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    PrometheusBuilder::new()
        .with_http_listener(address)
        .install()
        .expect("the exporter could not be installed");
    address
}

/// The workload: `COUNTERS` counters get `INCREMENTS` tells each and one ask; one more tell
/// goes to a counter after it stopped (a dead letter).
pub async fn run_workload() {
    let stage = Stage::new();
    let counters: Vec<CounterProxy> = (0..COUNTERS)
        .map(|_| {
            stage
                .actor_for(Definition::new(|| CounterActor { count: 0 }).with_type("Counter"))
                .expect("a new stage is open")
        })
        .collect();
    for counter in &counters {
        for _ in 0..INCREMENTS {
            counter.increment();
        }
    }
    for counter in &counters {
        assert_eq!(counter.value().await, INCREMENTS);
    }
    counters[0].stop().await;
    counters[0].increment();
    stage.close().await;
}

/// The page at `http://{address}/metrics`, fetched with a plain HTTP/1.0 GET (the server
/// closes the connection after the answer).
pub async fn scrape(address: SocketAddr) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address).await?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::main]
async fn main() {
    let port = std::env::var("DOMO_METRICS_PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(DEFAULT_PORT);
    let address = install_exporter(port);
    run_workload().await;

    let page = scrape(address).await.expect("the exporter answers");
    println!("http://{address}/metrics, the runtime's counters:");
    for line in page
        .lines()
        .filter(|line| line.starts_with("domo_actors_") && line.contains("_total"))
    {
        println!("  {line}");
    }
    if std::env::args().any(|argument| argument == "--serve") {
        println!("serving http://{address}/metrics until interrupted");
        std::future::pending::<()>().await;
    }
}
