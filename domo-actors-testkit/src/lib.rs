//! Test helpers for domo-actors: poll until an assertion passes, and listen for dead letters.
