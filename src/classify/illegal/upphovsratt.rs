//! Intrång i upphovsrätt (lag 1960:729): offers of unlicensed copies. A
//! link to or a mention of a listed piracy site is obvious (see
//! `listed_domains`); words for copies (`torrent`, `iptv`, `inscannad
//! kurslitteratur`, `rippar`) are probable with an offer or pointing word,
//! possible otherwise; lawful use (`helt lagligt`) and news give nothing.
//!
//! `il.upphovsratt.offered_work` looks at the parts of an offer instead of
//! whole phrases: a **work** (`filmen`, `säsongen`, `ljudboken`,
//! `matcherna`, `streama`; role `work`), **signs of an unlicensed copy**
//! (a file format or leak, `pdf`, `mp3`, `torrent`, `läckt`, `screener`;
//! `gratis`; the whole work, `hela nya …`; a private channel, `min Drive`,
//! `Telegram`, `dm`) and a **pointer** (a link, `här`, `länken`). Two
//! signs with a pointer are probable; one sign with a pointer, or two
//! without, possible. A lawful source in the sentence (`biblioteket`,
//! `lånekort`, `på SVT Play`, `stadens`, `vår webbplats`, `fritt`, `egna`)
//! gives nothing.

use super::*;

impl Rules<'_, '_> {
    pub(super) fn piracy(&self, out: &mut Vec<Finding>) {
        self.review_only(
            out,
            &MaterialRule {
                role: Role::Piracy,
                pointing: Class::Offered,
                row: row!("il.upphovsratt.term"),
                mentioned: "Nämner olovliga kopior",
                lawful: |rules, hit| rules.lawful_source(hit),
            },
        );
        // One finding per comment is enough: the works are usually one.
        if let Some((hit, confidence)) = self
            .with_role(Role::Work)
            .find_map(|hit| self.offered_work(hit).map(|c| (hit, c)))
        {
            let reason = if confidence == Confidence::Probable {
                "Erbjuder eller pekar på en olovlig kopia av ett skyddat verk."
            } else {
                "Kan vara en olovlig kopia av ett skyddat verk; kontrollera sammanhanget."
            };
            out.push(
                Verdict::of(
                    row!("il.upphovsratt.offered_work"),
                    confidence,
                    reason.to_owned(),
                )
                .at(self.doc.hit_span(hit)),
            );
        }
    }

    fn offered_work(&self, hit: &Hit<'_>) -> Option<Confidence> {
        let doc = self.doc;
        let talked_about = matches!(
            doc.material_guard(hit.first, hit.last),
            Some(Guard::Quotation | Guard::News | Guard::CounterSpeech)
        );
        if talked_about || doc.negated(hit.first, hit.last) || self.lawful_source(hit) {
            return None;
        }
        let any = |class: Class| (0..doc.tokens.len()).any(|i| doc.is(i, class));
        let copy = any(Class::CopySigns);
        let whole = doc
            .within_before(hit.first, 3, &["hela", "alla", "full", "entire"])
            .is_some();
        let signs = usize::from(copy)
            + usize::from(any(Class::Free))
            + usize::from(whole)
            + usize::from(any(Class::PrivateChannels))
            + usize::from(any(Class::Sale));
        let pointed = self.has_link() || any(Class::Pointers);
        let asked = doc.sentence_mark(hit.first) == '?';
        match (signs, pointed) {
            // `Någon som har torrent på nya Pixarfilmen?`: a request.
            _ if asked => copy.then_some(Confidence::Possible),
            (2.., true) => Some(Confidence::Probable),
            (1, true) | (2.., false) => Some(Confidence::Possible),
            _ => None,
        }
    }

    /// A lawful source or permission in the sentence of the work.
    fn lawful_source(&self, hit: &Hit<'_>) -> bool {
        let doc = self.doc;
        doc.sentence_tokens(hit.first).any(|i| {
            doc.is(i, Class::Lawful)
                || doc.word(i).starts_with("bibliotek")
                || (doc.is(i, Class::Broadcasters) && doc.is(i.wrapping_sub(1), &["på", "via", "hos"]))
                // The rights holder as the actor (`Förlaget har lagt ut
                // …`), not the one fooled (`förlaget märker inget`).
                || (doc.is(i, &["förlaget", "bolaget", "upphovsmannen"])
                    && i == doc.sentence_tokens(i).start)
        })
    }
}

/// The rules of this file (see [`RuleRow`]); the module documentation
/// explains each shape.
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.upphovsratt.listed_domain",
        category: Category::Upphovsratt,
        trigger: "a link or a bare name of a site on `wordlists/domains/piracy.txt`",
        shape: "the link (obvious), or the name with a word pointing readers to it; else review",
        guards: "news, negation, talk about the site",
        strength: Strength::Obvious,
        reason: "Länk till en webbplats som sprider upphovsrättsskyddat material utan tillstånd",
        basis: BASIS_UPPHOVSRATT,
        positive: "Nya avsnitt finns på FMOVIES.TO",
        negative: "Nya avsnitt finns på SVTPLAY.SE",
    },
    RuleRow {
        id: "il.upphovsratt.term",
        category: Category::Upphovsratt,
        trigger: "a piracy word (role `piracy`)",
        shape: "the word; probable with a pointing word or a link",
        guards: "news, quotation, counter-speech, information, the writer's own, negation, a lawful source (`SVT Play`)",
        strength: Strength::Review,
        reason: "Pekar på eller erbjuder en olovlig kopia av ett skyddat verk",
        basis: BASIS_UPPHOVSRATT,
        positive: "Säljer IPTV, alla kanaler, dm",
        negative: "Säljer TV-bänk, dm",
    },
    RuleRow {
        id: "il.upphovsratt.offered_work",
        category: Category::Upphovsratt,
        trigger: "a work (role `work`)",
        shape: "the work with signs of an unlicensed copy and a pointer",
        guards: "news, quotation, counter-speech, information, the writer's own, negation, a lawful source",
        strength: Strength::Review,
        reason: "Erbjuder eller pekar på en olovlig kopia av ett skyddat verk",
        basis: BASIS_UPPHOVSRATT,
        positive: "Hela nya säsongen av Bonusfamiljen finns på min Telegram, skriv så skickar jag länken",
        negative: "Hela nya säsongen av Bonusfamiljen finns på SVT Play",
    },
];
