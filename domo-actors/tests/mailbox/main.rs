//! Bounded mailboxes: each overflow policy, concurrent senders, randomized interleavings, stop
//! and suspension. One test binary with a module per concern.

mod held_worker;
#[path = "../support/panics.rs"]
mod panics;

mod concurrent_senders;
mod drop_newest;
mod drop_oldest;
mod random_interleavings;
mod reject;
mod stop;
mod suspend;
