//! The shared poller (placeholder).
