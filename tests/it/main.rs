//! Integration tests: one binary, shared helpers in `support`.

mod cli;
mod daemon;
mod mail;
mod monitoring;
mod store_contract;
mod support;
mod tickets;
