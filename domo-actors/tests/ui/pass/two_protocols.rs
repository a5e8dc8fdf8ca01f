// Two protocols in one module, with a method name in common, implemented by one actor type.
use domo_actors::{Actor, Definition, Stage, actor_protocol};

#[actor_protocol]
pub trait Reader {
    async fn get(&mut self) -> u64;
}

#[actor_protocol]
pub trait Writer {
    async fn set(&mut self, value: u64);
    async fn get(&mut self) -> u64;
}

#[derive(Actor, Default)]
struct Cell {
    value: u64,
}

impl Reader for Cell {
    async fn get(&mut self) -> u64 {
        self.value
    }
}

impl Writer for Cell {
    async fn set(&mut self, value: u64) {
        self.value = value;
    }
    async fn get(&mut self) -> u64 {
        self.value + 100
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let writer: WriterProxy = stage.actor_for(Definition::new(Cell::default)).unwrap();
        writer.set(5).await;
        assert_eq!(writer.get().await, 105);
        let reader: ReaderProxy = stage.actor_for(Definition::new(Cell::default)).unwrap();
        assert_eq!(reader.get().await, 0);
        stage.close().await;
    });
}
