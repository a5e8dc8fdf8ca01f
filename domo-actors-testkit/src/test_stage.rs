//! `test_stage`: a fresh stage whose dead letters are already being recorded.

use domo_actors::Stage;

use crate::TestDeadLettersListener;

/// A new [`Stage`] and a [`TestDeadLettersListener`] subscribed to its dead letters: the usual
/// start of an actor test.
///
/// Every test gets a stage of its own (stages are values, not a process-wide singleton), so
/// tests running in parallel never see each other's actors or dead letters.
///
/// # Panics
///
/// Outside a tokio runtime, like [`Stage::new`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let (stage, dead_letters) = domo_actors_testkit::test_stage();
/// assert!(!dead_letters.has_dead_letters());
/// stage.close().await;
/// # }
/// ```
#[track_caller]
pub fn test_stage() -> (Stage, TestDeadLettersListener) {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    (stage, listener)
}
