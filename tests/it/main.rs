//! Integration tests: one binary, shared helpers in `support`.

mod monitoring;
mod store_contract;
mod support;
