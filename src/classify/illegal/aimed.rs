//! Harm aimed at a group or a person in the shapes new wording shares
//! (issue 15): each rule is a shape over word classes, never a phrase, so
//! that a sentence the rules were not written from is still found.
//!
//! | rule | shape | confidence |
//! |---|---|---|
//! | `il.hets_mot_folkgrupp.masked_slur` | a slur from `slur_forms` written with masked letters (`n***rer`, `fl*tor`; the first letter shown) or dropped vowels (`ngrr`, `bgjävlarna`) | obvious when plural (aimed at a group), else probable like every slur |
//! | `il.hets_mot_folkgrupp.insult_compound` | one word made of a group (`group_stems`) and an insult or vermin (`insult_heads`), or the two joined by a hyphen: `invandrarparasiterna`, `bögsvinen`, `invandrar-parasiter` | obvious when it holds a dehumanising stem and is not a listed slur, else probable |
//! | `il.olaga_hot.urges_self_harm` | an urging imperative (`self_harm_reflexive`) with the reflexive right after (`häng dig`), or `self_harm_acts` with a means within [`SELF_HARM_MEANS_WINDOW`] (`ta en överdos`, `kliv framför pendeln`), the addressee's own life ended (`ta ditt liv`, `avsluta ditt liv`) or `gör slut på dig själv`, or a weapon urged into the addressee's own body (`stick kniven i halsen på dig själv`); urged is an imperative (also after `å`, `o`, `så`) or advice to `du` (`du borde …`, `det bästa du kan göra är att …`) | obvious with `dig` or `självmord`, with a means that has no harmless reading (`deadly_means`; a vehicle after `framför`/`under`: `hoppa framför tåget`, not `ta tåget`) said to one person, or with a favour asked for others (`favours`: `gör oss alla en tjänst`); else probable (also `er`: a crowd told to die is rhetoric as often as a threat) |
//! | `il.olaga_hot.urges_self_harm_person` | `self_harm_acts` with a means, or an imperative of dying (`death_urged`: `Dö, din jävla hora`; not `dö av skratt`, `dö som en hjälte`), in a sentence that speaks to one person (`du`, `din`, a name) and to no crowd | probable; a confirming model may make it obvious |
//! | `il.hets_mot_folkgrupp.deserves_violence`, `il.olaga_hot.deserves_violence` | a group (also masked: `j*dar`) or person (within [`SUBJECT_BEFORE_MODAL`], or before a place phrase within [`PLACE_PHRASE_WINDOW`] of the modal: `alla X i det här landet borde …`, or a group heading a relative clause that ends at the modal: `Romerna som bor … förtjänar`, `Journalisten på DN som …`) + a modal of deserving (`deserve_modals`) + a participle or passive of violence, also a passive joined by `och` to a first one within [`COORDINATED_PASSIVE_WINDOW`] (`borde dras ut ur bilen och slås ihjäl`) (`violence_participles`, a passive + `ihjäl` or `sönder och samman`, the passive of a verb of `force` at a body part: `sparkas i huvudet`, `köras över`, lined up at a wall: `ställas upp mot en vägg`, not the idiom `ställas mot väggen`; thrown to a fall: `kastas ut genom fönstret`, `falls`), a place of extermination (`extermination_places`: `ska i ugnen`; also with no verb, when the sentence is only the group, `till` or `i … igen` and the place: `Judar till gaskammaren`), an injury received after a future modal (`ska få käften sönderslagen`) or, after `förtjänar`, a noun of violence (`violence_nouns`) or an injury received (`få skallen inslagen`) | obvious for a group, for a group the law does not name (`unprotected_groups`: `kvinnor`), for sexual violence, or for `ska`/`kommer` + `få` + a noun (`ska få en kula i skallen`) or + a weapon felt where the sentence or clause ends (`ska få känna på kniven`, `… smaka batongen, så …`; not `känna på kniven innan de köper den`); else probable (`den där domaren borde skjutas` is a wish a person judges) |
//! | `il.hets_mot_folkgrupp.violence_named`, `il.olaga_hot.violence_named` | a noun of killing (`execution_nouns`) + `av`, after an opener (`noun_call_openers`: `dags för`, `ja till`) or opening its sentence with urgency after it (`call_times`: `nu`), or a noun of violence + `för varje` (`en kula för varje afghan`), with a group or people within [`OBJECT_WINDOW`] (also the people of a body, `av styrelsen`, and one counted, `varenda journalist`) | obvious for a group, also one the law does not name (`unprotected_groups`), else probable (a sure confirming model acts) |
//! | `il.hets_mot_folkgrupp.killing_narrative`, `il.olaga_valdsskildring.violence_narrative` | the writer (`first_person`) next to a past verb of killing (`killing_past`, also the supine after `har`: `jag har redan slagit ihjäl`; with others: `jag och polarna har`; in a second act: `Jag lockade dit honom och slog honom`; or left out: `Har dödat tre …`) with a victim after it (not beaten at a game: `slog dem i dart`), or a group fronted before `har jag` (`Två blattar har jag sparkat ihjäl`); not with a particle of another meaning (`other_particles`: `sköt upp mötet`), and `körde`, `sparkade` only with a particle of killing | obvious when the comment names a group or slur, else probable |
//! | `il.hets_mot_folkgrupp.suffering_wished`, `il.olaga_hot.suffering_wished` | a wish opener (`suffering_openers`) + a verb of slow suffering (`suffering_verbs`) with a group or person | obvious for a group, else probable |
//! | `il.hets_mot_folkgrupp.plural_threat`, `il.olaga_hot.plural_threat` | a group or office addressed as `ni` (`ni invandrare`, `alla ni som …`) (also `Till er …`) + violence after a modal, the writer's side coming armed (`vi kommer med bensin`; not a tool: `med knivar och korgar`, hunting), violence or a weapon received (`ska få kulor i knäna`, `få smaka kniven`), or a menace (`menace_words`: `vet var ni bor`, `känna er trygga`, `med era liv`, `kommer för er`) or a listed threatening phrase (`era dagar är räknade`); also a group the writer's side will find or hunt one by one (`vi hittar er en efter en`; taking, `vi tar er en och en`, only after a slur, a masked group word or `jävla`) | obvious for a protected group or with violence, else probable |
//! | `il.hets_mot_folkgrupp.disguised_slur` | a listed slur spelled to slip past filters (spaced letters, leetspeak: `Z-i-g-g-e-s`, `sv@rtskalle`) | obvious when plural, else probable |
//! | `il.hets_mot_folkgrupp.dehumanising_compound` | a group (or a word that starts with one: `araberkulturen`) + a copula + a word holding a dehumanising stem (`dehumanising_stems`: `smittbärare`, `parasitfolk`) | probable |
//! | `il.olaga_hot.call_against_person` | an imperative verb of violence (listed `probable` or higher) at a clause start, or a modal opening the sentence (`Borde dränka …`), with a person as object within [`OBJECT_WINDOW`] (`skjut dom som stängde badhuset`) | obvious for an imperative, probable for the modal (the speaker is not named) |
//! | `il.olaga_hot.body_harm` | the writer next to a verb of force (`force`, `force_on_person`) + the addressee's body part (`slår jag sönder ditt ansikte`) | obvious |
//! | `il.olaga_hot.body_harm_other` | the same with a third person's body part (`krossar jag hennes knän`) | probable; a confirming model may make it obvious |
//! | `il.olaga_hot.property_attack_promised`, `il.olaga_hot.family_sought` | the writer + a future modal + a verb of violence, or of seeking out (`hitta`), + the addressee's possessive of their body, family or pet (`possessed_targets`), a person, a building or property (`jag kommer spränga ert stadshus`, `vi kommer hitta din dotter`; not `döda ditt argument`) | obvious for violence, probable for seeking |
//! | `il.olaga_hot.violence_would_help` | a noun of violence + `gjort`/`göra` + `gott` with a person (`en smäll hade gjort honom gott`) | probable |
//! | `il.olaga_valdsskildring.praised` | real violence or its doer (`violent_acts`) with a word of approval (`approval`) in the sentence: `Skolskjutaren gjorde det rätta` (not in a story: `i filmen`) | probable |
//! | `il.hets_mot_folkgrupp.humanity_denied` | a group or `de`/`dom` + a copula + a denial (`inte`, `inga`, `knappt`) + qualifiers (`ens`, `riktiga`) + a word for human within [`DENIAL_TO_HUMAN`] (`romer är inte ens människor`, `att X inte är människor`) | obvious for a group word, probable for a pronoun |
//! | `il.olaga_hot.veiled_advice` | `om jag var du` (or `i ditt ställe`) + `skulle` + advice to flee or beware within [`ADVICE_WINDOW`] (`flytta härifrån`, not `flytta till en större lägenhet`; `inte känna mig trygg`) | probable |
//! | `il.olaga_hot.death_promised` | the writer + an intent + `se till att` + you + death or serious violence (`jag ska se till att du dör`); also, in `hot.rs`, a wish of serious violence at a person followed by a promise tag (`promise_tags`: `Hoppas du brinner upp, jag ska se till det`) | obvious; the wish with a tag probable, for the confirming model |
//! | `il.olaga_hot.veiled_future` | something happening to you (`snart händer det dig något`, not `något fint`) or `du har inte långt kvar` | probable |
//!
//! The emoji shapes (`il.hets_mot_folkgrupp.emoji_animal`, `.emoji_weapon`,
//! `il.olaga_hot.emoji_weapon`) are in `illegal/emoji.rs`; every rule's row
//! (id, trigger, shape, guards, confidence, reason, legal basis, examples)
//! is in [`RULES`] at the end of this file (see `illegal/table.rs`).
//!
//! Guards: a quotation, news reporting, counter-speech or a question
//! (also one without `?` that opens with `hur`, `varför`: `Hur många fler
//! … måste dö innan …`) or a game (`jag slog honom i schack`) gives no
//! finding at all, since the city removes nothing lawful and such comments
//! are mostly sympathy or reporting, unless the question is itself the call
//! (`Varför har ingen skjutit …`, `il.*.question_call`, review); a
//! hypothetical lowers the shape to probable; a negation in or
//! just before the shape (`Ingen förtjänar att bli slagen`) and a slur
//! right after a first-person word (`vi flator`) remove it.

use super::*;

/// How many tokens after a modal of deserving the violence may stand
/// (`förtjänar att bli ihjälslagen`).
pub(super) const MODAL_TO_VIOLENCE: usize = 4;
/// The row of a person said to deserve violence (`borde skjutas`): hot.rs
/// finds the same shape for the verbs the lexicon lists.
pub(super) const DESERVES_VIOLENCE: &RuleRow = row!("il.olaga_hot.deserves_violence");
/// The row of death or serious violence the writer promises to see to:
/// hot.rs finds it as a wish with a promise tag (`Hoppas du brinner upp,
/// jag ska se till det`).
pub(super) const DEATH_PROMISED: &RuleRow = row!("il.olaga_hot.death_promised");

/// How many tokens before a modal its subject may stand (`Sv@rtskallarna i
/// orten borde …`).
pub(super) const SUBJECT_BEFORE_MODAL: usize = 4;
/// How many tokens after a modal of deserving the `och` may stand that
/// joins a first passive to the violence (`borde ställas upp mot en vägg
/// och skjutas`).
pub(super) const COORDINATED_PASSIVE_WINDOW: usize = 7;
/// How many tokens a place phrase after a subject may take before the
/// modal, its preposition included (`alla X i det här landet borde …`).
const PLACE_PHRASE_WINDOW: usize = 5;

/// How many letters of ending a word for people may take inside a group
/// compound (`somaliungarna`: `ungar` + `na`; `invandrarbarnen`).
const MEMBER_ENDING_MAX: usize = 3;

/// Particles after a verb of violence that make it something else (`häng
/// upp flaggan`, `kasta ut honom`, `skjuta upp mötet`).
const CALL_PARTICLES: &[&str] = &["upp", "ut", "in", "av", "fast", "undan", "till"];

/// How many tokens may stand between a question that opens a call and its
/// verb of violence (`är det ingen som tänker köra över …`).
const QUESTION_CALL_WINDOW: usize = 2;

/// The rules of [`Rules::call_as_question`]: the question is the call, so
/// the question guard does not excuse them.
const QUESTION_CALLS: [&str; 2] = [
    "il.hets_mot_folkgrupp.question_call",
    "il.olaga_hot.question_call",
];

/// The fewest bytes a group + people compound has: a stem of three
/// letters (`rom`) and a word for people of four bytes (`män`, `barn`).
const MEMBER_COMPOUND_MIN_BYTES: usize = 7;

/// How many tokens a relative clause may take between its head and the
/// modal of the main clause (`Romerna som bor trettio i en trea förtjänar
/// …`).
pub(super) const RELATIVE_CLAUSE_WINDOW: usize = 9;
/// How many tokens after an urging imperative its means may stand (`hoppa
/// från Västerbron`, `ta en överdos`).
pub(super) const SELF_HARM_MEANS_WINDOW: usize = 4;

/// How many words before the `att` of a harm feared for a person the word
/// of fear may stand: `oroar mig för att`.
const FEAR_WINDOW: usize = 3;

/// How many words after `framför` or `under` the vehicle may stand:
/// `framför en lastbil`.
const DEADLY_MEANS_REACH: usize = 2;
/// How many tokens before a past verb of killing its teller may stand:
/// `jag och mina polare har redan spöat`.
const NARRATOR_WINDOW: usize = 6;
/// How many words may name those with the writer: `jag och mina polare`.
const COMPANION_WORDS: usize = 2;
/// How many tokens after a past verb of killing its victim may stand.
pub(super) const NARRATIVE_VICTIM_WINDOW: usize = 5;
/// How many tokens after a wish opener the verb of suffering may stand
/// (`må varenda jävla invandrare ruttna`).
pub(super) const WISH_WINDOW: usize = 5;
/// How many tokens after `ni` the addressed group or office may stand
/// (`alla ni som går till moskén`).
pub(super) const ADDRESS_WINDOW: usize = 6;

/// How many tokens before `ta er en efter en` the writer may stand (`vi
/// kmr hitta er`, `vi ska nog ta er`).
const PICKED_OFF_WRITER_WINDOW: usize = 3;
/// How far before what is felt its `smaka` or `känna` may stand: `få
/// känna på den vassa kniven`.
const FELT_WINDOW: usize = 4;
/// How many tokens after a verb of violence its person object may stand
/// (`dränka den där miljöchefen`).
pub(super) const OBJECT_WINDOW: usize = 3;
/// How many tokens before the addressee's body part the verb of force may
/// stand (`slår jag sönder ditt ansikte`).
pub(super) const FORCE_TO_BODY: usize = 4;
/// How many tokens after a copula a dehumanising word may stand (`har
/// alltid varit ett parasitfolk`).
pub(super) const COPULA_TO_PREDICATE: usize = 4;
/// How many letters one run of masking characters may hide.
pub(super) const MASK_RUN_MAX: usize = 4;
/// How many tokens after the denial the word for human may stand (`är
/// inte ens riktiga människor`).
pub(super) const DENIAL_TO_HUMAN: usize = 3;

/// How many words after `enda bra` the copula of the formula may stand:
/// `enda bra syriern är`, `enda bra med en jude är`.
const GOOD_ONLY_DEAD_REACH: usize = 3;
/// How many tokens after `skulle` the advice may stand (`skulle jag
/// inte gå ut ensam`).
pub(super) const ADVICE_WINDOW: usize = 5;
/// The characters people mask letters with.
pub(super) const MASKS: [char; 3] = ['*', '#', '_'];
// `masked_words` looks for the masks byte by byte.
const _: () = assert!(MASKS[0].is_ascii() && MASKS[1].is_ascii() && MASKS[2].is_ascii());

