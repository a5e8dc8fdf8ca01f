//! The dashboard example (`examples/dashboard/`), run by a test: its server, on a port of the
//! system's choosing, answers a plain HTTP/1.1 GET with the bank's actors as JSON, and serves
//! the page that draws them.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../../examples/dashboard/main.rs"]
mod dashboard_example;

use std::net::{Ipv4Addr, SocketAddr};

use dashboard_example::{server, workload::Workload};
use domo_actors::Stage;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// GETs `path` from `address` over a fresh connection; answers the status line and the body.
async fn get(address: SocketAddr, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address)
        .await
        .expect("the server listens");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response
        .split_once("\r\n\r\n")
        .expect("a response has a head and a body");
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_serves_the_bank_s_actors_as_json_and_the_page_that_draws_them() {
    let stage = Stage::new();
    let workload = Workload::start(&stage).await.expect("a new stage is open");
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(listener, stage.clone(), async move {
        let _ = stopped.await;
    }));

    let (status, body) = get(address, "/snapshot.json").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    let snapshot: Value = serde_json::from_str(&body).expect("the snapshot is JSON");
    let actors = snapshot["actors"].as_array().expect("a list of actors");
    let of_type = |name: &str| {
        actors
            .iter()
            .filter(|actor| actor["type"] == name)
            .collect::<Vec<_>>()
    };
    for name in [
        "Teller",
        "Bank",
        "TransferCoordinator",
        "bank-supervisor",
        "account-supervisor",
        "transfer-supervisor",
    ] {
        assert_eq!(of_type(name).len(), 1, "one {name} in {body}");
    }
    // The workload opened six accounts before it started, each with its ledger as its child.
    let bank = &of_type("Bank")[0];
    let accounts = of_type("Account");
    assert_eq!(accounts.len(), 6, "{body}");
    for account in &accounts {
        assert_eq!(account["parent"], bank["address"]);
        assert_eq!(account["depth"], 3);
        let ledgers: Vec<_> = of_type("TransactionHistory")
            .into_iter()
            .filter(|ledger| ledger["parent"] == account["address"])
            .collect();
        assert_eq!(ledgers.len(), 1, "{body}");
        assert!(account["handled"].is_u64() && account["queued"].is_u64());
        assert!(["idle", "running", "suspended"].contains(&account["state"].as_str().unwrap()));
    }
    let coordinator = &of_type("TransferCoordinator")[0];
    assert_eq!(coordinator["parent"], bank["address"]);
    // Six accounts opened, one request after the other: the Teller and the Bank had handled
    // the first five before they took the sixth (a message counts once its handler returned, a
    // moment after its answer).
    assert!(
        of_type("Teller")[0]["handled"].as_u64().unwrap() >= 5,
        "{body}"
    );
    assert!(bank["handled"].as_u64().unwrap() >= 5, "{body}");
    assert!(snapshot["dead_letters"]["total"].is_u64());
    assert!(snapshot["dead_letters"]["recent"].is_array());

    let (status, page) = get(address, "/").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        page.contains("fetch(\"/snapshot.json\""),
        "the page polls the snapshot"
    );

    let _ = stop.send(());
    serving.await.unwrap().expect("the server stops cleanly");
    workload.stop().await;
    stage.close().await;
}
