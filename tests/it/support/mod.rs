//! Shared helpers for the integration tests.

pub mod db;
pub mod fixtures;