/// A matched shape, before its guards are looked at.
pub(super) struct Shape {
    pub(super) first: usize,
    pub(super) last: usize,
    /// The rule's row: its id, category and legal basis.
    pub(super) row: &'static RuleRow,
    /// The start of the reason: the row's, or what one form of the shape
    /// says instead.
    pub(super) reason: &'static str,
    /// The row's strength, or review where one form of the shape is weaker.
    pub(super) strength: Strength,
}

impl Shape {
    /// The shape of `row` from token `first` to token `last`, with the
    /// row's reason and strength.
    pub(super) fn of(row: &'static RuleRow, first: usize, last: usize) -> Self {
        Shape {
            first,
            last,
            row,
            reason: row.reason,
            strength: row.strength,
        }
    }
}

/// The slur spellings of one comment, found once and shared by the rules
/// that need a target.
pub(super) struct Marks {
    /// Masked or shortened slurs, as token ranges.
    slurs: Vec<(usize, usize)>,
    /// Group + insult compounds, as tokens.
    compounds: Vec<usize>,
}

/// The word lists that this file's rules try against every word of a
/// comment (slur forms, group stems, insult heads), indexed once per
/// detector by the byte a match must start or end with: a word is then
/// compared only with the few entries that can match it, instead of with
/// every entry of the class. Each bucket keeps its entries in file order,
/// so the first match found is the one a scan of the whole list finds.
pub(super) struct WordIndex {
    /// Indices into `slur_forms`, by the form's first byte, each with the
    /// form's last byte (a shortened slur keeps both letters).
    slur_forms_by_first_byte: Vec<Vec<(u8, usize)>>,
    /// Indices into `group_stems`, by the stem's first byte.
    group_stems_by_first_byte: Vec<Vec<usize>>,
    /// Indices into `insult_heads`, by the head's last byte.
    insult_heads_by_last_byte: Vec<Vec<usize>>,
    /// Each group stem as characters, for matching masked words.
    group_stem_chars: Vec<Vec<char>>,
    /// What may follow a group stem in a masked group word (see
    /// `Rules::masked_groups`), as characters, in the order they are tried.
    group_tail_chars: Vec<Vec<char>>,
}

impl WordIndex {
    /// Indexes the classes of `classes` that the per-word scans read.
    pub(super) fn new(classes: &WordClasses) -> Self {
        let mut slur_forms_by_first_byte = vec![Vec::new(); 256];
        for (at, form) in classes.words(Class::SlurForms).iter().enumerate() {
            if let (Some(&first), Some(&last)) = (form.as_bytes().first(), form.as_bytes().last()) {
                slur_forms_by_first_byte[usize::from(first)].push((last, at));
            }
        }
        let stems = classes.words(Class::GroupStems);
        let heads = classes.words(Class::InsultHeads);
        Self {
            slur_forms_by_first_byte,
            group_stems_by_first_byte: bucketed(stems, |stem| stem.as_bytes().first().copied()),
            insult_heads_by_last_byte: bucketed(heads, |head| head.as_bytes().last().copied()),
            group_stem_chars: stems.iter().map(|stem| stem.chars().collect()).collect(),
            group_tail_chars: super::evidence::group_tails(heads)
                .iter()
                .map(|tail| tail.chars().collect())
                .collect(),
        }
    }

    /// The slur forms (indices into `slur_forms`, in file order) that start
    /// with the first byte of `word` and end with its last byte.
    fn slur_candidates<'i>(&'i self, word: &str) -> impl Iterator<Item = usize> + 'i {
        let bytes = word.as_bytes();
        let (bucket, last): (&[(u8, usize)], u8) = match (bytes.first(), bytes.last()) {
            (Some(&first), Some(&last)) => {
                (&self.slur_forms_by_first_byte[usize::from(first)], last)
            }
            _ => (&[], 0),
        };
        bucket
            .iter()
            .filter(move |&&(form_last, _)| form_last == last)
            .map(|&(_, at)| at)
    }

    /// The group stems (indices into `group_stems`) that start with the
    /// first byte of `word`.
    fn stem_candidates(&self, word: &str) -> &[usize] {
        word.as_bytes().first().map_or(&[], |&first| {
            &self.group_stems_by_first_byte[usize::from(first)]
        })
    }

    /// The insult heads (indices into `insult_heads`) that end with the
    /// last byte of `word`.
    fn head_candidates(&self, word: &str) -> &[usize] {
        word.as_bytes().last().map_or(&[], |&last| {
            &self.insult_heads_by_last_byte[usize::from(last)]
        })
    }

    /// The group stems as characters.
    pub(super) fn group_stem_chars(&self) -> &[Vec<char>] {
        &self.group_stem_chars
    }

    /// The tails of a masked group word as characters, in the order tried.
    pub(super) fn group_tail_chars(&self) -> &[Vec<char>] {
        &self.group_tail_chars
    }
}

/// The indices of `words` by the byte `key` picks from each (a word
/// without one is in no bucket), in file order within a bucket.
fn bucketed(words: &[String], key: impl Fn(&str) -> Option<u8>) -> Vec<Vec<usize>> {
    let mut buckets = vec![Vec::new(); 256];
    for (at, word) in words.iter().enumerate() {
        if let Some(byte) = key(word) {
            buckets[usize::from(byte)].push(at);
        }
    }
    buckets
}

impl Rules<'_, '_> {
    /// Every shape of this file; see the module documentation.
    pub(super) fn aimed_harm(&self, out: &mut Vec<Finding>) {
        let doc = self.doc;
        let hidden = self.hidden_slurs();
        let marks = Marks {
            slurs: hidden
                .iter()
                .map(|&(first, last, _)| (first, last))
                .collect(),
            compounds: self.insult_compounds(),
        };
        let mut shapes = Vec::new();
        for &(first, last, plural) in &hidden {
            shapes.push(Shape {
                strength: aimed_at_group(plural),
                ..Shape::of(row!("il.hets_mot_folkgrupp.masked_slur"), first, last)
            });
        }
        shapes.extend(self.disguised_slurs());
        shapes.extend(self.emoji_coded(&marks));
        for &i in &marks.compounds {
            // Vermin and animals deny humanity (obvious); a swearword
            // compound (`…jävlar`) and a listed slur are slurs, judged by a
            // person like every slur.
            let dehumanising = doc
                .classes
                .contains_any(doc.word(i), Class::DehumanisingStems)
                && self.role_at(i, &[Role::Slur]).is_none();
            shapes.push(Shape {
                strength: aimed_at_group(dehumanising),
                ..Shape::of(row!("il.hets_mot_folkgrupp.insult_compound"), i, i)
            });
        }
        for i in 0..doc.tokens.len() {
            push_some(&mut shapes, self.self_harm_urged(i));
            push_some(&mut shapes, self.violence_deserved(i, &marks));
            push_some(&mut shapes, self.sent_to_extermination(i, &marks));
            push_some(&mut shapes, self.killing_told(i, &marks));
            push_some(&mut shapes, self.suffering_wished(i, &marks));
            push_some(&mut shapes, self.plural_threat(i, &marks));
            push_some(&mut shapes, self.picked_off(i, &marks));
            push_some(&mut shapes, self.dehumanising_compound(i, &marks));
            push_some(&mut shapes, self.humanity_denied(i, &marks));
            push_some(&mut shapes, self.good_only_dead(i, &marks));
            push_some(&mut shapes, self.advice_as_threat(i));
            push_some(&mut shapes, self.death_promised(i));
            push_some(&mut shapes, self.veiled_future(i));
            push_some(&mut shapes, self.call_against_person(i));
            push_some(&mut shapes, self.call_as_question(i, &marks));
            push_some(&mut shapes, self.body_harm(i));
            push_some(&mut shapes, self.violence_praised(i));
            push_some(&mut shapes, self.promised_to_addressee(i));
            push_some(&mut shapes, self.violence_would_help(i));
            // People named inside say more than the place alone.
            push_some(
                &mut shapes,
                self.burned_inside(i)
                    .or_else(|| self.destruction_promised(i)),
            );
            push_some(&mut shapes, self.violence_named(i, &marks));
        }
        for shape in shapes {
            if let Some(finding) = self.judged(shape) {
                out.push(finding);
            }
        }
    }

    /// The finding for a shape after its guards (see the module
    /// documentation), or none.
    fn judged(&self, shape: Shape) -> Option<Finding> {
        let doc = self.doc;
        let at_group = shape.row.category == Category::HetsMotFolkgrupp;
        let guard = doc
            .threat_guard_at(shape.first, shape.last, at_group)
            .filter(|&g| !waived_by_the_shape(g, shape.row.id));
        let (confidence, reason) = match guard {
            Some(
                Guard::Quotation
                | Guard::News
                | Guard::CounterSpeech
                | Guard::Question
                | Guard::Game,
            ) => {
                return None;
            }
            Some(g) => (Confidence::Probable, guarded_reason(shape.reason, g)),
            None if shape.strength == Strength::Obvious => {
                (Confidence::Obvious, format!("{}.", shape.reason))
            }
            None => (
                Confidence::Probable,
                format!("{}; en person behöver bedöma.", shape.reason),
            ),
        };
        Some(
            Verdict {
                category: shape.row.category,
                confidence,
                rule: shape.row.id,
                basis: shape.row.basis,
                reason,
            }
            .at(doc.span(shape.first, shape.last)),
        )
    }

    // ----- targets -----

    /// The token is a group or slur: listed, masked (a slur, or a group
    /// word the writer knows not to name: `j*dar`), shortened or a
    /// compound with an insult.
    pub(super) fn group_at(&self, i: usize, marks: &Marks) -> bool {
        self.role_at(i, &[Role::Group, Role::Slur]).is_some()
            || marks
                .slurs
                .iter()
                .chain(self.masked_groups())
                .any(|&(a, b)| a <= i && i <= b)
            || marks.compounds.contains(&i)
            || self.member_compound_at(i)
    }

    /// The comment names a group (or a slur for one) that is not the
    /// writer's own reclaimed word.
    fn names_a_group(&self, marks: &Marks) -> bool {
        (0..self.doc.tokens.len()).any(|t| self.group_at(t, marks) && !self.reclaimed(t))
    }

    /// A slur right after a first-person word: `vi flator`, `jag är bög`.
    pub(super) fn reclaimed(&self, i: usize) -> bool {
        let doc = self.doc;
        (i > 0 && doc.is(i - 1, Class::Reclaiming) && doc.same_sentence(i - 1, i))
            || (i >= 2 && doc.is(i - 2, Class::FirstPerson) && doc.is(i - 1, Class::Copula))
    }

    /// A person: a pronoun, a name, someone acting for society, a role or
    /// an insult for a person (`feministkärringarna`), or a group the law
    /// on hets mot folkgrupp does not name (`kvinnor`).
    pub(super) fn person_at(&self, i: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        // `vildsvinen` ends like the insult `svinen`, and `Värmland` in
        // `vargarna i Värmland` is where they are: culling is no violence
        // at a person.
        !word.is_empty()
            && !doc.is(i, Class::Animals)
            && !doc.where_animals_are(i)
            && (doc.is(i, Class::PersonWords)
                || doc.is(i, Class::SecondPersonSubject)
                || doc.is(i, Class::SecondPersonObject)
                || doc.is(i, Class::ThirdPersonObject)
                || doc.is(i, &["de", "dom"])
                || doc.is_name(i)
                || doc.is_person_target(i)
                || doc.classes.ends_with_any(word, Class::ThreatPersonRoles)
                || doc.classes.ends_with_any(word, Class::InsultHeads)
                || doc.is(i, Class::UnprotectedGroups))
    }

    /// A verb of violence the lexicon lists as probable or more: what a
    /// call to violence is made with.
    pub(super) fn violent_verb_at(&self, verb: usize) -> bool {
        self.role_at(verb, &[Role::Violence])
            .is_some_and(|hit| hit.found.entry.confidence >= Confidence::Probable)
    }

    /// `Dränk kollegan i beröm`, `döda honom med vänlighet`: a harmless
    /// means after the object makes the verb a figure of speech.
    fn harmless_means_after(&self, object: usize) -> bool {
        let doc = self.doc;
        doc.is(object + 1, &["i", "med"]) && doc.is(object + 2, Class::IdiomMeans)
    }

    /// A person (see [`Self::person_at`]) other than the one addressed:
    /// whom a call to violence is aimed at.
    fn third_person_at(&self, i: usize) -> bool {
        let doc = self.doc;
        self.person_at(i)
            && !doc.is(i, Class::SecondPersonSubject)
            && !doc.is(i, Class::SecondPersonObject)
    }

    // ----- slurs -----

    /// Masked (`n***rer`) and shortened (`ngrr`) spellings of a slur, as
    /// token ranges, each with whether the slur is plural (aimed at a
    /// group, not one person: `n***rer`, not `n!gger`).
    fn hidden_slurs(&self) -> Vec<(usize, usize, bool)> {
        let doc = self.doc;
        let forms = doc.classes.words(Class::SlurForms);
        let mut found = Vec::new();
        for (range, pattern) in masked_words(&doc.normalized.text) {
            if let Some(form) = forms.iter().find(|form| masked_match(&pattern, form)) {
                let first = doc.token_at(range.start);
                let last = doc.token_at(range.end.saturating_sub(1));
                if let (Some(first), Some(last)) = (first, last) {
                    found.push((first, last.max(first), plural(form)));
                }
            }
        }
        // A word is tried only against the forms with its first and last
        // byte (`shortened` refuses every other one); a word too short to
        // be a shortened form is skipped at once.
        for i in 0..doc.tokens.len() {
            let word = doc.word(i);
            // Fewer bytes than characters a shortened form has at least.
            if word.len() < SHORTENED_MIN_CHARS {
                continue;
            }
            let mut candidates = self.index.slur_candidates(word).peekable();
            if candidates.peek().is_none() || doc.is(i, Class::SlurForms) {
                continue;
            }
            if let Some(form) = candidates
                .map(|at| forms[at].as_str())
                .find(|form| shortened(word, form))
            {
                found.push((i, i, plural(form)));
            }
        }
        found.retain(|&(first, _, _)| !self.reclaimed(first));
        found
    }

    /// Words made of a group and an insult: `somaliaporna`, with a
    /// hyphen, `invandrar-parasiter`, and masked, `z*genarpack` (the token
    /// of the insult).
    fn insult_compounds(&self) -> Vec<usize> {
        let doc = self.doc;
        let stems = doc.classes.words(Class::GroupStems);
        let heads = doc.classes.words(Class::InsultHeads);
        // Only the stems with the word's first byte and the heads with its
        // last byte can match.
        let joined = |i: usize| {
            let word = doc.word(i);
            let heads_here = self.index.head_candidates(word);
            !heads_here.is_empty()
                && self.index.stem_candidates(word).iter().any(|&stem| {
                    let stem = &stems[stem];
                    word.starts_with(stem.as_str())
                        && heads_here.iter().any(|&head| {
                            let head = &heads[head];
                            word.ends_with(head.as_str())
                                && (stem.len() + head.len()..=stem.len() + head.len() + 2)
                                    .contains(&word.len())
                        })
                })
        };
        let hyphened = |i: usize| {
            i > 0
                && doc.hyphen_between(i - 1, i)
                && stems.iter().any(|stem| starts_with(doc.word(i - 1), stem))
                && heads.iter().any(|head| doc.word(i) == head.as_str())
        };
        let masked = self.masked_insult_compounds();
        (0..doc.tokens.len())
            .filter(|&i| (joined(i) || hyphened(i) || masked.contains(&i)) && !self.reclaimed(i))
            .collect()
    }

