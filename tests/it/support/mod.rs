//! Shared helpers for the integration tests.

pub mod app;
pub mod db;
pub mod eark;
pub mod fixtures;
pub mod smtp;
pub mod tls;
