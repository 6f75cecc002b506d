//! Integration tests: one binary, shared helpers in `support`.

mod cli;
mod daemon;
mod evidence;
mod monitoring;
mod store_contract;
mod support;