    /// The token is a word made of a group and people (`somaliungarna`,
    /// `invandrarbarnen`, `judeläkarna`, `muslimpolitikerna`): the group's
    /// members, aimed at as the group. The part after the stem is a word
    /// for people with at most [`MEMBER_ENDING_MAX`] letters of ending, or
    /// is itself listed as a person (`läkarna`); a stem that merely opens a
    /// longer word (`romanförfattaren`, `transportarbetarna`) makes none,
    /// nor does a word of class `not_member_compounds` (`lappvakten`).
    pub(super) fn member_compound_at(&self, i: usize) -> bool {
        let doc = self.doc;
        let word = doc.word(i);
        // Asked of many tokens, and most words are shorter than any stem
        // and word for people together.
        if word.len() < MEMBER_COMPOUND_MIN_BYTES || doc.is(i, Class::NotMemberCompounds) {
            return false;
        }
        let stems = doc.classes.words(Class::GroupStems);
        let heads = doc.classes.words(Class::PeopleHeads);
        let people = |rest: &str| {
            heads.iter().any(|head| {
                rest.strip_prefix(head.as_str())
                    .is_some_and(|ending| ending.chars().count() <= MEMBER_ENDING_MAX)
            }) || doc.classes.has(rest, Class::PersonTargets)
                || doc.classes.has(rest, Class::ThreatPersonRoles)
        };
        let member = self.index.stem_candidates(word).iter().any(|&stem| {
            word.strip_prefix(stems[stem].as_str())
                .map(|rest| rest.strip_prefix(['s', '-']).unwrap_or(rest))
                .is_some_and(|rest| !rest.is_empty() && people(rest))
        });
        member && !self.reclaimed(i)
    }

    // ----- self-harm -----

    /// `gå och häng dig`, `ta livet av dig`, `hoppa från bron`.
    fn self_harm_urged(&self, i: usize) -> Option<Shape> {
        let doc = self.doc;
        // Every shape below opens with one of these words: tag and word
        // tests, asked before the costlier test of an urging.
        let opens_a_shape = doc.is(i, Class::SelfHarmReflexive)
            || doc.is(i, &["ta", "avsluta", "gör", "stick", "sätt"])
            || doc.is(i, Class::DeathUrged)
            || doc.is(i, Class::SelfHarmActs);
        // `Hoppa inte framför tåget`, `ta inte livet av dig`: a plea (but
        // `Dö ingen saknar dig` runs on into a new clause).
        let pleaded = (i + 1..=i + 2).any(|t| {
            doc.same_sentence(i, t) && doc.is(t, &["inte", "int", "aldrig", "ej", "icke"])
        });
        if !opens_a_shape || pleaded || !self.urged(i) {
            return None;
        }
        let reflexive = |t: usize| doc.is(t, &["dig", "dej", "er"]) && doc.same_sentence(i, t);
        let shape = |last: usize, strength| Shape {
            strength,
            ..Shape::of(row!("il.olaga_hot.urges_self_harm"), i, last)
        };
        if doc.is(i, Class::SelfHarmReflexive) && reflexive(i + 1) {
            // `häng dig inte upp på detaljer`, `skär dig en bit`: idioms.
            let idiom = (i + 2..=i + 3).any(|t| doc.is(t, &["upp", "en", "ett", "foten"]));
            let strength = if doc.is(i + 1, &["er"]) {
                Strength::Review
            } else {
                Strength::Obvious
            };
            return (!idiom).then(|| shape(i + 1, strength));
        }
        if let Some(yourself) = self.weapon_at_yourself(i) {
            return Some(shape(yourself, Strength::Obvious));
        }
        // `Dö, din jävla hora`, `drunkna, Ekström`: death urged on one
        // person, which a person (or a sure confirming model) judges, as a
        // curse may be meant or not. Not an idiom (`dö av skratt`) nor how
        // to die (`dö som en hjälte`).
        if doc.is(i, Class::DeathUrged) {
            let urged_on_one = self.one_person_addressed(i)
                && !super::hot::dying_idiom(doc, i + 1)
                && !doc.is(i + 1, &["som"])
                && !doc.negated_before(i, i);
            return urged_on_one.then(|| Shape {
                strength: Strength::Review,
                ..Shape::of(row!("il.olaga_hot.urges_self_harm_person"), i, i)
            });
        }
        if let Some(life) = self.own_life_taken(i) {
            return Some(shape(life, Strength::Obvious));
        }
        if doc.phrase_at(i, &["gör", "slut", "på"]) && reflexive(i + 3) && doc.is(i + 4, &["själv"])
        {
            return Some(shape(i + 4, Strength::Obvious));
        }
        if !doc.is(i, Class::SelfHarmActs) {
            return None;
        }
        let means = (i + 1..=i + SELF_HARM_MEANS_WINDOW)
            .take_while(|&t| doc.same_sentence(i, t))
            .find(|&t| {
                let listed = doc.is(t, Class::SelfHarmMeans)
                    || doc.classes.ends_with_any(doc.word(t), Class::SelfHarmMeans);
                // `ta tåget`, `kliv på pendeln`: a vehicle is a means only
                // in front of or under it (`under en buss`), and then any
                // vehicle is.
                self.vehicle_in_front(t) || (listed && !doc.is(t, Class::FrontVehicles))
            })?;
        // `er` (many addressed) is left to a person: a crowd told to die
        // is rhetoric as often as a threat.
        let singular = |t: usize| doc.is(t, &["dig", "dej"]) && doc.same_sentence(i, t);
        let strong = doc.is(means, &["självmord"]) || (means + 1..=means + 2).any(singular);
        if strong {
            return Some(shape(means, Strength::Obvious));
        }
        let one_person = self.one_person_addressed(i);
        // `hoppa framför tåget, Alva`, `gör oss alla en tjänst och ta en
        // överdos`: a means with no harmless reading said to one person, or
        // a favour asked for others, says the writer wants the addressee
        // dead; a crowd (`er`) stays rhetoric a person judges.
        let crowd = doc
            .sentence_tokens(i)
            .any(|t| doc.is(t, Class::PluralAddressee));
        if !crowd && ((one_person && self.deadly_means_at(means)) || self.favour_asked()) {
            return Some(shape(means, Strength::Obvious));
        }
        if one_person {
            return Some(Shape {
                strength: Strength::Review,
                ..Shape::of(row!("il.olaga_hot.urges_self_harm_person"), i, means)
            });
        }
        Some(shape(means, Strength::Review))
    }

    /// `stick kniven i halsen på dig själv`, `skjut en kula i huvudet på
    /// dig själv`, `sätt kniven i dig själv`: the urging verb
    /// (`self_harm_reflexive`, `stick`, `sätt`), a weapon, then a body
    /// part + `på dig själv` within [`SELF_HARM_MEANS_WINDOW`] words, or
    /// `i dig själv` right after it; the token of `själv`. (`stick dig`
    /// alone means go away.)
    fn weapon_at_yourself(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        if !(doc.is(verb, Class::SelfHarmReflexive) || doc.is(verb, &["stick", "sätt"])) {
            return None;
        }
        let weapon = (verb + 1..=verb + 2)
            .find(|&t| doc.same_sentence(verb, t) && self.weapon_or_bullet(t))?;
        (weapon + 1..=weapon + SELF_HARM_MEANS_WINDOW)
            .take_while(|&t| doc.same_sentence(verb, t + 2))
            .find(|&t| {
                // Into a body part of yours, or into you.
                let into_you = (doc.is(t, &["på"]) && doc.is(t - 1, Class::Body))
                    || (doc.is(t, &["i"]) && t == weapon + 1);
                into_you && doc.is(t + 1, &["dig", "dej"]) && doc.is(t + 2, &["själv"])
            })
            .map(|t| t + 2)
    }

    /// `Jag är rädd att journalisten ska få en kula`, `oroar mig för att
    /// den där mannen …`: a word of fear, then `att` within
    /// [`FEAR_WINDOW`] words, then the subject with nothing but determiners
    /// between (not `rädd att säga det: journalisten ska …`), in one
    /// sentence.
    pub(super) fn feared_for(&self, subject: usize) -> bool {
        let doc = self.doc;
        let start = doc.sentence_tokens(subject).start;
        let determiner = |t: usize| doc.is(t, Class::Determiners) || doc.is(t, &["där"]);
        let Some(that) = (start..subject).rev().find(|&t| !determiner(t)) else {
            return false;
        };
        if !doc.is(that, &["att"]) {
            return false;
        }
        (that.saturating_sub(FEAR_WINDOW).max(start)..that).any(|t| doc.is(t, Class::Fears))
    }

    /// A vehicle (`front_vehicles`) right after `framför` or `under`
    /// (`vehicle_fronts`), or after an article after it (`under en buss`):
    /// the only place a vehicle is a means of self-harm.
    fn vehicle_in_front(&self, t: usize) -> bool {
        let doc = self.doc;
        let front = |f: usize| doc.is(f, Class::VehicleFronts);
        doc.is(t, Class::FrontVehicles)
            && ((t > 0 && front(t - 1)) || (t > 1 && doc.is(t - 1, &["en", "ett"]) && front(t - 2)))
    }

    /// The means at `means` has no harmless reading (`deadly_means`, a
    /// vehicle in front: `under tåget`), or is a word of `vehicle_fronts`
    /// with a vehicle within [`DEADLY_MEANS_REACH`] words after it
    /// (`framför en lastbil`, not `ta tåget`).
    fn deadly_means_at(&self, means: usize) -> bool {
        let doc = self.doc;
        if doc.is(means, Class::DeadlyMeans) || self.vehicle_in_front(means) {
            return true;
        }
        doc.is(means, Class::VehicleFronts)
            && (means + 1..=means + DEADLY_MEANS_REACH)
                .take_while(|&t| doc.same_sentence(means, t))
                .any(|t| doc.is(t, Class::FrontVehicles))
    }

    /// The comment asks the addressee a favour for others (`gör oss alla en
    /// tjänst`, class `favours`).
    fn favour_asked(&self) -> bool {
        let doc = self.doc;
        (0..doc.tokens.len()).any(|t| doc.phrase_of(t, Class::Favours).is_some())
    }

    /// `ta ditt liv`, `avsluta ditt patetiska liv`: `ta` or `avsluta` with
    /// the addressee's own life as its object, at most one word between
    /// (not `ta ditt liv tillbaka`, `ta hand om ditt liv`). The token of
    /// `liv`.
    fn own_life_taken(&self, i: usize) -> Option<usize> {
        let doc = self.doc;
        let ending = doc.is(i, &["ta", "avsluta"]) && doc.is(i + 1, &["ditt"]);
        if !ending {
            return None;
        }
        let life = (i + 2..=i + 3)
            .take_while(|&t| doc.same_sentence(i, t))
            .find(|&t| doc.is(t, &["liv"]))?;
        (!doc.is(life + 1, &["tillbaka"])).then_some(life)
    }

    /// The sentence of `i` speaks to one person: an `addressee` word that
    /// is not `plural_addressee` (`du`, `din`) or a name, also one set off
    /// by commas (`Hoppa från Västerbron Marcus`, `Dö, Ekström`), and no
    /// `plural_addressee` word (`ni`, `era`).
    fn one_person_addressed(&self, i: usize) -> bool {
        let doc = self.doc;
        let sentence = doc.sentence_tokens(i);
        let crowd = |t: usize| doc.is(t, Class::PluralAddressee);
        let one = sentence.clone().any(|t| {
            let named = doc.is_name(t) || doc.is_vocative_name(t);
            (doc.is(t, Class::Addressee) && !crowd(t)) || (t != i && named)
        });
        one && !sentence.into_iter().any(crowd)
    }

    /// The token is urged on the addressee: an imperative, after `snälla`,
    /// `bara`, `gärna`, or advice given to `du` or `ni`.
    fn urged(&self, i: usize) -> bool {
        let doc = self.doc;
        let before = |back: usize, words: &[&str]| {
            i >= back && doc.same_sentence(i - back, i) && doc.is(i - back, words)
        };
        doc.imperative(i)
            || (before(1, &["snälla", "bara", "gärna"]) && imperative_form(doc.word(i)))
            // `det bästa du kan göra är att ta livet av dig`, `du borde
            // hänga dig`: advice to the addressee.
            || (before(1, &["att"])
                && before(2, &["är"])
                && doc.sentence_tokens(i).any(|t| t < i && doc.is(t, &["du", "ni"])))
            || (before(1, &["borde", "bör", "måste"]) && before(2, &["du", "ni"]))
    }

    // ----- deserving violence -----

    /// `Muslimer förtjänar varenda smäll`, `Hon borde bli våldtagen`,
    /// `Somalier ska skjutas vid gränsen`.
    fn violence_deserved(&self, modal: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let of_duty = doc.is(modal, Class::DeserveModals);
        // `Hon kommer att få ett basebollträ i ansiktet`: a plain future
        // promises a weapon received in the body as `ska få` does, and
        // nothing else (`han kommer att skjutas upp` is no wish).
        if !of_duty && !doc.is(modal, Class::FutureModals) {
            return None;
        }
        let deserves = doc.is(modal, &["förtjänar", "förtjänade", "behöver"]);
        let mut promised = false;
        let violence = (modal + 1..=self.violence_reach(modal))
            .take_while(|&t| doc.same_sentence(modal, t))
            .find(|&t| {
                // `ska få stryk`, and the spoken `ska ha stryk`.
                let after_receive =
                    doc.is(t - 1, &["få", "ha"]) || doc.is(t.wrapping_sub(2), &["få", "ha"]);
                let weapon_received = after_receive && self.weapon_into_body_at(t).is_some();
                let received =
                    weapon_received || (after_receive && doc.is(t, Class::ViolenceNouns));
                // `Ni kommer få stryk på fredag`: a beating foretold is as
                // often a lost match; a weapon in the body is not.
                if !of_duty {
                    promised |= weapon_received;
                    return weapon_received;
                }
                doc.is(t, Class::ViolenceParticiples)
                    || (doc.word(t).ends_with('s')
                        && (doc.to_death_at(t + 1).is_some()
                            || doc.phrase_at(t + 1, &["sönder", "och", "samman"])))
                    || self.passive_at_the_body(t)
                    || self.put_against_the_wall(t)
                    || self.thrown_to_a_fall(t)
                    || (doc.is(t, &["köras", "körs"])
                        && doc.is(t + 1, &["över", "ihjäl", "ner"])
                        && !doc.way_after(t + 1))
                    || (deserves && doc.is(t, Class::ViolenceNouns))
                    || self.injury_received(t)
                    || (doc.is(t, Class::ExterminationPlaces) && doc.is(t - 1, &["i", "till"]))
                    || (self.harm_felt_at_the_end(t) && {
                        promised = doc.is(modal, Class::FutureModals);
                        true
                    })
                    || (received && {
                        promised = doc.is(modal, Class::FutureModals);
                        true
                    })
            })?;
        // `vargarna borde skjutas av`: culled, not killed (but `våldtagen
        // av hela bussen` names who does it); `få smäll på fingrarna`: be
        // reprimanded.
        let culled = doc.is(violence + 1, &["av"]) && !self.agent_after(violence + 1);
        if culled || doc.phrase_at(violence + 1, &["på", "fingrarna"]) {
            return None;
        }
        let start = doc.sentence_tokens(modal).start;
        // As the subject a noun for a doer is a person too (`Valarbetaren
        // som … ska få en kula`); after the verb it may be a thing.
        let named = |t: usize| self.group_at(t, marks) || self.person_at(t) || doc.person_noun(t);
        // `Journalisten som skrev artikeln om Rinkeby ska …`: a name inside
        // the relative clause is not the subject when the clause has a head.
        let inside_relative_clause = |t: usize| (start + 1..t).any(|s| doc.is(s, &["som"]));
        let near = (modal.saturating_sub(SUBJECT_BEFORE_MODAL).max(start)..modal)
            .find(|&t| named(t))
            .filter(|&t| {
                !inside_relative_clause(t)
                    || self.relative_clause_heads(modal).all(|head| !named(head))
            });
        // `Alla blattar som kör taxi vid Centralen borde …`: a group heading
        // the relative clause is the subject, not a name inside the clause.
        let group_head = || {
            self.relative_clause_heads(modal)
                .find(|&t| self.group_at(t, marks))
        };
        let placed = self.subject_before_place(modal).filter(|&t| named(t));
        let subject = near
            .filter(|&t| self.group_at(t, marks))
            .or(placed.filter(|&t| self.group_at(t, marks)))
            .or_else(group_head)
            .or(near)
            .or(placed)
            .or_else(|| self.relative_clause_heads(modal).find(|&t| named(t)))?;
        // `Kärringar som inte kan köra ska få stryk`: a negation inside the
        // relative clause says who is meant, not that nothing is wished.
        let from = if near == Some(subject) || placed == Some(subject) {
            subject
        } else {
            modal
        };
        if doc.negated_before(from, violence + 1) || self.feared_for(subject) {
            return None;
        }
        let group = self.group_at(subject, marks) && !self.reclaimed(subject);
        let sexual = doc.word(violence).starts_with("våldt");
        // A person who `borde skjutas` is a wish a person judges; sexual
        // violence, `ska få en kula` and violence at a whole group of people
        // (`kvinnor som gör abort ska stenas`) are not.
        let people = doc.is(subject, Class::UnprotectedGroups);
        let strength = if group || sexual || promised || people {
            Strength::Obvious
        } else {
            Strength::Review
        };
        Some(if group {
            Shape {
                strength,
                ..Shape::of(
                    row!("il.hets_mot_folkgrupp.deserves_violence"),
                    subject,
                    violence,
                )
            }
        } else {
            Shape {
                strength,
                ..Shape::of(row!("il.olaga_hot.deserves_violence"), subject, violence)
            }
        })
    }

