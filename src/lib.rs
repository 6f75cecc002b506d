//! kommentarsvakt watches the comments on a city's social-media accounts and
//! does what the city's social-media policy asks of their moderators.
//!
//! The flow of one monitoring run, and the module that owns each step:
//!
//! - [`domain`]: the shared vocabulary (comments, platforms, findings,
//!   actions, capabilities, policy, ticket kinds) that every part uses and
//!   that depends on nothing.
//! - [`schedule`]: when to run — three office-hours slots on Swedish working
//!   days, or a short interval around the clock in crisis mode.
//! - [`platforms`]: one connector per platform behind one trait; each
//!   names the calls a run makes and makes one at a time (the pipeline's
//!   collect stage pages, retries and saves cursors); the
//!   [`platforms::simulator`] speaks the Facebook and Instagram Graph API
//!   and X API v2 wire formats for demos and tests.
//! - [`store`]: every comment version is saved before anything else is done
//!   with it (SQLite by default, PostgreSQL for several instances).
//! - [`classify`]: detectors that turn a text into findings with reasons.
//! - [`decide`]: the policy table from findings to actions — only the
//!   obvious is acted on automatically.
//! - [`archive`]: evidence records, fsynced and hash-chained, before any action.
//! - [`actions`]: what a person does through the service — restoring a
//!   comment the service hid (hide and delete themselves need an archive
//!   receipt and run in the pipeline).
//! - [`tickets`] and [`alerts`]: case tickets and e-mail to moderators.
//! - [`pipeline`]: one monitoring run, stage by stage.
//! - [`report`]: the February/September report — the account register,
//!   each account's activity and the proof of oversight.
//! - [`daemon`]: the long-running service — signals, reload, systemd.
//! - [`web`]: the moderators' console, where a person decides what the
//!   service left to a person, through the same action path.
//! - [`config`], [`clock`], [`cli`]: the wiring;
//!   [`crashpoint`]: where tests make the process die between two writes.

pub mod actions;
pub mod alerts;
pub mod archive;
pub mod classify;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crashpoint;
pub mod daemon;
pub mod decide;
pub mod demo;
pub mod domain;
pub mod pipeline;
pub mod platforms;
pub mod report;
pub mod schedule;
pub mod store;
pub mod telemetry;
pub mod tickets;
pub mod web;
