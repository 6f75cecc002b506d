//! Graph API simulator (placeholder until the simulator lands).