    /// `Judar till gaskammaren!`, `j.u.d.a.r. i gaskammaren, igen`: a
    /// slogan with no verb, a sentence that is only a group, `till` (or `i`
    /// with `igen`) and a place of extermination. Not a group named in a
    /// longer sentence (`bilden visar judarna i gaskammaren`).
    fn sent_to_extermination(&self, to: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let place = to + 1;
        if !doc.is(to, &["till", "i"])
            || !doc.is(place, Class::ExterminationPlaces)
            || !doc.same_sentence(to, place)
        {
            return None;
        }
        let sentence = doc.sentence_tokens(to);
        let group = (sentence.start..to)
            .rev()
            .take_while(|&t| self.group_at(t, marks))
            .last()?;
        let counted = (sentence.start..group).all(|t| doc.is(t, Class::Quantifiers));
        let rest = place + 1..sentence.end;
        let again = rest.clone().any(|t| doc.is(t, &["igen"]));
        let only_emphasis = rest
            .clone()
            .all(|t| doc.is(t, &["igen", "nu", "direkt", "allihop", "allihopa"]));
        let slogan = counted && only_emphasis && (doc.is(to, &["till"]) || again);
        (slogan && !self.reclaimed(group)).then(|| Shape {
            strength: Strength::Obvious,
            ..Shape::of(
                row!("il.hets_mot_folkgrupp.deserves_violence"),
                group,
                place,
            )
        })
    }

    /// The last token after a modal of deserving where its violence may
    /// stand: [`MODAL_TO_VIOLENCE`] tokens on, or, when a passive opens
    /// what follows, the passive coordinated with it by `och` within
    /// [`COORDINATED_PASSIVE_WINDOW`] (`borde ställas upp mot en vägg och
    /// skjutas`, `borde dras ut ur bilen och slås ihjäl`).
    fn violence_reach(&self, modal: usize) -> usize {
        let doc = self.doc;
        let plain = modal + MODAL_TO_VIOLENCE;
        let first = modal + 1 + usize::from(doc.is(modal + 1, &["bli", "att"]));
        let passive = doc.word(first).ends_with('s') && doc.word(first).chars().count() > 3;
        if !passive {
            return plain;
        }
        (first + 1..=modal + COORDINATED_PASSIVE_WINDOW)
            .take_while(|&t| doc.same_sentence(modal, t))
            .find(|&t| doc.is(t, &["och", "o", "å"]))
            .map_or(plain, |and| plain.max(and + 2))
    }

    /// `sparkas i huvudet`, `slås på käften`: the passive of a verb of
    /// force with a body part it hits.
    fn passive_at_the_body(&self, t: usize) -> bool {
        let doc = self.doc;
        let Some(active) = doc.word(t).strip_suffix('s') else {
            return false;
        };
        doc.classes.has(active, Class::Force)
            && doc.is(t + 1, &["i", "på"])
            && doc.is(t + 2, Class::Body)
            && doc.same_sentence(t, t + 2)
    }

    /// `Bögarna ska kastas ut genom fönstret`, `borde knuffas framför
    /// tåget`: a passive of throwing at `t`, then (after `ut` or `ner`) a
    /// place of a fall ([`Class::Falls`]). Money thrown out of the window
    /// has no person as its subject, which the caller asks for.
    fn thrown_to_a_fall(&self, t: usize) -> bool {
        let doc = self.doc;
        let thrown = doc.is(t, &["kastas", "slängas", "knuffas", "puttas", "slungas"]);
        let place = if doc.is(t + 1, &["ut", "ner", "ned"]) {
            t + 2
        } else {
            t + 1
        };
        thrown && doc.same_sentence(t, place) && doc.phrase_of(place, Class::Falls).is_some()
    }

    /// `ställas upp mot en vägg`, `ställas mot en vägg`: lined up to be
    /// shot. Not `ställas mot väggen`, which also means to be made to
    /// answer (`politikerna borde ställas mot väggen`).
    fn put_against_the_wall(&self, t: usize) -> bool {
        let doc = self.doc;
        let lined_up = doc.is(t + 1, &["upp"]);
        let against = t + 1 + usize::from(lined_up);
        let wall = if doc.is(against + 1, &["en"]) {
            against + 2
        } else {
            against + 1
        };
        let definite = doc.is(wall, &["väggen", "muren"]);
        doc.is(t, &["ställas", "ställs"])
            && doc.is(against, &["mot"])
            && (doc.is(wall, &["vägg", "mur"]) || (lined_up && definite))
            && doc.same_sentence(t, wall)
    }

    /// `få skallen inslagen`: a body part and its injury, received (`få`
    /// one or two tokens before the body part), with the injury at `t`.
    fn injury_received(&self, t: usize) -> bool {
        let doc = self.doc;
        t >= 2
            && doc.is(t, Class::Injured)
            && doc.is(t - 1, Class::Body)
            && (doc.is(t - 2, &["få"]) || (t >= 3 && doc.is(t - 3, &["få"])))
    }

    /// The words after `av` name who does it (`av hela bussen`, `av ett
    /// gäng`, `av polisen`), not a particle (`skjutas av i vinter`).
    pub(super) fn agent_after(&self, av: usize) -> bool {
        let doc = self.doc;
        let next = av + 1;
        doc.same_sentence(av, next)
            && (doc.is(next, &["en", "ett", "hela", "några", "nån", "någon"])
                || doc.is(next, Class::CountedPeople)
                || self.person_at(next))
    }

    /// The possible heads of a relative clause that ends right before
    /// `modal`: the word before `som` in `Kvinnor som går ut ensamma på
    /// natten förtjänar …`, the subject of the modal however long the
    /// clause is, up to [`RELATIVE_CLAUSE_WINDOW`] tokens; the word before
    /// that head when it names or insults people (`people_heads`,
    /// `insult_heads`; a group's adjective: `Alla muslimska jäklar som …`);
    /// and the noun before a place or owner that `som` follows
    /// (`Journalisten på DN som skrev …`).
    /// `alla svartingar i det här landet borde …`: the word before a place
    /// phrase (a place preposition within [`PLACE_PHRASE_WINDOW`] before
    /// the modal) is the subject, further back than
    /// [`SUBJECT_BEFORE_MODAL`]; not when a clause of its own comes between
    /// (`… i landet som …`, `… i stan och …`).
    pub(super) fn subject_before_place(&self, modal: usize) -> Option<usize> {
        let doc = self.doc;
        let start = doc.sentence_tokens(modal).start;
        let place = (modal.saturating_sub(PLACE_PHRASE_WINDOW).max(start + 1)..modal)
            .find(|&p| doc.is(p, Class::PlacePrepositions))?;
        (!doc.clause_between(place + 1..modal)).then_some(place - 1)
    }

