//! Fixtures shared by the workspace's integration tests: protocols and actors that several test
//! files use.
