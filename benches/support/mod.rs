//! What the benches share: the service's configuration around the
//! simulated accounts (a SQLite file, the built-in evidence renderer, mail
//! to a folder, one department), written into the bench's folder.

use std::path::Path;

/// The configuration before its `[[accounts]]`, with `polling_extra`
/// (lines of the `[polling]` section beyond concurrency and look-back);
/// also writes the token file the accounts read.
pub fn config_head(dir: &Path, concurrency: usize, polling_extra: &str) -> String {
    let d = dir.display();
    std::fs::write(dir.join("token"), "bench-token\n").expect("token file");
    format!(
        r#"[database]
url = "sqlite://{d}/kv.db"
[archive]
dir = "{d}/archive"
screenshots = "builtin"
[polling]
concurrency = {concurrency}
post_lookback = "30d"
{polling_extra}
[mail]
from = "kommentarsvakt@bench.stockholm.se"
operations_address = "drift@bench.stockholm.se"
transport = "folder"
folder = "{d}/mail"
[[departments]]
key = "slk"
name = "Stadsledningskontoret"
central_address = "slk@bench.stockholm.se"
"#
    )
}