    pub(super) fn relative_clause_heads(&self, modal: usize) -> impl Iterator<Item = usize> + '_ {
        let doc = self.doc;
        let start = doc.sentence_tokens(modal).start;
        let som = (modal.saturating_sub(RELATIVE_CLAUSE_WINDOW).max(start + 1)..modal)
            .rev()
            .find(|&t| doc.is(t, &["som"]));
        let before_place = som
            .filter(|&som| som >= start + 3 && doc.is(som - 2, &["på", "i", "vid", "från", "hos"]));
        // `Alla muslimska jäklar som …`: a group word before a head that
        // names people or insults them (not `muslimska skolor som …`).
        let before_head = som
            .filter(|&som| som >= start + 2)
            .filter(|&som| {
                doc.is(som - 1, Class::InsultHeads) || doc.is(som - 1, Class::PeopleHeads)
            })
            .map(|som| som - 2);
        som.map(|som| som - 1)
            .into_iter()
            .chain(before_head)
            .chain(before_place.map(|som| som - 3))
    }

    // ----- violence named by a noun -----

    /// `Dags för hängning av hela nämnden`, `Utrotning av alla finnjävlar,
    /// nu`, `En kula för varje afghan`: violence named by a noun, called
    /// for and aimed at a group or at people.
    fn violence_named(&self, noun: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let target_from = if doc.is(noun, Class::ExecutionNouns) && doc.is(noun + 1, &["av"]) {
            self.noun_called_for(noun).then_some(noun + 2)?
        } else if doc.is(noun, Class::ViolenceNouns)
            && doc.is(noun + 1, &["för"])
            && doc.is(noun + 2, &["varje", "varenda"])
        {
            noun + 3
        } else {
            return None;
        };
        // `av hela nämnden`, `av styrelsen`, `av varenda journalist`: the
        // people of a body, or whoever is counted one by one.
        let people_named = |t: usize| {
            self.whole_body_of_people(t)
                || (t == target_from && doc.classes.ends_with_any(doc.word(t), Class::PeopleBodies))
                || (doc.is(t.wrapping_sub(1), &["varenda", "varje"]) && !doc.is(t, Class::Animals))
        };
        let target = (target_from..=target_from + OBJECT_WINDOW)
            .take_while(|&t| doc.same_sentence(noun, t))
            .find(|&t| self.group_at(t, marks) || self.person_at(t) || people_named(t))?;
        if doc.negated_before(noun, target + 1) {
            return None;
        }
        if self.group_at(target, marks) && !self.reclaimed(target) {
            return Some(Shape::of(
                row!("il.hets_mot_folkgrupp.violence_named"),
                noun,
                target,
            ));
        }
        // A whole group of people the law does not name (`alla
        // utvecklingsstörda`) is no person a wish may be about.
        let people = doc.is(target, Class::UnprotectedGroups);
        Some(Shape {
            strength: if people {
                Strength::Obvious
            } else {
                Strength::Review
            },
            ..Shape::of(row!("il.olaga_hot.violence_named"), noun, target)
        })
    }

    /// A noun of violence said as a call: after an opener (`dags för`,
    /// `ja till`), or opening its sentence with urgency after it
    /// (`Utrotning av alla X, nu`), not as a topic (`Avrättning av
    /// homosexuella i Iran är vidrigt`).
    fn noun_called_for(&self, noun: usize) -> bool {
        let doc = self.doc;
        let opened = (noun.saturating_sub(3)..noun)
            .any(|start| doc.phrase_of(start, Class::NounCallOpeners) == Some(noun - start));
        let urgent = doc.clause_start(noun)
            && doc
                .sentence_tokens(noun)
                .any(|t| t > noun && doc.is(t, Class::CallTimes));
        opened || urgent
    }

    // ----- more shapes of issue 15 -----

    /// A listed slur whose letters were spaced, dotted or swapped for
    /// look-alikes (`Z-i-g-g-e-s`, `sv@rtskallarna`): the writer hides it.
    fn disguised_slurs(&self) -> Vec<Shape> {
        let doc = self.doc;
        self.with_role(Role::Slur)
            .filter(|hit| {
                let written = doc.normalized_original(doc.hit_span(hit)).to_lowercase();
                let key = doc
                    .normalized
                    .text
                    .get(hit.found.start..hit.found.end)
                    .unwrap_or("");
                !written.is_empty() && written != key && !self.reclaimed(hit.first)
            })
            .map(|hit| Shape {
                strength: aimed_at_group(plural(
                    doc.normalized
                        .text
                        .get(hit.found.start..hit.found.end)
                        .unwrap_or(""),
                )),
                ..Shape::of(
                    row!("il.hets_mot_folkgrupp.disguised_slur"),
                    hit.first,
                    hit.last,
                )
            })
            .collect()
    }

    /// `muslimerna är smittbärare`, `Araberkulturen är en cancersvulst`.
    fn dehumanising_compound(&self, subject: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let word = doc.word(subject);
        // The copula first: a tag test on three tokens, where the group
        // needs a scan of every group stem, and this runs at every token.
        let copula = (subject + 1..=subject + 3)
            .take_while(|&t| doc.same_sentence(subject, t))
            .find(|&t| doc.is(t, Class::Copula) || doc.is(t, &["varit"]))?;
        let group = self.group_at(subject, marks)
            || doc
                .classes
                .words(Class::GroupStems)
                .iter()
                .any(|stem| word.len() > stem.len() + 2 && starts_with(word, stem));
        if !group || self.reclaimed(subject) {
            return None;
        }
        let predicate = (copula + 1..=copula + COPULA_TO_PREDICATE)
            .take_while(|&t| doc.same_sentence(copula, t))
            .find(|&t| {
                doc.classes
                    .contains_any(doc.word(t), Class::DehumanisingStems)
            })?;
        if doc.negated_before(subject, predicate) {
            return None;
        }
        Some(Shape::of(
            row!("il.hets_mot_folkgrupp.dehumanising_compound"),
            subject,
            predicate,
        ))
    }

    /// `Den enda bra syriern är en död syrier`, `Det enda bra med en jude
    /// är en död jude`: the old formula that a people is good only dead,
    /// which says the group deserves death: a copula within
    /// [`GOOD_ONLY_DEAD_REACH`] words after `enda bra`, `död` within two
    /// words after it, and a group named between or right after `död`.
    fn good_only_dead(&self, i: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        if !doc.is(i, &["enda"]) || !doc.is(i + 1, &["bra", "goda"]) {
            return None;
        }
        let near =
            |from: usize, n: usize| (from..=from + n).take_while(move |&t| doc.same_sentence(i, t));
        let copula = near(i + 3, GOOD_ONLY_DEAD_REACH).find(|&t| doc.is(t, Class::Copula))?;
        let dead = near(copula + 1, 1).find(|&t| doc.is(t, &["död", "döda", "dött"]))?;
        // The group before the copula or after `död` (`en död syrier`).
        let named_before = (i + 2..copula).any(|t| self.group_at(t, marks));
        let named_after = doc.same_sentence(i, dead + 1) && self.group_at(dead + 1, marks);
        (named_before || named_after).then(|| {
            Shape::of(
                row!("il.hets_mot_folkgrupp.good_only_dead"),
                i,
                dead + usize::from(named_after),
            )
        })
    }

    /// `de är inga riktiga människor`, `romer är inte ens mänskliga`,
    /// `att X inte är människor`: a group denied its humanity; obvious when a
    /// group word is the subject, review for `de`/`dom`/`dessa`.
    fn humanity_denied(&self, subject: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let word = doc.word(subject);
        // The denial first: a tag test on three tokens, where the group
        // needs a scan of every group stem, and this runs at every token.
        let denial = (subject + 1..=subject + 3)
            .take_while(|&t| doc.same_sentence(subject, t))
            .find(|&t| doc.is(t, Class::Denials))?;
        // A group the lists lack is still one when it starts with a group
        // stem (`pakistanierna`).
        let group = (self.group_at(subject, marks)
            || doc
                .classes
                .words(Class::GroupStems)
                .iter()
                .any(|stem| word.len() > stem.len() && starts_with(word, stem)))
            && !self.reclaimed(subject);
        let pronoun = doc.is(subject, &["de", "dom", "dessa"]);
        if !(group || pronoun) {
            return None;
        }
        let copula_like = |t: usize| {
            doc.is(t, Class::Copula) || doc.is(t, &["räknas", "varit", "blir", "förblir"])
        };
        // `X är inte …` or, in a clause, `att X inte är …`: `denial` above.
        let copula = (subject + 1..=denial + 1)
            .filter(|&t| t != denial)
            .find(|&t| copula_like(t))?;
        let from = denial.max(copula);
        let human = (from + 1..=from + DENIAL_TO_HUMAN)
            .take_while(|&t| doc.same_sentence(subject, t))
            .take_while(|&t| doc.is(t, Class::HumanQualifiers) || is_human_word(doc.word(t)))
            .find(|&t| is_human_word(doc.word(t)))?;
        // `Ingen säger att X inte är människor`: the claim itself denied.
        if doc.negated_before(subject, subject) {
            return None;
        }
        Some(Shape {
            strength: if group {
                Strength::Obvious
            } else {
                Strength::Review
            },
            ..Shape::of(
                row!("il.hets_mot_folkgrupp.humanity_denied"),
                subject,
                human,
            )
        })
    }

    /// `Om jag var du skulle jag flytta härifrån`, `jag skulle inte känna
    /// mig trygg om jag vore du`: advice to flee or beware, given as what
    /// the writer would do in the addressee's place (review).
    fn advice_as_threat(&self, condition: usize) -> Option<Shape> {
        let doc = self.doc;
        let length = doc.phrase_of(condition, Class::IfIWereYou)?;
        let sentence = doc.sentence_tokens(condition);
        let skulle = sentence.clone().find(|&t| doc.is(t, &["skulle"]))?;
        let advice = (skulle + 1..=skulle + ADVICE_WINDOW)
            .take_while(|&t| doc.same_sentence(skulle, t))
            .find(|&t| self.flight_or_care(t))?;
        let first = condition.min(skulle);
        let last = (condition + length - 1).max(advice);
        Some(Shape::of(row!("il.olaga_hot.veiled_advice"), first, last))
    }

    /// `Jag ska se till att du dör`, `vi kommer se till att du blir
    /// misshandlad`: the writer promises to bring about the addressee's
    /// death or serious harm (obvious).
    fn death_promised(&self, se: usize) -> Option<Shape> {
        let doc = self.doc;
        if !doc.phrase_at(se, &["se", "till", "att"]) {
            return None;
        }
        let intent = doc.within_before(se, 2, Class::StrongIntent)?;
        let writer = doc.within_before(intent + 1, 2, Class::FirstPerson)?;
        let addressee = se + 3;
        if !doc.is(addressee, Class::SecondPersonSubject) {
            return None;
        }
        let harm = (addressee + 1..=addressee + 3)
            .take_while(|&t| doc.same_sentence(se, t))
            .find(|&t| {
                doc.is(t, &["dör", "dö", "dog"])
                    || doc.is(t, Class::ViolenceParticiples)
                    || self
                        .role_at(t, &[Role::Violence])
                        .is_some_and(|hit| hit.found.entry.confidence >= Confidence::Probable)
            })?;
        if doc.negated_before(writer, harm + 1) || super::hot::dying_idiom(doc, harm + 1) {
            return None;
        }
        Some(Shape::of(row!("il.olaga_hot.death_promised"), writer, harm))
    }

    /// `snart händer det dig något`, `du har inte långt kvar`: the
    /// addressee told that something is coming or that little time is left
    /// (review: veiled).
    fn veiled_future(&self, i: usize) -> Option<Shape> {
        let doc = self.doc;
        let near =
            |from: usize, n: usize| (from..=from + n).take_while(move |&t| doc.same_sentence(i, t));
        let last = if doc.is(i, Class::Befall) {
            let whom = near(i + 1, 2).find(|&t| doc.is(t, &["dig", "dej", "er"]))?;
            // `snart händer det dig något`, `något kommer drabba dig`.
            let something = near(i + 1, 3)
                .chain((i.saturating_sub(3)..i).filter(|&t| doc.same_sentence(i, t)))
                .find(|&t| doc.is(t, &["något", "nåt", "nånting"]))?;
            // `det händer dig något fint`: good news.
            if doc.is(something + 1, Class::GoodNews) {
                return None;
            }
            whom.max(something)
        } else if doc.phrase_at(i, &["inte", "långt", "kvar"])
            || doc.phrase_at(i, &["inte", "lång", "tid", "kvar"])
        {
            let holder = doc.within_before(i, 2, &["har"])?;
            doc.within_before(holder, 2, Class::SecondPersonSubject)?;
            i + if doc.is(i + 1, &["långt"]) { 2 } else { 3 }
        } else {
            return None;
        };
        let first = doc
            .within_before(i, 3, Class::SecondPersonSubject)
            .unwrap_or(i);
        // `det händer dig inget`: the negation is not the writer's threat.
        if doc.is(i, Class::Befall) && doc.negated_before(first, last + 1) {
            return None;
        }
        Some(Shape::of(row!("il.olaga_hot.veiled_future"), first, last))
    }

    /// Advice to flee or take care: a verb of leaving without a
    /// destination (`flytta härifrån`, not `flytta till en större
    /// lägenhet`), `akta`, `ensam`, a lock, eyes open, or safety denied
    /// (`inte känna mig trygg`, `inte gå ut`).
    fn flight_or_care(&self, t: usize) -> bool {
        let doc = self.doc;
        let negated = (t.saturating_sub(3)..t).any(|n| doc.is(n, Class::Negation));
        (doc.is(t, Class::Leave) && !doc.is(t + 1, &["till", "in", "ihop"]))
            || doc.is(t, Class::TakeCare)
            || (doc.is(t, &["byta", "byt"]) && doc.is(t + 1, Class::Homes))
            || (negated && doc.is(t, &["trygg", "säker", "lugn"]))
            || (negated && doc.is(t, &["ut"]) && doc.is(t.wrapping_sub(1), &["gå"]))
    }

    /// `Skjut dom som stängde badhuset`, `Borde dränka den där
    /// miljöchefen`: a call to violence with a person as object.
    fn call_against_person(&self, verb: usize) -> Option<Shape> {
        let doc = self.doc;
        // `dö` has no object; `sköt`, `slog` are past tenses.
        if !self.violent_verb_at(verb) || doc.is(verb, &["dö"]) || doc.is(verb, Class::KillingPast)
        {
            return None;
        }
        let start = doc.sentence_tokens(verb).start;
        let modal_opens = verb == start + 1 && doc.is(start, Class::InvertedCall);
        // `Skjut dom som …`, `skjut dom.`: `imperative` reads `skjut dom`
        // as a verb and its subject, but there `dom` is the object.
        let at_people = doc.clause_start(verb)
            && imperative_form(doc.word(verb))
            && self.them_as_object(verb + 1);
        if !(doc.imperative(verb) || modal_opens || at_people) {
            return None;
        }
        // `Häng upp flaggan`, `kasta ut honom`: a particle makes the verb
        // something else than violence.
        if doc.is(verb + 1, CALL_PARTICLES) {
            return None;
        }
        // `Döda mig nu`, `skjut mej`: the writer's sigh about themselves.
        if doc.is(verb + 1, &["mig", "mej"]) {
            return None;
        }
        let object = (verb + 1..=verb + OBJECT_WINDOW)
            .take_while(|&t| doc.same_sentence(verb, t))
            .find(|&t| {
                // A name only right after the verb (`Skjut Anna`): further
                // on, a capital is mostly a place (`i Husby`).
                let person = self.third_person_at(t) && (t == verb + 1 || !doc.is_name(t));
                person || self.them_as_object(t)
            })?;
        // `Vi ska krossa dem i finalen! Slakta Frölunda!`: in a comment
        // about a game a name is a team.
        if doc.negated_before(verb, object + 1)
            || self.harmless_means_after(object)
            || (doc.is_name(object) && doc.about_a_game())
        {
            return None;
        }
        Some(Shape {
            // Without an imperative the speaker is not named (`Borde
            // dränka …`): a person judges.
            strength: if modal_opens {
                Strength::Review
            } else {
                Strength::Obvious
            },
            ..Shape::of(
                row!("il.olaga_hot.call_against_person"),
                verb.min(start),
                object,
            )
        })
    }

    /// `dem`, `dom` or `de` at `t` that can only be an object: before
    /// `som` (`skjut dom som …`), before `alla`/`allihop` or closing its
    /// clause (`Skjut dom.`, `häng dom, alla`); not a subject before the
    /// rest of its clause (`sen sköt dom honom`).
    fn them_as_object(&self, t: usize) -> bool {
        let doc = self.doc;
        doc.is(t, &["dem", "dom", "de"])
            && (doc.closes_clause(t) || doc.is(t + 1, &["som", "alla", "allihop", "allihopa"]))
    }

    /// `Varför har ingen skjutit kommunrådet än?`, `Varför slaktar ingen
    /// de där somalierna?`, `Vem tar på sig att skjuta prästen?`: a
    /// question why nobody does violence to a person or a group, or who
    /// will, asks someone to; a person judges it. Not a question about
    /// what was done (`Varför sköt polisen honom?`) nor one without a
    /// verb of violence (`Varför har ingen stoppat honom?`).
    fn call_as_question(&self, verb: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        // The opening is asked first: most sentences have none, and the
        // verb's hit is looked up among all the comment's hits.
        let start = doc.sentence_tokens(verb).start;
        let nobody_does =
            verb == start + 1 && doc.is(start, &["varför"]) && doc.is(verb + 1, &["ingen"]);
        let opened = || {
            doc.phrase_of(start, Class::QuestionCalls)
                .is_some_and(|length| {
                    (start + length..=start + length + QUESTION_CALL_WINDOW).contains(&verb)
                })
        };
        if !(nobody_does || opened()) {
            return None;
        }
        if !self.violent_verb_at(verb) || doc.is(verb, Class::Dying) {
            return None;
        }
        // `Varför inte skjuta upp mötet?`: a particle makes the verb
        // something else than violence.
        if doc.is(verb + 1, CALL_PARTICLES) {
            return None;
        }
        let object_from = if nobody_does { verb + 2 } else { verb + 1 };
        let window =
            (object_from..=object_from + OBJECT_WINDOW).take_while(|&t| doc.same_sentence(verb, t));
        // `de där somalierna`: the group, not the determiner before it.
        let group = window.clone().find(|&t| self.group_at(t, marks));
        let object = group.or_else(|| window.clone().find(|&t| self.third_person_at(t)))?;
        let negated =
            (verb + 1..object).any(|t| doc.is(t, Class::Negation) && !doc.is(t, &["ingen"]));
        if self.harmless_means_after(object) || negated || self.reclaimed(object) {
            return None;
        }
        let row = if group.is_some() {
            row!("il.hets_mot_folkgrupp.question_call")
        } else {
            row!("il.olaga_hot.question_call")
        };
        Some(Shape::of(row, start, object))
    }

    /// `Jag kommer spränga ert stadshus`, `vi ska hitta din dotter`: the
    /// writer promises violence to the addressee's property, or to seek
    /// out their family (review: the threat is implied).
    fn promised_to_addressee(&self, modal: usize) -> Option<Shape> {
        let doc = self.doc;
        let writer = modal > 0
            && doc.is(modal - 1, Class::FirstPerson)
            && doc.same_sentence(modal - 1, modal);
        if !writer || !doc.is(modal, Class::FutureModals) {
            return None;
        }
        let verb = (modal + 1..=modal + 2)
            .take_while(|&t| doc.same_sentence(modal, t))
            .find(|&t| !doc.is(t, &["att"]))?;
        let possessive = (verb + 1..=verb + 3)
            .take_while(|&t| doc.same_sentence(verb, t))
            .find(|&t| doc.is(t, &ADDRESSEE_POSSESSIVES))?;
        // `jag ska spränga din inkorg med mejl`, `döda ditt argument`: a
        // figurative object.
        if doc.negated_before(modal, possessive)
            || doc.is_or_owned_in(possessive + 1, Class::IdiomObjects)
            || !self.owned_target(possessive)
        {
            return None;
        }
        let violent = self
            .role_at(verb, &[Role::Violence])
            .is_some_and(|hit| hit.found.entry.confidence >= Confidence::Probable);
        let row = if violent {
            row!("il.olaga_hot.property_attack_promised")
        } else if doc.is(verb, &["hitta", "hämta", "besöka", "leta"]) {
            row!("il.olaga_hot.family_sought")
        } else {
            return None;
        };
        Some(Shape::of(row, modal - 1, possessive + 1))
    }

    /// `en smäll på käften hade gjort honom gott`: violence said to do a
    /// person good.
    fn violence_would_help(&self, noun: usize) -> Option<Shape> {
        let doc = self.doc;
        if !doc.is(noun, Class::ViolenceNouns) {
            return None;
        }
        let sentence = doc.sentence_tokens(noun);
        let good = sentence.clone().find(|&t| doc.is(t, &["gott"]))?;
        let done = sentence
            .clone()
            .any(|t| doc.is(t, &["gjort", "göra", "gör", "gjorde"]));
        let person = sentence.clone().any(|t| self.person_at(t));
        (done && person && !doc.negated_before(noun, good)).then_some(Shape::of(
            row!("il.olaga_hot.violence_would_help"),
            noun.min(good),
            noun.max(good),
        ))
    }

    /// `slår jag sönder ditt ansikte`: the writer's force on the
    /// addressee's body.
    fn body_harm(&self, body: usize) -> Option<Shape> {
        let doc = self.doc;
        if !doc.is(body, Class::Body) || body == 0 {
            return None;
        }
        // `jag krossar hennes knän`: a third person's body is as much a
        // threat, but whom `hans` means the rule cannot tell (the writer's
        // foe, or a character in a story), so a person or a sure model
        // judges it.
        let row = if doc.is(body - 1, &["din", "ditt", "dina", "er", "ert", "era"]) {
            row!("il.olaga_hot.body_harm")
        } else if doc.is(body - 1, &["hans", "hennes", "hens"]) {
            row!("il.olaga_hot.body_harm_other")
        } else {
            return None;
        };
        let verb = (body.saturating_sub(FORCE_TO_BODY)..body - 1)
            .filter(|&t| doc.same_sentence(t, body))
            .find(|&t| {
                (doc.is(t, Class::Force) || doc.is(t, Class::ForceOnPerson))
                    && [t.wrapping_sub(1), t + 1]
                        .into_iter()
                        .any(|w| doc.is(w, Class::FirstPerson) && doc.same_sentence(w, t))
            })?;
        if doc.negated_before(verb, body) {
            return None;
        }
        Some(Shape::of(row, verb.saturating_sub(1), body))
    }

    /// `Skolskjutaren i Örebro gjorde det rätta`, `Det där lynchandet var
    /// det vackraste jag sett`: real violence praised.
    fn violence_praised(&self, act: usize) -> Option<Shape> {
        let doc = self.doc;
        let word = doc.word(act);
        let violent = doc.classes.contains_any(word, Class::ViolentActs)
            || (doc.is(act, Class::KillingPast) && !doc.is(act, &["körde"]));
        if !violent {
            return None;
        }
        // `I filmen slog hjälten ihjäl skurken`: a story, not real violence.
        let told_in_fiction = doc.fiction(act)
            || doc.sentence_tokens(act).any(|t| {
                doc.is(t, &["i"])
                    && (doc.is(t + 1, Class::Fiction) || doc.is(t + 1, Class::StoryMedia))
            });
        if told_in_fiction {
            return None;
        }
        let praise = doc
            .sentence_tokens(act)
            .find(|&t| doc.is(t, Class::Approval) && !doc.negated_before(t, t))?;
        Some(Shape::of(
            row!("il.olaga_valdsskildring.praised"),
            act.min(praise),
            act.max(praise),
        ))
    }

    // ----- killing narratives -----

    /// `Jag slog ihjäl en …`, `körde jag över en tiggare`: the writer tells
    /// of killing or maiming someone.
    fn killing_told(&self, verb: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        if !doc.is(verb, Class::KillingPast) {
            return None;
        }
        let writer = self.narrator(verb)?;
        let particle = (verb + 1..=verb + 3)
            .take_while(|&t| doc.same_sentence(verb, t))
            .find(|&t| {
                doc.is(t, Class::KillingParticles)
                    || (doc.is(t, &["tills"]) && doc.is(verb, &["sparkade", "sparkat"]))
            });
        // `körde` is only a killing with `över`, `sparkade` (also: fired)
        // only with `ihjäl`, `sönder` or `tills` (`sparkade dem tills de
        // grät`); `sköt upp mötet`, `hängde med dem`: a particle of another
        // meaning.
        let needs_particle = doc.is(verb, &["körde", "kört", "sparkade", "sparkat"]);
        // `körde över till muslimerna med mat`: a way, not a killing.
        let a_way = particle.is_some_and(|p| doc.way_after(p));
        if (needs_particle && particle.is_none())
            || a_way
            || doc.is(verb + 1, Class::OtherParticles)
        {
            return None;
        }
        // `sköt invandrarnas förslag i sank`: a group in the genitive owns
        // the object; it is no victim.
        let owner = |t: usize| doc.genitive_before(t + 1);
        let after = (verb + 1..=verb + NARRATIVE_VICTIM_WINDOW)
            .take_while(|&t| doc.same_sentence(verb, t))
            .find(|&t| {
                (self.group_at(t, marks) && !owner(t))
                    || doc.is(t, Class::ThirdPersonObject)
                    || doc.is(t, &["honom", "henne"])
                    || (particle.is_some_and(|p| p < t) && doc.is(t - 1, &["en", "ett"]))
                    || (doc.is(t - 1, &["en", "ett"]) && doc.is(t, Class::Victims))
            });
        // `Två blattar har jag redan sparkat ihjäl`: the victims fronted
        // before `har jag`.
        let inverted = writer > 0 && writer < verb && doc.is(writer - 1, &["har", "hade"]);
        let fronted = || {
            (doc.sentence_tokens(verb).start..writer.saturating_sub(1))
                .find(|&t| self.group_at(t, marks))
        };
        let victim = after.or_else(|| inverted.then(fronted).flatten())?;
        // `slog dem i dart`: beaten at a game (not `i huvudet`).
        let at_a_game = particle.is_none()
            && doc.is(verb, &["slog", "slagit"])
            && doc.is(victim + 1, &["i", "på"])
            && doc.same_sentence(victim, victim + 2)
            && !doc.is(victim + 2, Class::Body)
            && !doc.is(victim + 2, Class::BlowTargets);
        if at_a_game || doc.negated_before(verb.min(victim), verb.max(victim) + 1) {
            return None;
        }
        let group = self.names_a_group(marks);
        Some(if group {
            Shape::of(
                row!("il.hets_mot_folkgrupp.killing_narrative"),
                verb.min(victim),
                verb.max(victim),
            )
        } else {
            Shape::of(
                row!("il.olaga_valdsskildring.violence_narrative"),
                verb.min(victim),
                verb.max(victim),
            )
        })
    }

    /// The writer who tells of the act at `verb`, as a token: `jag slog`,
    /// `slog jag`, `jag har (redan) slagit`; the writer and others (`Jag
    /// och polarna har spöat ihjäl`); the writer's second act (`Jag
    /// lockade dit honom och slog honom`); or the writer left out at the
    /// start of the sentence (`Har dödat tre …`, the `har` then).
    fn narrator(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        let auxiliary = |a: usize| doc.is(a, &["har", "hade", "redan", "också"]);
        let tells = |t: usize| {
            if !doc.is(t, Class::FirstPerson) {
                return false;
            }
            let mut from = t + 1;
            if doc.is(from, &["och", "o"]) {
                // `jag och polarna`, `jag och mina polare`.
                from = (t + 2..verb).find(|&a| auxiliary(a)).unwrap_or(verb);
                if from == t + 2 || from - (t + 2) > COMPANION_WORDS {
                    return false;
                }
            }
            (from..verb).all(auxiliary)
        };
        let before = (1..=NARRATOR_WINDOW)
            .filter_map(|back| verb.checked_sub(back))
            .take_while(|&t| doc.same_sentence(t, verb))
            .find(|&t| tells(t));
        let after = || {
            Some(verb + 1).filter(|&t| doc.is(t, Class::FirstPerson) && doc.same_sentence(t, verb))
        };
        let left_out = || {
            let start = doc.sentence_tokens(verb).start;
            (start < verb && doc.is(start, &["har", "hade"]) && (start + 1..verb).all(auxiliary))
                .then_some(start)
        };
        before
            .or_else(after)
            .or_else(|| self.second_act_of(verb))
            .or_else(left_out)
    }

    /// The writer opening the sentence of `och` + `verb`, with no other
    /// subject between: `Jag lockade dit bögen via appen och slog honom`.
    fn second_act_of(&self, verb: usize) -> Option<usize> {
        let doc = self.doc;
        let start = doc.sentence_tokens(verb).start;
        if verb < start + 2 || !doc.is(verb - 1, &["och", "o", "å"]) {
            return None;
        }
        let writer = (start..=start + 1).find(|&t| doc.is(t, Class::FirstPerson))?;
        let other_subject = (writer + 1..verb - 1).any(|t| {
            doc.is(t, Class::SecondPersonSubject)
                || doc.is(t, Class::FirstPerson)
                || doc.is(t, &["han", "hon", "de", "dom", "den", "det", "man"])
        });
        (!other_subject).then_some(writer)
    }

    // ----- wishes of suffering -----

    /// `må varenda invandrare ruttna sakta`, `Jag vill se dig brinna
    /// långsamt`.
    fn suffering_wished(&self, opener: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        if !doc.is(opener, Class::SufferingOpeners) {
            return None;
        }
        let verb = (opener + 1..=opener + WISH_WINDOW)
            .take_while(|&t| doc.same_sentence(opener, t))
            .find(|&t| doc.is(t, Class::SufferingVerbs))?;
        // `brinner för`: a passion, not a fire.
        if doc.is(verb + 1, &["för"]) || doc.negated_before(opener, verb + 1) {
            return None;
        }
        let group = (opener + 1..verb)
            .chain(verb + 1..=verb + 2)
            .find(|&t| self.group_at(t, marks) && !self.reclaimed(t));
        if let Some(target) = group {
            return Some(Shape::of(
                row!("il.hets_mot_folkgrupp.suffering_wished"),
                opener,
                verb.max(target),
            ));
        }
        (opener + 1..verb).find(|&t| self.person_at(t))?;
        Some(Shape::of(
            row!("il.olaga_hot.suffering_wished"),
            opener,
            verb,
        ))
    }

    // ----- threats at a group addressed as `ni` -----

    /// `Ni judar ska inte känna er trygga`, `Alla ni som jobbar på
    /// Trafikkontoret borde skjutas`.
    fn plural_threat(&self, ni: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        // `Till er transor som ska gå i Pride: …` addresses them like `ni`.
        let to_you =
            ni > 0 && doc.is(ni, &["er"]) && doc.is(ni - 1, &["till"]) && doc.clause_start(ni - 1);
        if !doc.is(ni, &["ni"]) && !to_you {
            return None;
        }
        let all = ni > 0 && doc.is(ni - 1, &["alla"]) && doc.same_sentence(ni - 1, ni);
        let opens = to_you || doc.clause_start(ni) || (all && doc.clause_start(ni - 1));
        if !opens {
            return None;
        }
        let address = (ni + 1..=ni + ADDRESS_WINDOW).take_while(|&t| doc.same_sentence(ni, t));
        let protected = address.clone().any(|t| {
            self.group_at(t, marks)
                || doc.is(t, Class::HousesOfWorship)
                || doc.is(t, Class::Religions)
        });
        let office = all
            || doc.is(ni + 1, &["som", "på", "i"])
            || address.clone().any(|t| self.person_at(t));
        if !protected && !office {
            return None;
        }
        let sentence = doc.sentence_tokens(ni);
        // The threat may follow in the next sentence (`Ni X ska veta det.
        // Vi kommer för er.`).
        let end = doc
            .sentences
            .get(doc.tokens[ni].sentence + 1)
            .map_or(sentence.end, |next| next.end);
        // `Ni judar, era dagar är räknade`: a listed threatening phrase
        // menaces as the words of `menace_at` do.
        let phrase = || {
            self.with_role(Role::ThreatPhrase)
                .find(|p| {
                    (ni + 1..end).contains(&p.first)
                        && p.found.entry.confidence >= Confidence::Probable
                })
                .map(|p| (p.last, false))
        };
        let (last, violent) = (ni + 1..end)
            .find_map(|t| self.menace_at(t))
            .or_else(phrase)?;
        let strength = if protected || violent {
            Strength::Obvious
        } else {
            Strength::Review
        };
        let first = if all || to_you { ni - 1 } else { ni };
        Some(if protected {
            Shape {
                strength,
                ..Shape::of(row!("il.hets_mot_folkgrupp.plural_threat"), first, last)
            }
        } else {
            Shape {
                strength,
                ..Shape::of(row!("il.olaga_hot.plural_threat"), first, last)
            }
        })
    }

    /// `Jävla blattar, vi tar er en och en`, `Ni judar, vi ska hitta er en
    /// efter en`: the writer's side (`first_person`) will find or hunt a
    /// group addressed (`er`) one by one, starting at `one` (`en efter en`,
    /// `en och en`, `en i taget`). `ta er en och en` is also how a queue is
    /// served, so taking counts only when the group is addressed with a
    /// slur, a masked group word (`j*dar`) or a swearword (`jävla`).
    fn picked_off(&self, one: usize, marks: &Marks) -> Option<Shape> {
        let doc = self.doc;
        let one_by_one = doc.is(one, &["en"])
            && (doc.phrase_at(one + 1, &["efter", "en"])
                || doc.phrase_at(one + 1, &["och", "en"])
                || doc.phrase_at(one + 1, &["i", "taget"]))
            && doc.same_sentence(one, one + 2);
        if !one_by_one || one < 3 || !doc.is(one - 1, &["er"]) {
            return None;
        }
        let verb = one - 2;
        let hunted = doc.is(verb, &["hitta", "hittar", "jaga", "jagar"]);
        let taken = doc.is(verb, &["ta", "tar", "plocka", "plockar"]);
        let hostile = || {
            (0..one).any(|t| {
                self.role_at(t, &[Role::Slur]).is_some()
                    || marks
                        .slurs
                        .iter()
                        .chain(self.masked_groups())
                        .any(|&(a, b)| a <= t && t <= b)
                    || doc.is(t, &["jävla", "jvla", "javla"])
            })
        };
        if !(hunted || (taken && hostile())) {
            return None;
        }
        let writer = doc
            .within_before(verb, PICKED_OFF_WRITER_WINDOW, Class::FirstPerson)
            .filter(|&w| !doc.negated(w, one))?;
        let group = self.names_a_group(marks);
        group.then(|| Shape::of(row!("il.hets_mot_folkgrupp.plural_threat"), writer, one + 2))
    }

    /// A menace or violence at token `t` in a comment to `ni`: the last
    /// token and whether it is violence itself (`ska skjutas`, `betala med
    /// era liv`) rather than a veiled menace (`vet var ni bor`).
    fn menace_at(&self, t: usize) -> Option<(usize, bool)> {
        let doc = self.doc;
        let before = |n: usize, words: &[&str]| {
            (t.saturating_sub(n)..t).any(|b| doc.is(b, words) && doc.same_sentence(b, t))
        };
        if doc.is(t, Class::ViolenceParticiples)
            && (t.saturating_sub(3)..t)
                .any(|b| doc.is(b, Class::FutureModals) || doc.is(b, Class::InvertedCall))
        {
            return Some((t, true));
        }
        if self.armed_arrival(t) || self.harm_felt(t) || self.injury_received(t) {
            return Some((t, true));
        }
        if let Some((_, given)) = self.violence_received(t) {
            return Some((given, true));
        }
        if !doc.is(t, Class::MenaceWords) && !doc.is(t, &["för", "efter"]) {
            return None;
        }
        let word = doc.word(t);
        let menace = match word {
            "liv" | "livet" => return before(2, &["era", "ert", "ditt"]).then_some((t, true)),
            "trygga" | "trygg" | "säkra" => {
                before(5, &["inte", "aldrig"]) && before(3, &["er", "ni"])
            }
            "bor" => before(1, &["ni"]) && before(3, &["vet"]),
            "händer" => before(3, &["se"]) && before(2, &["som"]),
            "för" | "efter" => doc.is(t + 1, &["er"]) && before(2, &["kommer"]),
            _ => false,
        };
        menace.then_some((t, false))
    }

    /// `vi står vid Slussen med järnrör`, `vi kommer med bensin i natt`,
    /// `jaga er … med machetes`: the writer's side (`first_person`) comes
    /// with a weapon, bullets or a means of arson, named at `t`, not
    /// denied.
    fn armed_arrival(&self, t: usize) -> bool {
        let doc = self.doc;
        if !self.means_of_harm(t) || t < 2 {
            return false;
        }
        let with = if doc.is(t - 1, &["en", "ett", "våra", "mina", "sina"]) {
            t - 2
        } else {
            t - 1
        };
        if !doc.is(with, &["med"]) || !doc.same_sentence(with, t) || self.tool_at(t) {
            return false;
        }
        doc.sentence_tokens(t)
            .take_while(|&s| s < with)
            .find(|&s| doc.is(s, Class::FirstPerson))
            .is_some_and(|writer| !doc.negated(writer, t))
    }

    /// A weapon, a bullet or a means of arson at `t` (`kniven`, `kulor`,
    /// `bensin`).
    fn means_of_harm(&self, t: usize) -> bool {
        self.doc.is(t, Class::ArsonMeans) || self.weapon_or_bullet(t)
    }

    /// A weapon word at `t` that names a tool: listed with things that do
    /// no harm (`med knivar och korgar`), or in a sentence about hunting
    /// or a shooting game (`leisure`: `vi kommer med gevären till jakten`).
    fn tool_at(&self, t: usize) -> bool {
        let doc = self.doc;
        let last = self.role_at(t, &[Role::Weapon]).map_or(t, |h| h.last);
        let with_harmless = doc.is(last + 1, &["och", "o", "&"])
            && doc.same_sentence(t, last + 2)
            && !self.means_of_harm(last + 2);
        with_harmless || doc.sentence_has(t, Class::Leisure)
    }

    /// `Du ska få känna på kniven`, `… ska få smaka batongen, så får de
    /// se`: harm felt ([`Self::harm_felt`]) where the sentence or the
    /// clause ends, so nothing says the weapon is only touched (`Kunderna
    /// ska få känna på kniven innan de köper den`) or used for work
    /// (`känna på kniven och lära sig tälja`).
    fn harm_felt_at_the_end(&self, t: usize) -> bool {
        let doc = self.doc;
        self.harm_felt(t) && !self.tool_at(t) && (doc.ends_sentence(t) || doc.is(t + 1, &["så"]))
    }

    /// `ska få smaka kniven`, `ska få känna på bensin och tändstickor`:
    /// a weapon, bullet or means of arson at `t`, felt or tasted after
    /// `få`.
    fn harm_felt(&self, t: usize) -> bool {
        let doc = self.doc;
        let harm = self.means_of_harm(t);
        let felt = |b: usize| doc.is(b, &["smaka", "känna"]) && doc.is(b - 1, &["få"]);
        // `smaka kniven jag slipat`: a particular knife, not a stab.
        let particular = doc.is(t + 1, &["som", "jag", "vi", "du", "ni"]);
        harm && !particular
            && (t.saturating_sub(FELT_WINDOW).max(1)..t).any(|b| felt(b) && doc.same_sentence(b, t))
    }
}

