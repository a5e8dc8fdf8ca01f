//! A flaky actor restarted by its supervisor.
//!
//! A `Sensor` panics on every third reading. Its supervisor, a strategy registered by name (a
//! function supervisor: it keeps no state, so it needs no actor), decides what to do from the
//! failure and from the execution context of the message that failed: restart the sensor (a
//! fresh instance, same address and mailbox), up to twice within ten seconds; the third failure
//! in that window turns the restart into a stop.
//!
//! Run it with `cargo run --example supervision` (set `RUST_LOG=debug` for more detail).

use std::time::Duration;

use domo_actors::{
    Actor, ActorError, Definition, Stage, Supervised, SupervisionDirective, SupervisionScope,
    SupervisionStrategy, actor_protocol,
};

/// A sensor that can be read.
#[actor_protocol]
pub trait Sensor {
    /// Takes a reading: the number of readings this instance has taken.
    async fn read(&mut self) -> u32;
}

/// Fails on every third reading.
struct FlakySensor {
    readings: u32,
}

impl Actor for FlakySensor {
    async fn after_restart(&mut self, reason: &ActorError) {
        self.logger().info(format_args!(
            "sensor restarted with a fresh instance after: {reason}"
        ));
    }

    async fn after_stop(&mut self) {
        self.logger().info("sensor stopped");
    }
}

impl Sensor for FlakySensor {
    async fn read(&mut self) -> u32 {
        self.readings += 1;
        if self.readings % 3 == 0 {
            panic!("sensor glitch on reading {}", self.readings);
        }
        self.readings
    }
}

/// Restarts failed sensors, at most twice within ten seconds.
fn sensor_supervision() -> SupervisionStrategy {
    // The decider runs the moment a supervised actor fails, in that actor's task: what it logs
    // appears under the sensor's span.
    SupervisionStrategy::new(2, Duration::from_secs(10), SupervisionScope::One).deciding(
        |supervised: &Supervised| {
            let request = supervised
                .execution_context()
                .value::<String>("request")
                .cloned()
                .unwrap_or_else(|| "unknown".into());
            tracing::warn!(
                "{} failed in `{}` while serving request {request}: {}; restarting (at most \
                 twice within 10 s)",
                supervised.actor().type_name(),
                supervised.method().unwrap_or("?"),
                supervised.error(),
            );
            SupervisionDirective::Restart
        },
    )
}

/// What the run observed (its test checks it).
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Each request's answer: a reading, or why there was none.
    pub answers: Vec<Result<u32, ActorError>>,
    /// Whether the sensor had stopped at the end.
    pub stopped: bool,
}

/// Runs the example, printing what happens.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    stage.register_supervisor_fn("sensor-supervisor", sensor_supervision());
    let sensor: SensorProxy = stage
        .actor_for(
            Definition::new(|| FlakySensor { readings: 0 }).with_supervisor("sensor-supervisor"),
        )
        .expect("the stage is open");
    let address = sensor.address();

    let mut answers = Vec::new();
    for request in 1..=10 {
        sensor.with_execution_context(|context| {
            context.set_value("request", format!("#{request}"));
        });
        let answer = sensor.read().result().await;
        let delivered = match &answer {
            Ok(reading) => {
                println!("request #{request}: reading {reading}");
                true
            }
            Err(error @ ActorError::HandlerPanicked { .. }) => {
                println!("request #{request}: failed: {error}");
                true
            }
            Err(error) => {
                println!("request #{request}: not delivered: {error}");
                false
            }
        };
        answers.push(answer);
        if !delivered {
            break;
        }
    }
    // The stop sequence may still be finishing (the mailbox closes first, the directory entry
    // goes later): a stop request to a stopping actor resolves once it has fully stopped.
    let _ = sensor.stop().result().await;
    let stopped = sensor.is_stopped();
    println!(
        "the proxy kept working across restarts (address {address}); after the third failure \
         within 10 s the sensor was stopped: stopped = {stopped}, still in the directory = {}",
        stage.actor_of::<SensorProxy>(&address).is_some()
    );
    stage.close().await;
    Outcome { answers, stopped }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
    // A handler's panic is caught by the runtime and reported through tracing (one error:
    // actor, method, panic message, where it happened); this keeps the default hook from
    // printing it a second time, raw. Panics outside the actors still reach the default hook.
    domo_actors::install_panic_reporting();
    run().await;
}
