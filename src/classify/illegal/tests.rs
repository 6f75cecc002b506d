use super::*;

fn findings(text: &str) -> Vec<Finding> {
    let detector = IllegalContentDetector::embedded().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    detector.detect(text, &mut out);
    out
}

#[test]
fn smoke() {
    for t in ["jag ska döda dig", "muslimer är ohyra", "Han skrev att muslimer är ohyra", "vi kommer hem till dig med kniv"] {
        eprintln!("{t}: {:?}", findings(t));
    }
}
