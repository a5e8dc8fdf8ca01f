//! The Prometheus example (`examples/prometheus.rs`), run by a test: the exporter on a free
//! loopback port, the example's workload, and its page scraped over plain HTTP/1.0. The
//! exporter is the process's recorder from then on; the counters asserted are those of the
//! example's own actor type, which no other test of this binary uses.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../../examples/prometheus.rs"]
mod prometheus_example;

use std::time::Duration;

use prometheus_example::{COUNTERS, INCREMENTS};

#[tokio::test]
async fn the_example_serves_the_runtimes_metrics_on_a_loopback_port() {
    // A port free a moment ago: the exporter binds it itself, and says nothing of a port 0.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let address = prometheus_example::install_exporter(port);
    prometheus_example::run_workload().await;

    let page = tokio::time::timeout(Duration::from_secs(10), prometheus_example::scrape(address))
        .await
        .expect("the exporter answers within 10 s")
        .expect("the exporter answers");
    assert!(
        page.starts_with("HTTP/1.0 200") || page.starts_with("HTTP/1.1 200"),
        "{page}"
    );
    let handled = format!(
        "domo_actors_messages_handled_total{{actor_type=\"Counter\",method=\"increment\"}} {}",
        COUNTERS * INCREMENTS
    );
    for line in [
        handled.as_str(),
        "domo_actors_messages_handled_total{actor_type=\"Counter\",method=\"value\"} 3",
        "domo_actors_stops_total{actor_type=\"Counter\",reason=\"stopped\"} 1",
        "domo_actors_stops_total{actor_type=\"Counter\",reason=\"stage_closed\"} 2",
        "domo_actors_dead_letters_total{actor_type=\"Counter\",reason=\"actor_stopped\"} 1",
        "domo_actors_actors_live{actor_type=\"Counter\"} 0",
        "# HELP domo_actors_mailbox_time_seconds Time from a message's send to the start of its handler",
    ] {
        assert!(
            page.lines().any(|found| found == line),
            "{line} not in:\n{page}"
        );
    }
}