/// The words without which no shape of this file can match, for a cheap
/// look at a comment with no listed term: the masks, and the words of the
/// classes each shape needs (the shortest menace words, which are parts of
/// many words, are left out: their shape also needs a listed group or a
/// participle), and the consonants a shortened slur keeps (`ngr`).
pub(super) fn triggers(classes: &WordClasses) -> aho_corasick::AhoCorasick {
    let mut words: Vec<String> = MASKS.iter().map(char::to_string).collect();
    words.extend(
        super::emoji::ANIMALS
            .iter()
            .chain(super::emoji::WEAPONS)
            .map(char::to_string),
    );
    for class in [
        Class::InsultHeads,
        Class::SelfHarmReflexive,
        Class::SelfHarmMeans,
        Class::ViolenceParticiples,
        Class::ViolenceNouns,
        // `ska få syra i ansiktet`, `ska få fingrarna avklippta`.
        Class::Projectiles,
        Class::Injured,
        Class::KillingPast,
        Class::SufferingVerbs,
        Class::ViolentActs,
        Class::DehumanisingStems,
        Class::Force,
        Class::DeathWords,
        // `drunkna, Ekström`: an imperative of dying alone.
        Class::DeathUrged,
        // The verbs of burning are in the lexicon (`bränna`, `tänd på`),
        // and a trigger `tänd` would open the gate to every `ständigt`.
        Class::ArsonMeans,
        Class::ExplosiveVerbs,
    ] {
        words.extend(classes.words(class).iter().cloned());
    }
    words.extend(
        classes
            .words(Class::MenaceWords)
            .iter()
            .filter(|w| w.chars().count() >= 5)
            .cloned(),
    );
    words.extend(classes.words(Class::IfIWereYou).iter().cloned());
    // The words of humanity denied, of a promised death and of a veiled
    // future (`människor`, `se till att`, `händer`, `kvar`).
    words.extend(
        [
            "människ",
            "mänsklig",
            "se till att",
            "händer",
            "hända",
            "drabba",
            "långt kvar",
            "tid kvar",
        ]
        .map(str::to_owned),
    );
    // `ihjäl` (`sparkas ihjäl`), the verbs of seeking someone out (`vi
    // kommer hitta din dotter`) and a life ended (`ta ditt liv`) belong to
    // shapes but to no class.
    words.extend(["ihjäl", "hitta", "hämta", "besöka", " liv"].map(str::to_owned));
    for form in classes.words(Class::SlurForms) {
        let mut kept: Vec<char> = form.chars().filter(|&c| !is_vowel(c)).collect();
        kept.dedup();
        let kept: String = kept.into_iter().take(3).collect();
        if kept.chars().count() == 3 {
            words.push(kept);
        }
    }
    // At most a few hundred short words: far below the automaton's limits.
    aho_corasick::AhoCorasick::new(words).expect("the trigger words build an automaton")
}

