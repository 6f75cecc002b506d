//! Integration tests: one binary, shared helpers in `support`.

mod budgets;
mod check_config;
mod cli;
mod collect;
mod console_browser;
mod crash;
mod daemon;
mod evidence;
mod export;
mod instances;
mod mail;
mod mail_tls;
mod media_hashes;
mod monitoring;
mod oidc;
mod outcomes;
mod platforms;
mod register;
mod report;
mod restore;
mod retention;
mod store_console;
mod store_contract;
mod support;
mod tickets;
mod web;
