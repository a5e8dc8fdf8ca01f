use domo_actors::{actor_protocol, Actor, Definition, Stage};

#[actor_protocol]
pub trait Account {
    async fn deposit(&mut self, amount: u64) -> u64;
}

#[actor_protocol]
pub trait Auditable {
    async fn trail(&self) -> Vec<u64>;
}

#[derive(Actor)]
struct AccountActor;

impl Account for AccountActor {
    async fn deposit(&mut self, amount: u64) -> u64 {
        amount
    }
}

fn main() {
    let stage = Stage::new();
    // `AccountActor` does not implement `Auditable`.
    let _: Result<(AccountProxy, AuditableProxy), _> =
        stage.actor_for(Definition::new(|| AccountActor));
}