/// Runs of letters in `text` with at least one masking character between
/// or next to them (`n***rer`), as their byte range and their pattern:
/// a letter, or `None` for a run of masks.
pub(super) fn masked_words(text: &str) -> Vec<(Range<usize>, Vec<Option<char>>)> {
    // The masks are ASCII, and no byte of a multi-byte character is: a
    // byte scan tells a text without one, as most are, at once.
    if !text
        .bytes()
        .any(|b| MASKS.iter().any(|&mask| u32::from(b) == u32::from(mask)))
    {
        return Vec::new();
    }
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut pattern: Vec<Option<char>> = Vec::new();
    let mut finish = |start: usize, end: usize, pattern: &mut Vec<Option<char>>| {
        let letters = pattern.iter().filter(|c| c.is_some()).count();
        // `**Det råder`: markdown, not a masked word; a masked slur shows
        // its first letter.
        let first_shown = pattern.first().is_some_and(Option::is_some);
        if letters >= 2 && first_shown && pattern.iter().any(Option::is_none) {
            words.push((start..end, std::mem::take(pattern)));
        }
        pattern.clear();
    };
    for (at, ch) in text.char_indices() {
        if ch.is_alphanumeric() {
            start.get_or_insert(at);
            pattern.push(Some(ch));
        } else if MASKS.contains(&ch) {
            start.get_or_insert(at);
            if pattern.last() != Some(&None) {
                pattern.push(None);
            }
        } else if let Some(s) = start.take() {
            finish(s, at, &mut pattern);
        }
    }
    if let Some(s) = start {
        finish(s, text.len(), &mut pattern);
    }
    words
}

/// Whether a masked pattern spells `form`: letters match, and each run of
/// masks stands for one to [`MASK_RUN_MAX`] letters.
pub(super) fn masked_match(pattern: &[Option<char>], form: &str) -> bool {
    let form: Vec<char> = form.chars().collect();
    matches_from(pattern, &form)
}

/// Whether a masked pattern spells the characters `form` (see
/// [`masked_match`]).
pub(super) fn matches_from(pattern: &[Option<char>], form: &[char]) -> bool {
    match pattern.split_first() {
        None => form.is_empty(),
        Some((Some(ch), rest)) => form.first() == Some(ch) && matches_from(rest, &form[1..]),
        Some((None, rest)) => {
            (1..=MASK_RUN_MAX.min(form.len())).any(|hidden| matches_from(rest, &form[hidden..]))
        }
    }
}

/// Adds the shape a rule found at one token, if any. The per-token rules
/// run at every token and almost never find one: a test and a push cost
/// less there than `Vec::extend`, which reserves room on each call.
/// A guard the shape of `rule` makes no excuse: advice given `om jag var
/// du` is hypothetical by its shape, and a question that opens a call is
/// the call.
fn waived_by_the_shape(guard: Guard, rule: &str) -> bool {
    match guard {
        Guard::Hypothetical => rule == "il.olaga_hot.veiled_advice",
        Guard::Question => QUESTION_CALLS.contains(&rule),
        _ => false,
    }
}

fn push_some(shapes: &mut Vec<Shape>, shape: Option<Shape>) {
    if let Some(shape) = shape {
        shapes.push(shape);
    }
}

/// The fewest characters a shortened slur ([`shortened`]) has.
const SHORTENED_MIN_CHARS: usize = 4;

/// Whether `word` is `form` with letters dropped (`ngrr` for `niggrer`,
/// `bgjävlarna`): the same first and last letter, at least half the
/// letters, and only vowels or doubled consonants dropped, at least one of
/// them a vowel.
fn shortened(word: &str, form: &str) -> bool {
    // Every word is tried against every slur form: the cheap tests come
    // first, without allocating. Characters that differ in their first
    // (last) byte differ, so the bytes at the ends settle most pairs
    // without decoding a character.
    let (word_bytes, form_bytes) = (word.as_bytes(), form.as_bytes());
    if word_bytes.first() != form_bytes.first() || word_bytes.last() != form_bytes.last() {
        return false;
    }
    if word.chars().next() != form.chars().next()
        || word.chars().next_back() != form.chars().next_back()
    {
        return false;
    }
    let (w_len, f_len) = (word.chars().count(), form.chars().count());
    if w_len < SHORTENED_MIN_CHARS || w_len >= f_len || w_len * 2 < f_len {
        return false;
    }
    let mut w = word.chars().peekable();
    let mut vowel_dropped = false;
    let mut before: Option<char> = None;
    for ch in form.chars() {
        if w.peek() == Some(&ch) {
            w.next();
        } else if is_vowel(ch) {
            vowel_dropped = true;
        } else if before != Some(ch) {
            return false;
        }
        before = Some(ch);
    }
    w.next().is_none() && vowel_dropped
}

/// `word.starts_with(prefix)`, asking the first byte before comparing
/// the rest: every word of a comment is tried against every group stem,
/// and most differ at once.
fn starts_with(word: &str, prefix: &str) -> bool {
    match (word.as_bytes().first(), prefix.as_bytes().first()) {
        (Some(a), Some(b)) if a != b => false,
        _ => word.starts_with(prefix),
    }
}

/// Whether a slur form is plural (`negrer`, `flator`, `svartskallarna`,
/// `zigges`): aimed at a group rather than one person.
fn plural(form: &str) -> bool {
    ["arna", "erna", "orna", "ar", "or", "rer", "s"]
        .iter()
        .any(|ending| form.ends_with(ending))
}

/// A word for human beings or humanity: `människor`, `människa`,
/// `mänskliga`, `människovärdiga`.
fn is_human_word(word: &str) -> bool {
    word.starts_with("människ") || word.starts_with("mänsklig")
}

/// Obvious when the slur is aimed at a group, else a person judges (a
/// slur alone, or at one person, is review like every slur).
fn aimed_at_group(group: bool) -> Strength {
    if group {
        Strength::Obvious
    } else {
        Strength::Review
    }
}

fn is_vowel(ch: char) -> bool {
    "aeiouyåäö".contains(ch)
}

