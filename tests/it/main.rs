//! Integration tests: one binary, shared helpers in `support`.

mod store_contract;
mod support;
