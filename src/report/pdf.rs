//! The report as PDF, for those who file or print it: the same HTML page
//! ([`super::html`]) printed to A4 by headless Chromium, with page
//! numbers in the footer. The browser is launched and cleaned up by the
//! evidence renderer's code ([`ChromiumRenderer`]); without Chromium there
//! is no PDF, and the error says what to install.

use std::path::Path;

use super::{Report, ReportError, html};
use crate::archive::screenshot::{ChromiumOptions, ChromiumRenderer};

/// What to install when Chromium is missing (Debian's package name).
pub const CHROMIUM_PACKAGE: &str = "chromium";

/// Prints `report` as an A4 PDF with the Chromium at `chromium`.
pub async fn render(report: &Report, chromium: &Path) -> Result<Vec<u8>, ReportError> {
    if !chromium.exists() {
        return Err(ReportError::NoChromium {
            path: chromium.display().to_string(),
            package: CHROMIUM_PACKAGE,
        });
    }
    let page = html::render(report)?;
    let renderer = ChromiumRenderer::new(ChromiumOptions {
        executable: chromium.to_path_buf(),
        concurrency: 1,
        ..ChromiumOptions::default()
    });
    let printed = renderer.print_pdf(&page).await;
    renderer.shutdown().await;
    printed.map_err(|e| ReportError::Pdf(e.to_string()))
}