/// The rules of this file (see [`RuleRow`]).
pub(super) const RULES: &[RuleRow] = &[
    RuleRow {
        id: "il.hets_mot_folkgrupp.masked_slur",
        category: Category::HetsMotFolkgrupp,
        trigger: "slur_forms, masks (`*#_`)",
        shape: "a slur written with masked letters (first letter shown) or dropped vowels",
        guards: "reclaiming (`vi flator`); quotation, news, counter-speech, question",
        strength: Strength::Obvious,
        reason: "Ett nedsättande ord om en skyddad folkgrupp, skrivet så att det ska undgå filter",
        basis: BASIS_HETS,
        positive: "Alla z*ggar ska bort från torget",
        negative: "Mejla s***@stadsdel.se om lokalen",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.insult_compound",
        category: Category::HetsMotFolkgrupp,
        trigger: "group_stems + insult_heads",
        shape: "one word made of a group and an insult or vermin; obvious with a dehumanising stem",
        guards: "a listed slur is review; reclaiming; the common guards",
        strength: Strength::Obvious,
        reason: "En skyddad folkgrupp sammansatt med ett skällsord eller ord för ohyra",
        basis: BASIS_HETS,
        positive: "muslimråttorna tar över allt",
        negative: "Transportpacket kom fram i tid",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.disguised_slur",
        category: Category::HetsMotFolkgrupp,
        trigger: "a listed slur (role `slur`)",
        shape: "the slur spelled to slip past filters (spaced letters, leetspeak); obvious when plural",
        guards: "reclaiming; the common guards",
        strength: Strength::Obvious,
        reason: "Ett nedsättande ord om en skyddad folkgrupp, skrivet så att det ska undgå filter",
        basis: BASIS_HETS,
        positive: "S-v-a-r-t-s-k-a-l-l-a-r-n-a förstör allt",
        negative: "Vi svartskallar fixar fikat",
    },
    RuleRow {
        id: "il.olaga_hot.urges_self_harm",
        category: Category::OlagaHot,
        trigger: "self_harm_reflexive, self_harm_acts",
        shape: "an urging imperative with `dig` (`häng dig`), or with a weapon into a body part `på dig själv` (`stick kniven i halsen på dig själv`), or an act with a means (self_harm_means, or any front_vehicles right after vehicle_fronts, an article between) within SELF_HARM_MEANS_WINDOW; obvious with a deadly means (deadly_means, front_vehicles after vehicle_fronts within DEADLY_MEANS_REACH) said to one person, or a favour asked for others (favours)",
        guards: "idioms (`häng dig inte upp på`); travel (`ta tåget`); `er` is review; the common guards",
        strength: Strength::Obvious,
        reason: "Uppmaning till den tilltalade att skada eller döda sig själv",
        basis: BASIS_HOT,
        positive: "gå och häng dig",
        negative: "Häng dig inte upp på detaljerna",
    },
    RuleRow {
        id: "il.olaga_hot.urges_self_harm_person",
        category: Category::OlagaHot,
        trigger: "self_harm_acts, death_urged",
        shape: "an act with a means within SELF_HARM_MEANS_WINDOW (`hoppa från Västerbron`), or an imperative of dying (`Dö, din jävla hora`; not an idiom or `dö som`), in a sentence that speaks to one person (`du`, `din`, a name) and to no crowd (`ni`, `er`, `era`)",
        guards: "the common guards",
        strength: Strength::Review,
        reason: "Uppmaning till en enskild person att skada eller döda sig själv",
        basis: BASIS_HOT,
        positive: "Hoppa från Västerbron Marcus, det är det enda vettiga du kan göra",
        negative: "Hoppa från Västerbron allihop era jävlar",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.deserves_violence",
        category: Category::HetsMotFolkgrupp,
        trigger: "deserve_modals",
        shape: "a group (listed, masked, heading a relative clause or before a place phrase within PLACE_PHRASE_WINDOW) + a modal of deserving + violence within MODAL_TO_VIOLENCE, or a passive joined by `och` to a first one within COORDINATED_PASSIVE_WINDOW; or a sentence that is only a group + `till` (or `i` … `igen`) + extermination_places (`Judar till gaskammaren`)",
        guards: "negation; `skjutas av` (culling); the common guards",
        strength: Strength::Obvious,
        reason: "En skyddad folkgrupp sägs förtjäna eller böra utsättas för våld",
        basis: BASIS_HETS,
        positive: "Romerna förtjänar varenda kula",
        negative: "Ingen förtjänar att bli misshandlad för sin tro",
    },
    RuleRow {
        id: "il.olaga_hot.deserves_violence",
        category: Category::OlagaHot,
        trigger: "deserve_modals",
        shape: "a person + a modal of deserving + violence (a participle, a passive at the body, a throw to a fall, a place of extermination, an injury or a weapon received); obvious for sexual violence, `ska få en kula` or `ska få känna på kniven` at the end of the sentence",
        guards: "negation; the common guards",
        strength: Strength::Obvious,
        reason: "En person sägs förtjäna eller böra utsättas för våld",
        basis: BASIS_HOT,
        positive: "Hon borde bli våldtagen",
        negative: "Han förtjänar en medalj",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.violence_named",
        category: Category::HetsMotFolkgrupp,
        trigger: "execution_nouns + `av`, or violence_nouns + `för varje`",
        shape: "a noun of violence called for (after noun_call_openers, or opening the sentence with call_times after it) with a group within OBJECT_WINDOW",
        guards: "negation; the common guards",
        strength: Strength::Obvious,
        reason: "Uppmaning till våld mot en skyddad folkgrupp, uttryckt med ett substantiv",
        basis: BASIS_HETS,
        positive: "Dags för hängning av alla muslimer",
        negative: "Avrättning av homosexuella i Iran är vidrigt",
    },
    RuleRow {
        id: "il.olaga_hot.violence_named",
        category: Category::OlagaHot,
        trigger: "execution_nouns + `av`, or violence_nouns + `för varje`",
        shape: "a noun of violence called for (after noun_call_openers, or opening the sentence with call_times after it) with people within OBJECT_WINDOW (a person, the people of a body: `av styrelsen`, `hela nämnden`, or one counted: `varenda journalist`); obvious at a group the law does not name (unprotected_groups), else probable and confirmable",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Uppmaning till våld mot personer, uttryckt med ett substantiv",
        basis: BASIS_HOT,
        positive: "Dags för avrättning av alla journalister",
        negative: "Dags för hängning av tvätten nu",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.killing_narrative",
        category: Category::HetsMotFolkgrupp,
        trigger: "killing_past",
        shape: "the writer next to a past verb of killing (also `har` + the supine) with a victim within NARRATIVE_VICTIM_WINDOW or a group fronted before `har jag`, a group named in the comment; no particle of another meaning (`other_particles`)",
        guards: "negation; a game; the common guards",
        strength: Strength::Obvious,
        reason: "Skribenten berättar gillande om att ha dödat eller skadat någon ur en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Jag sköt en muslim förra året",
        negative: "Min farfar pratade om alla han sköt i kriget",
    },
    RuleRow {
        id: "il.olaga_valdsskildring.violence_narrative",
        category: Category::OlagaValdsskildring,
        trigger: "killing_past",
        shape: "the writer next to a past verb of killing with a victim, no group named",
        guards: "negation; a game; the common guards",
        strength: Strength::Review,
        reason: "Skribenten berättar om att ha dödat eller skadat någon",
        basis: BASIS_VALDSSKILDRING,
        positive: "Jag slog honom tills han slutade röra sig",
        negative: "Jag slog honom i schack igen",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.suffering_wished",
        category: Category::HetsMotFolkgrupp,
        trigger: "suffering_openers",
        shape: "a wish opener + a verb of slow suffering within WISH_WINDOW with a group",
        guards: "`brinner för`; negation; the common guards",
        strength: Strength::Obvious,
        reason: "Önskan om att en skyddad folkgrupp ska lida eller dö långsamt",
        basis: BASIS_HETS,
        positive: "Må alla invandrare svälta ihjäl",
        negative: "Hoppas alla muslimer brinner för rättvisa",
    },
    RuleRow {
        id: "il.olaga_hot.suffering_wished",
        category: Category::OlagaHot,
        trigger: "suffering_openers",
        shape: "a wish opener + a verb of slow suffering with a person",
        guards: "`brinner för`; negation; the common guards",
        strength: Strength::Review,
        reason: "Önskan om att en person ska lida eller dö långsamt",
        basis: BASIS_HOT,
        positive: "Jag vill se honom lida",
        negative: "Hoppas du brinner för jobbet",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.plural_threat",
        category: Category::HetsMotFolkgrupp,
        trigger: "`ni` opening a clause",
        shape: "a protected group addressed as `ni` within ADDRESS_WINDOW + violence after a modal, a menace or a listed threatening phrase (`era dagar är räknade`)",
        guards: "negation; the common guards",
        strength: Strength::Obvious,
        reason: "Hot riktat till en skyddad folkgrupp",
        basis: BASIS_HETS,
        positive: "Ni romer ska veta att vi kommer för er",
        negative: "Alla ni som går till moskén är välkomna hos oss",
    },
    RuleRow {
        id: "il.olaga_hot.plural_threat",
        category: Category::OlagaHot,
        trigger: "`ni` opening a clause",
        shape: "an office or `alla ni som` + violence or a menace; obvious with violence",
        guards: "the common guards",
        strength: Strength::Obvious,
        reason: "Hot riktat till en grupp personer",
        basis: BASIS_HOT,
        positive: "Alla ni på socialtjänsten kommer få betala med era liv",
        negative: "Ni på gatukontoret ska veta att vi röstar bort er",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.dehumanising_compound",
        category: Category::HetsMotFolkgrupp,
        trigger: "dehumanising_stems",
        shape: "a group (or a word starting with one) + a copula + a dehumanising word within COPULA_TO_PREDICATE",
        guards: "negation; reclaiming; the common guards",
        strength: Strength::Review,
        reason: "En skyddad folkgrupp beskrivs med ett avhumaniserande ord",
        basis: BASIS_HETS,
        positive: "muslimerna är smittbärare",
        negative: "muslimerna är inte smittbärare",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.question_call",
        category: Category::HetsMotFolkgrupp,
        trigger: "a verb of violence (role `violence`, probable or more)",
        shape: "a question that opens a call (question_calls, or `varför <verb> ingen`) within QUESTION_CALL_WINDOW before the verb, a group within OBJECT_WINDOW after it",
        guards: "negation after the verb; a harmless means; a reclaimed word; the common guards but the question",
        strength: Strength::Review,
        reason: "Uppmaning till våld mot en folkgrupp, ställd som en fråga",
        basis: BASIS_HETS,
        positive: "Varför har ingen skjutit romerna som tigger vid Centralen än?",
        negative: "Varför har ingen hjälpt romerna som tigger vid Centralen?",
    },
    RuleRow {
        id: "il.olaga_hot.question_call",
        category: Category::OlagaHot,
        trigger: "a verb of violence (role `violence`, probable or more)",
        shape: "a question that opens a call (question_calls, or `varför <verb> ingen`) within QUESTION_CALL_WINDOW before the verb, a person (not the addressee) within OBJECT_WINDOW after it",
        guards: "negation after the verb; a harmless means; the common guards but the question",
        strength: Strength::Review,
        reason: "Uppmaning till våld mot en person, ställd som en fråga",
        basis: BASIS_HOT,
        positive: "Varför har ingen skjutit kommunalrådet än?",
        negative: "Varför sköt polisen honom?",
    },
    RuleRow {
        id: "il.olaga_hot.call_against_person",
        category: Category::OlagaHot,
        trigger: "a verb of violence (role `violence`, probable or more)",
        shape: "an imperative, or a modal opening the sentence, with a person within OBJECT_WINDOW",
        guards: "particles (`häng upp`); the writer as object (`döda mig nu`); negation; the common guards",
        strength: Strength::Obvious,
        reason: "Uppmaning till våld mot en person",
        basis: BASIS_HOT,
        positive: "Skjut dom som stängde badhuset",
        negative: "Häng upp flaggan vid stadshuset",
    },
    RuleRow {
        id: "il.olaga_hot.property_attack_promised",
        category: Category::OlagaHot,
        trigger: "future_modals after first_person",
        shape: "the writer + a future modal + a verb of violence + the addressee's possessive",
        guards: "negation; the common guards",
        strength: Strength::Obvious,
        reason: "Skribenten lovar att angripa något som tillhör den tilltalade",
        basis: BASIS_HOT,
        positive: "Jag kommer spränga ert stadshus",
        negative: "Jag ska döda er med vänlighet",
    },
    RuleRow {
        id: "il.olaga_hot.family_sought",
        category: Category::OlagaHot,
        trigger: "future_modals after first_person",
        shape: "the writer + a future modal + a verb of seeking out (`hitta`) + the addressee's possessive",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Skribenten säger sig ska söka upp den tilltalades närstående",
        basis: BASIS_HOT,
        positive: "Vi kommer hitta din dotter",
        negative: "Vi kommer hitta en lösning",
    },
    RuleRow {
        id: "il.olaga_hot.violence_would_help",
        category: Category::OlagaHot,
        trigger: "violence_nouns",
        shape: "a noun of violence + `gjort`/`göra` + `gott` with a person",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Våld mot en person sägs vara bra för personen",
        basis: BASIS_HOT,
        positive: "En smäll på käften hade gjort honom gott",
        negative: "En promenad hade gjort honom gott",
    },
    RuleRow {
        id: "il.olaga_hot.body_harm",
        category: Category::OlagaHot,
        trigger: "body after the addressee's possessive",
        shape: "the writer next to a verb of force within FORCE_TO_BODY of the addressee's body part",
        guards: "negation; the common guards",
        strength: Strength::Obvious,
        reason: "Hot om att skada den tilltalades kropp",
        basis: BASIS_HOT,
        positive: "nästa gång slår jag sönder ditt ansikte",
        negative: "nästa gång tvättar jag ditt ansikte",
    },
    RuleRow {
        id: "il.olaga_hot.body_harm_other",
        category: Category::OlagaHot,
        trigger: "body after a third person's possessive (`hans`, `hennes`, `hens`)",
        shape: "the writer next to a verb of force within FORCE_TO_BODY of the body part",
        guards: "negation; the common guards",
        strength: Strength::Review,
        reason: "Hot om att skada en annan persons kropp",
        basis: BASIS_HOT,
        positive: "jag krossar hennes knän",
        negative: "jag masserar hennes knän",
    },
    RuleRow {
        id: "il.olaga_valdsskildring.praised",
        category: Category::OlagaValdsskildring,
        trigger: "violent_acts, killing_past",
        shape: "real violence or its doer with a word of approval in the sentence",
        guards: "negated approval; the common guards",
        strength: Strength::Review,
        reason: "Verkligt våld eller en gärningsman hyllas",
        basis: BASIS_VALDSSKILDRING,
        positive: "Skolskjutaren gjorde det rätta",
        negative: "Skolskjutaren dömdes till livstid",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.humanity_denied",
        category: Category::HetsMotFolkgrupp,
        trigger: "a group, slur or `de`/`dom`/`dessa`",
        shape: "the subject + a copula + a denial (`inte`, `inga`, `knappt`) + qualifiers + a word for human within DENIAL_TO_HUMAN",
        guards: "a negation before the subject; the common guards",
        strength: Strength::Obvious,
        reason: "En skyddad folkgrupp frånkänns att vara människor",
        basis: BASIS_HETS,
        positive: "Somalier är inte ens riktiga människor",
        negative: "Flyktingar är inte siffror, de är människor",
    },
    RuleRow {
        id: "il.hets_mot_folkgrupp.good_only_dead",
        category: Category::HetsMotFolkgrupp,
        trigger: "`enda bra`/`enda goda`",
        shape: "a copula within GOOD_ONLY_DEAD_REACH words after it, `död`/`döda`/`dött` within two words after that, and a group or slur between or right after `död`: the formula that a people is good only dead",
        guards: "the common guards (a quotation, news, counter-speech …)",
        strength: Strength::Obvious,
        reason: "En skyddad folkgrupp sägs bara vara bra som död",
        basis: BASIS_HETS,
        positive: "Den enda bra syriern är en död syrier. Stäng kulturkvällen.",
        negative: "Den enda bra getingen är en död geting",
    },
    RuleRow {
        id: "il.olaga_hot.veiled_advice",
        category: Category::OlagaHot,
        trigger: "the phrase class if_i_were_you (`om jag var du`, `i ditt ställe`)",
        shape: "the condition + `skulle` + within ADVICE_WINDOW a verb of leaving without a destination, `akta`, `ensam`, or safety denied",
        guards: "the common guards (a hypothetical is the shape itself)",
        strength: Strength::Review,
        reason: "Skribenten råder den tilltalade att fly eller akta sig, som om något skulle hända, vilket kan vara ett förtäckt hot",
        basis: BASIS_HOT,
        positive: "Om jag var du skulle jag flytta härifrån",
        negative: "Om jag vore du skulle jag flytta till en större lägenhet",
    },
    RuleRow {
        id: "il.olaga_hot.death_promised",
        category: Category::OlagaHot,
        trigger: "`se till att`",
        shape: "the writer + a strong intent + `se till att` + you + death or serious violence within three tokens; or (hot.rs, probable) a wish of serious violence at a person followed by a promise tag (`promise_tags`: `Hoppas du brinner upp, jag ska se till det`)",
        guards: "negation; idioms (`dö av skratt`); the common guards",
        strength: Strength::Obvious,
        reason: "Skribenten lovar att se till att den tilltalade dör eller skadas svårt",
        basis: BASIS_HOT,
        positive: "Jag ska se till att du dör i år",
        negative: "Jag ska se till att du får en bra plats i år",
    },
    RuleRow {
        id: "il.olaga_hot.veiled_future",
        category: Category::OlagaHot,
        trigger: "`händer`, `drabba`, `inte långt kvar`",
        shape: "something happening to you (`händer dig något`), or you + `har inte långt kvar`",
        guards: "good news (`något fint`); negation; the common guards",
        strength: Strength::Review,
        reason: "Skribenten antyder att något väntar den tilltalade eller att tiden är kort, vilket kan vara ett förtäckt hot",
        basis: BASIS_HOT,
        positive: "Vänta du bara, snart händer det dig något",
        negative: "Vänta du bara, snart händer det dig något fint",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_stand_for_one_to_a_few_letters() {
        let words = masked_words("skicka hem alla n***rer nu");
        assert_eq!(words.len(), 1);
        assert!(masked_match(&words[0].1, "negrer"));
        assert!(!masked_match(&words[0].1, "flator"));
        let none = masked_words("m***@kommunen.se");
        assert!(none.iter().all(|(_, p)| !masked_match(p, "negrer")));
    }

    #[test]
    fn starts_with_agrees_with_the_standard_library() {
        for (word, prefix) in [
            ("somaliaporna", "somali"),
            ("somaliaporna", "svensk"),
            ("ös", "ö"),
            ("ös", "å"),
            ("", ""),
            ("a", ""),
            ("", "a"),
            ("ab", "abc"),
        ] {
            assert_eq!(
                starts_with(word, prefix),
                word.starts_with(prefix),
                "{word} {prefix}"
            );
        }
    }

    #[test]
    fn shortened_slurs_drop_vowels_not_consonants() {
        assert!(shortened("ngrr", "niggrer"));
        assert!(shortened("bgjävlarna", "bögjävlarna"));
        assert!(!shortened("niger", "nigger"), "a country, no vowel dropped");
        assert!(!shortened("trans", "transa"), "the last letter differs");
        assert!(!shortened("tatar", "tattare"));
    }
}
