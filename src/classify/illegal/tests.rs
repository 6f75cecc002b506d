//! Rule tables, the labelled Swedish cases in `tests/data/labelled/`, and
//! the lawful-opinion corpus check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::*;
use crate::classify::Classifier;
use crate::domain::CategoryGroup;

fn detector() -> &'static IllegalContentDetector {
    static DETECTOR: OnceLock<IllegalContentDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| IllegalContentDetector::embedded().unwrap_or_else(|e| panic!("{e}")))
}

/// The detector's findings, without the evidence only a confirming model
/// may act on (`illegal/evidence.rs`; the classifier drops it unconfirmed).
fn findings(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    detector().detect(text, &mut out);
    out.retain(|f| !needs_model(&f.rule));
    out
}

fn strongest(text: &str, category: Category) -> Option<Confidence> {
    findings(text)
        .into_iter()
        .filter(|f| f.category == category)
        .map(|f| f.confidence)
        .max()
}

#[test]
fn each_obvious_rule_fires_on_its_shape_and_not_in_context() {
    use Confidence::*;
    let cases: &[(&str, Category, Option<Confidence>, &str)] = &[
        (
            "jag ska döda dig",
            Category::OlagaHot,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "du ska dö",
            Category::OlagaHot,
            Some(Obvious),
            "il.olaga_hot.you_will_die",
        ),
        (
            "vi kommer hem till dig med kniv",
            Category::OlagaHot,
            Some(Obvious),
            "il.olaga_hot.armed_visit",
        ),
        (
            "muslimer är ohyra",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.dehumanising",
        ),
        (
            "döda alla judar",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "pthc",
            Category::Barnpornografi,
            Some(Obvious),
            "il.barnpornografi.indicator_term",
        ),
        (
            "säljer barnporr",
            Category::Barnpornografi,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        (
            "https://bestgore.com/x",
            Category::OlagaValdsskildring,
            Some(Obvious),
            "il.olaga_valdsskildring.listed_domain",
        ),
        (
            "https://thepiratebay.org/x",
            Category::Upphovsratt,
            Some(Obvious),
            "il.upphovsratt.listed_domain",
        ),
        (
            "han skrev: ”jag ska döda dig”",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        (
            "åklagaren menar att muslimer är ohyra enligt den åtalade",
            Category::HetsMotFolkgrupp,
            Some(Probable),
            "il.hets_mot_folkgrupp.in_context",
        ),
        (
            "det är rasistiskt att säga att muslimer är ohyra",
            Category::HetsMotFolkgrupp,
            Some(Probable),
            "il.hets_mot_folkgrupp.in_context",
        ),
        (
            "ska jag döda dig?",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        (
            "muslimer är inte ohyra",
            Category::HetsMotFolkgrupp,
            None,
            "",
        ),
        ("vi bögar", Category::HetsMotFolkgrupp, None, ""),
    ];
    for (text, category, confidence, rule) in cases {
        let found = findings(text);
        let strongest = found
            .iter()
            .filter(|f| f.category == *category)
            .max_by_key(|f| f.confidence);
        assert_eq!(
            strongest.map(|f| f.confidence),
            *confidence,
            "{text}: {found:?}"
        );
        if let Some(f) = strongest {
            assert_eq!(f.rule, *rule, "{text}");
        }
    }
}

#[test]
fn findings_point_at_the_original_text_and_reasons_do_not_repeat_the_slur() {
    let text = "😀 Åh! Alla B L A T T A R ska skjutas.";
    let found = findings(text);
    let obvious = found
        .iter()
        .find(|f| f.confidence == Confidence::Obvious)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        &text[obvious.start..obvious.end],
        "B L A T T A R ska skjutas"
    );
    for finding in &found {
        assert!(
            !finding.reason.to_lowercase().contains("blatt"),
            "{finding:?}"
        );
        assert!(!finding.legal_basis.is_empty());
    }
}

#[test]
fn a_slur_alone_is_never_obvious() {
    for text in [
        "blatte",
        "jävla svartskalle",
        "n3g3r",
        "bögjävel",
        "din transa",
    ] {
        let confidence = strongest(text, Category::HetsMotFolkgrupp);
        assert!(
            matches!(
                confidence,
                Some(Confidence::Probable | Confidence::Possible)
            ),
            "{text}: {confidence:?}"
        );
    }
}

#[test]
fn a_listed_media_hash_is_obvious_and_a_bad_list_line_is_an_error() {
    let listed = [7u8; 32];
    let list = MediaHashList::parse(
        "hashes.txt",
        &format!("# from the hotline\n{}\n", hex::encode(listed)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        list.finding_for(&listed).map(|f| (f.confidence, f.rule)),
        Some((
            Confidence::Obvious,
            "il.barnpornografi.media_hash".to_owned()
        ))
    );
    assert_eq!(list.finding_for(&[8u8; 32]), None);
    let error = MediaHashList::parse("hashes.txt", "abc\n")
        .map(|_| ())
        .unwrap_err();
    assert!(error.to_string().contains("hashes.txt, line 1"), "{error}");
}

/// One expectation a moderator would notice: the strongest finding of the
/// category, and its rule when there is one.
fn assert_outcomes(cases: &[(&str, Category, Option<Confidence>, &str)]) {
    for (text, category, confidence, rule) in cases {
        let found = findings(text);
        let strongest = found
            .iter()
            .filter(|f| f.category == *category)
            .max_by_key(|f| f.confidence);
        assert_eq!(
            strongest.map(|f| f.confidence),
            *confidence,
            "{text}: {found:?}"
        );
        if let Some(f) = strongest {
            assert_eq!(f.rule, *rule, "{text}");
        }
    }
}

/// Lawful look-alikes of a shape: no finding of `rule` and no automatic
/// action (`rule` empty: no automatic action at all).
fn assert_not_acted_on(rule: &str, texts: &[&str]) {
    for text in texts {
        let found = findings(text);
        assert!(
            found
                .iter()
                .all(|f| f.rule != rule && f.confidence < Confidence::Obvious),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn uppvigling_obvious_only_for_direct_violence_against_persons() {
    use Category::Uppvigling as U;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Skjut snutarna när de kommer",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        (
            "Släpp inte in väktarna, kasta flaskor på dem",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        (
            "Vi måste attackera politikerna i kväll",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        // Conditional: a person decides.
        (
            "Om polisen kommer, attackera poliserna",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        // Property and disobedience are review, never obvious.
        (
            "Plundra butikerna vid stadshuset i kväll",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Vi samlas vid polishuset kl 21.30 och bränner det",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Vägra betala parkeringsböterna, alla",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        // Guards: figurative objects, news, counter-speech, games, `att`.
        ("Låt oss attackera bostadsbristen på allvar", U, None, ""),
        ("Vi ska sätta eld på dansgolvet i helgen!", U, None, ""),
        (
            "Polisen skriver att någon försökte bränna ner skolan",
            U,
            None,
            "",
        ),
        ("Att storma riksdagen är olagligt och fel", U, None, ""),
        ("I spelet kan man storma slottet", U, None, ""),
        ("Sätt eld på polishuset? Nej, rösta i stället", U, None, ""),
    ]);
}

#[test]
fn terror_attack_calls_on_people_are_obvious_and_talk_is_not() {
    use Category::TerrorUppmaning as T;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Kör in i folkmassan på festivalen med en lastbil",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        (
            "Slå till mot julmarknaden, ingen ska överleva",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        (
            "Döda alla otrogna i Stockholm",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        // A call to join or a martyr's death with an organisation: review.
        (
            "Res ner och strid för al-Shabaab",
            T,
            Some(Probable),
            "il.terror_uppmaning.call",
        ),
        (
            "Den som vill dö för saken kan skriva till mig",
            T,
            Some(Probable),
            "il.terror_uppmaning.call",
        ),
        // Police raids, discussion, news, and expulsion are not attacks.
        ("Polisen slog till mot en lägenhet i Rinkeby", T, None, ""),
        ("Att döda otrogna är aldrig rätt", T, None, ""),
        (
            "Tidningen skriver att IS uppmanade anhängare att köra in i folkmassor",
            T,
            None,
            "",
        ),
        (
            "De pratar om invandrarna som något man kan slänga ut, och svenskar håller med",
            T,
            None,
            "",
        ),
    ]);
}

#[test]
fn csam_trading_is_obvious_and_reports_and_innocent_senses_are_not() {
    use Category::Barnpornografi as B;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Säljer cp-mappar, swish 300 kr",
            B,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        (
            "nån som har ptsc? byter",
            B,
            Some(Obvious),
            "il.barnpornografi.indicator_term",
        ),
        (
            "CSAM-arkiv, pm för länk",
            B,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        ("cp?", B, Some(Possible), "il.barnpornografi.term"),
        // Reports, news, diagnoses and youth work give nothing automatic.
        (
            "Jag har anmält kontot som delar övergreppsmaterial till polisen",
            B,
            Some(Probable),
            "il.barnpornografi.in_context",
        ),
        ("Han dömdes för innehav av barnpornografi", B, None, ""),
        ("Min dotter har CP och får assistans", B, None, ""),
        ("Preteen-disco på fritidsgården på fredag", B, None, ""),
    ]);
}

#[test]
fn violent_footage_shared_goes_to_review_and_news_or_fiction_does_not() {
    use Category::OlagaValdsskildring as V;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Har klippet när de sparkar ihjäl honom, skriv om ni vill se",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.shared_violence",
        ),
        (
            "Dela videon från knivattacken i Rinkeby",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.shared_violence",
        ),
        (
            "Kolla på kaotic.com, allt finns där",
            V,
            Some(Obvious),
            "il.olaga_valdsskildring.listed_domain",
        ),
        ("Sprid inte filmen från misshandeln", V, None, ""),
        (
            "Polisen har gripit två män som spred filmen från mordet",
            V,
            None,
            "",
        ),
        ("Thrillern handlar om en snuffilm", V, None, ""),
        ("Gore Verbinski regisserade filmen", V, None, ""),
    ]);
}

#[test]
fn intimate_images_and_private_facts_about_others_go_to_review_only() {
    use Category::OlagaIntegritetsintrang as I;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Lägger upp hans dickpics här",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Upskirtbilder från bussen, hela mappen på mega",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Visste ni att Johan på kontoret har klamydia?",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.private_fact",
        ),
        // Own images, own health, information, questions without pointing.
        ("Mitt ex spred mina nakenbilder", I, None, ""),
        ("Jag har herpes och skäms inte", I, None, ""),
        (
            "Att sprida nakenbilder utan samtycke är ett brott",
            I,
            None,
            "",
        ),
        (
            "Dolda kameror i omklädningsrum, är det vanligt?",
            I,
            None,
            "",
        ),
    ]);
}

#[test]
fn piracy_offers_go_to_review_and_bare_listed_domains_are_obvious() {
    use Category::Upphovsratt as P;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Nya avsnitt finns på FMOVIES.TO",
            P,
            Some(Obvious),
            "il.upphovsratt.listed_domain",
        ),
        (
            "Säljer IPTV, alla kanaler, dm",
            P,
            Some(Probable),
            "il.upphovsratt.term",
        ),
        (
            "Inscannade kursböcker gratis i gruppen",
            P,
            Some(Probable),
            "il.upphovsratt.term",
        ),
        (
            "Domen mot thepiratebay.org står fast",
            P,
            Some(Probable),
            "il.upphovsratt.listed_domain",
        ),
        (
            "Sajten fmovies.to stängdes efter en rättsprocess",
            P,
            Some(Probable),
            "il.upphovsratt.listed_domain",
        ),
        ("Ladda ner Linux via torrent, helt lagligt", P, None, ""),
        ("Har ni IPTV från Telia?", P, None, ""),
    ]);
}

/// Integritetsintrång is found from its parts — material, spreading, an
/// identifiable person — whatever the wording, and a bare mention, one's
/// own images or a warning gives nothing.
#[test]
fn intimate_material_spread_about_someone_is_found_by_its_parts() {
    use Category::OlagaIntegritetsintrang as I;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Lägger ut nakenbilderna på Sara från festen ikväll",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Delar skärmdumpar av hans sexchattar med en tjej, kolla",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        // A recording made in an intimate setting is intimate material.
        (
            "Filmade henne i provhytten, klippet finns i min kanal",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Skickar runt bilderna från när Linda bytte om på gymmet",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Läraren Maria har klamydia, sprid det till alla föräldrar",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.private_fact",
        ),
        // Told openly by the person it is about.
        ("Hon berättade öppet att hon har hiv, modigt", I, None, ""),
        ("Sprid aldrig nakenbilder på någon annan", I, None, ""),
        ("Hämndporr borde ge längre straff", I, None, ""),
        (
            "Jag har varit inlagd på psyket och mår bättre nu",
            I,
            None,
            "",
        ),
        (
            "Filma inte i omklädningsrummet, det är förbjudet",
            I,
            None,
            "",
        ),
        (
            "Kameran i omklädningsrummet på badet är trasig",
            I,
            None,
            "",
        ),
    ]);
}

/// Terror calls are found from an attack verb put as a call and a target
/// of terror, people, or religious-political framing.
#[test]
fn terror_attack_calls_are_found_by_verb_target_and_framing() {
    use Category::TerrorUppmaning as T;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Spräng tunnelbanan i rusningstid",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        (
            "Kör in i folkmassan på torget, allahu akbar",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        // Infrastructure, a duty, recruitment: a person decides.
        (
            "Sabotera elnätet i vinter så samhället faller",
            T,
            Some(Probable),
            "il.terror_uppmaning.attack_call",
        ),
        (
            "Vi behöver fler som spränger synagogor",
            T,
            Some(Probable),
            "il.terror_uppmaning.attack_call",
        ),
        (
            "Ta med kniv till marknaden och gå dit kuffarna samlas",
            T,
            Some(Probable),
            "il.terror_uppmaning.attack_call",
        ),
        (
            "Polisen slog till mot en lägenhet och beslagtog sprängmedel",
            T,
            None,
            "",
        ),
        (
            "Dokumentären om attentatet på Drottninggatan var stark",
            T,
            None,
            "",
        ),
        // Ramming with the vehicle named, and a bomb put in place.
        (
            "Kör bussen rakt in i folkmassan vid torget",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        (
            "Placera bomben på perrongen i rusningstid",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        (
            "Kör över dem på julmarknaden",
            T,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
        // Driving into a car park near a mall is no ramming.
        (
            "Kör in i parkeringshuset vid gallerian, det är billigast",
            T,
            None,
            "",
        ),
        (
            "Hur kan Sverige skicka människor rakt in i döden?",
            T,
            None,
            "",
        ),
        ("Vi måste slå ut konkurrenterna på marknaden", T, None, ""),
        ("Bomba inte Gaza, sluta kriget!", T, None, ""),
    ]);
}

/// Calls to damage need a concrete object; calls to go armed and plans
/// (`i natt krossar vi …`) are calls; reports in the past tense are not.
#[test]
fn uppvigling_damage_needs_an_object_and_reports_are_no_calls() {
    use Category::Uppvigling as U;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Krossa alla fartkameror på Essingeleden i natt",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Hacka kommunens hemsida och radera allt",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Ta med järnrör till demonstrationen imorgon",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Någon borde tända eld på socialkontoret",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "I natt krossar vi rutorna på stadshuset",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        // A condition after the call keeps it from being obvious.
        (
            "Spöa ordningsvakterna om de kastar ut oss",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        // Refusing is a call to disobey with a verb after it.
        (
            "Vägra flytta på er när polisen kommer till torget",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Kasta färg på politikerna när de kommer",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Alla ut, vi krossar skyltfönstren tills de lyssnar",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        ("Kasta skräpet i soptunnan vid torget", U, None, ""),
        ("Vägra plast, ta med egen kasse", U, None, ""),
        ("Låt oss storma in i sommaren med musik", U, None, ""),
        ("Vi krossade motståndet i finalen", U, None, ""),
        ("Krossa vitlöken och stek den", U, None, ""),
        ("Hacka löken fint", U, None, ""),
        (
            "Oppositionen vill köra över kommunen i skolfrågan",
            U,
            None,
            "",
        ),
        ("Tjuvar krossade rutorna på stadshuset i natt", U, None, ""),
    ]);
}

/// A protected work with signs of an unlicensed copy and a pointer is
/// reviewed; lawful sources and showings are not.
#[test]
fn offered_works_need_signs_of_a_copy_and_lawful_sources_give_nothing() {
    use Category::Upphovsratt as P;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Hela nya säsongen av Bonusfamiljen finns på min Telegram, skriv så skickar jag länken",
            P,
            Some(Probable),
            "il.upphovsratt.offered_work",
        ),
        (
            "Läckt: nya albumet, ladda ner här",
            P,
            Some(Possible),
            "il.upphovsratt.offered_work",
        ),
        (
            "Kopiera hela boken och dela ut i klassen, förlaget märker inget",
            P,
            Some(Probable),
            "il.upphovsratt.term",
        ),
        ("Hela säsongen av Pippi finns på SVT Play", P, None, ""),
        ("Ljudboken finns att låna på biblioteket", P, None, ""),
        ("Se hela matchen på SVT Play", P, None, ""),
        ("Konserten sänds gratis i Kungsträdgården", P, None, ""),
        (
            "Filmen hade premiär igår, recensionen finns här",
            P,
            None,
            "",
        ),
    ]);
}

/// Images of children next to trading: obvious when the words say they are
/// minors or illegal, review when veiled; ordinary sales and school photos
/// give nothing.
#[test]
fn traded_images_of_children_are_found_without_a_fixed_term() {
    use Category::Barnpornografi as B;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Säljer videor på minderåriga, swish",
            B,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        (
            "olagliga filmer med barn, pm",
            B,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        (
            "byter bilder på små flickor, bara seriösa",
            B,
            Some(Probable),
            "il.barnpornografi.traded_images",
        ),
        // An adjective between, and the writer's own `jag menar` is no
        // quotation.
        (
            "byter filmer på nakna småpojkar, dm",
            B,
            Some(Obvious),
            "il.barnpornografi.offer",
        ),
        (
            "Har någon bilder på unga? Ni vet vad jag menar, pm",
            B,
            Some(Probable),
            "il.barnpornografi.traded_images",
        ),
        ("Säljer barnvagn och barnkläder, pm", B, None, ""),
        (
            "Bilder på barnen från skolavslutningen finns i appen",
            B,
            None,
            "",
        ),
        ("Dela inte bilder på minderåriga utan samtycke", B, None, ""),
    ]);
}

/// A recording of violence named as one compound, or an event that is
/// spread, is reviewed; a profile's bio is no cinema.
#[test]
fn violent_recordings_by_compound_or_spread_event_go_to_review() {
    use Category::OlagaValdsskildring as V;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Mordvideon från Rinkeby ligger på min Telegram",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.shared_violence",
        ),
        (
            "Posta avrättningen i gruppchatten",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.shared_violence",
        ),
        (
            "Kolla dödsvideon, länk i bio",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.term",
        ),
        // A question that points elsewhere still points.
        (
            "Har ni sett mordklippet från Kista? Länk i min bio",
            V,
            Some(Probable),
            "il.olaga_valdsskildring.shared_violence",
        ),
        ("Misshandelsvideon visades i rätten som bevis", V, None, ""),
        ("Sprid inte mordvideon", V, None, ""),
        (
            "Staten sköt upp avrättningar efter protesterna",
            V,
            None,
            "",
        ),
    ]);
}

/// Shapes added on 2026-12-02 from the even lines of the `*_fresh3.jsonl`
/// files, each checked on wordings of its own (not taken from the data):
/// a disabling act is sabotage (review), never an obvious attack on
/// people; glorification, armed recruitment, financing and "no survivors"
/// are reviewed; new material and private-fact words for integritetsintrång;
/// and the look-alikes that must stay unflagged.
#[test]
fn fresh3_shapes_find_new_wordings_and_leave_lookalikes() {
    use Category::{OlagaIntegritetsintrang as I, TerrorUppmaning as T};
    use Confidence::*;
    assert_outcomes(&[
        (
            "Sabotera larmcentralen i natt så kan ingen ringa",
            T,
            Some(Probable),
            "il.terror_uppmaning.attack_call",
        ),
        (
            "hacka vårdcentralen och slå ut journalsystemet",
            T,
            Some(Probable),
            "il.terror_uppmaning.attack_call",
        ),
        (
            "Gärningsmannen i Malmö är en hjälte för oss.",
            T,
            Some(Probable),
            "il.terror_uppmaning.glorified",
        ),
        (
            "Attentatet mot konserten var ett mästerverk.",
            T,
            Some(Probable),
            "il.terror_uppmaning.glorified",
        ),
        (
            "Vi värvar unga till väpnad kamp, hör av er.",
            T,
            Some(Probable),
            "il.terror_uppmaning.armed_recruitment",
        ),
        (
            "Swisha till oss så köper vi sprängmedel åt bröderna.",
            T,
            Some(Probable),
            "il.terror_uppmaning.financing",
        ),
        (
            "Kör dit när publiken går hem. Inga överlevande.",
            T,
            Some(Probable),
            "il.terror_uppmaning.no_survivors",
        ),
        // Look-alikes: praise of rescuers, lawful recruitment, aid, news.
        ("Polisen som stoppade attentatet är en hjälte.", T, None, ""),
        (
            "Hemvärnet söker folk till träningslägret i Rinkeby.",
            T,
            None,
            "",
        ),
        ("Swisha till insamlingen för filtar och mat.", T, None, ""),
        (
            "Enligt polisen fanns inga överlevande efter branden vid konserten.",
            T,
            None,
            "",
        ),
        ("Hon är en hjälte som räddade grannens katt.", T, None, ""),
        // Olaga integritetsintrång: new words for the material and the fact.
        (
            "Säljer sextapen med Emma från Tensta, dm me",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.sharing",
        ),
        (
            "Sprid! Hon på kontoret fick missfall förra veckan",
            I,
            Some(Probable),
            "il.olaga_integritetsintrang.private_fact",
        ),
        (
            "Jag fick missfall förra året och det tog tid att läka.",
            I,
            None,
            "",
        ),
        ("Sextape-skandaler förstör liv.", I, None, ""),
    ]);
}

/// Shapes added on 2026-12-02 from the even lines of the `*_fresh2.jsonl`
/// files, each checked on wordings of its own (not taken from the data):
/// a veiled threat, a body part, a wish; a group burnt inside a building,
/// named in the next sentence, shut out by a slogan or maligned as
/// controlling, criminal or sick; a call against people named before or
/// after, an armed visit, a veiled call, defiance and obstruction; and the
/// look-alikes that must stay unflagged.
#[test]
fn fresh2_shapes_find_new_wordings_and_leave_lookalikes() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H, Uppvigling as U};
    use Confidence::*;
    assert_outcomes(&[
        // Olaga hot: new wordings built from the parts of the offence.
        (
            "Vi ses efter jobbet, Karin. Du vet vad som händer då.",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Det vore synd om ditt hus brann ner en natt.",
            H,
            Some(Possible),
            "il.olaga_hot.veiled",
        ),
        (
            "Hoppas någon kör över dig med bil.",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
        (
            "Snart kommer nån att fixa dig, när du minst anar det.",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Jag ska krossa din skalle",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Ska knäcka nacken på dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Jag ska slita huvudet av dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Jag ska ge dig stryk",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Hoppas du dör i en brand.",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
        (
            "Han ska få käken krossad, den där handläggaren.",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        // Whose body part after `på den där`; a finger, singular.
        (
            "Krossa käken på den där journalisten som skrev om incels",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Jag ska bryta varenda finger på henne",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        ("Jag ska krossa näsan på den där statyn", H, None, ""),
        (
            "Skulle inte fälla en tår om någon sköt honom.",
            H,
            Some(Possible),
            "il.olaga_hot.wish",
        ),
        (
            "Tog en promenad förbi ditt hus igår, Lisa.",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Har googlat fram din adress nu.",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Du borde skaffa livvakter.",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Du kommer inte leva över helgen",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Nästa gång knivhugger jag dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "Hoppas döden tar dig snart",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
        (
            "Rektorn på Bergsskolan ska jag döda",
            H,
            Some(Probable),
            "il.olaga_hot.third_person",
        ),
        // `blåsa skallen av`: to shoot someone in the head.
        (
            "jag blåser huvet av mentorn imorn",
            H,
            Some(Probable),
            "il.olaga_hot.third_person",
        ),
        // Olaga hot: look-alikes that stay unflagged.
        ("Jag dör av skratt", H, None, ""),
        ("Synd om barnen som inte får simundervisning", H, None, ""),
        ("Vad som händer med bygget vet ingen.", H, None, ""),
        ("Hoppas ni får en fin helg", H, None, ""),
        ("Ta med skyddsväst och hjälm på paintballen!", H, None, ""),
        ("Vi ska slå er i innebandyn på söndag", H, None, ""),
        ("Du kommer inte leva på det där bidraget", H, None, ""),
        (
            "Jag har googlat din adress för att skicka blommor?",
            H,
            None,
            "",
        ),
        // Hets mot folkgrupp: new wordings built from the parts of the offence.
        (
            "Bränn kyrkan med alla judar inuti",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Skjut dem. Jag menar invandrarna i centrum.",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.call_to_violence_review",
        ),
        (
            "Romerna bor i lägret vid ån. Sätt eld på dem.",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.call_to_violence_review",
        ),
        (
            "Dags att jaga muslimer igen",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.call_to_violence_review",
        ),
        (
            "Ut med alla somalier",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Ut med islam ur Europa",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Inga synagogor i vårt land",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Åk hem till era länder",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "När ska de åka hem, alla flyktingar?",
            G,
            Some(Possible),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Judarna ligger bakom allt",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Romer ljuger och stjäl",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Bögar borde inte få adoptera",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Importera fler afghaner, eller?",
            G,
            Some(Possible),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Homosexualitet är en sjukdom",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Araber är äckliga",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Muslimer hör hemma i öknen",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Invandrarna ska ut, punkt.",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Inga fler somalier i Rinkeby!",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Landet vore bättre utan judar",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Somalierna borde samlas i läger",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        // Hets mot folkgrupp: look-alikes that stay unflagged.
        ("Homosexualitet är ingen sjukdom", G, None, ""),
        (
            "Invandrare ljuger om sin ålder ibland, säger Migrationsverket.",
            G,
            None,
            "",
        ),
        ("De har hävdat att muslimer är terrorister.", G, None, ""),
        ("Asylsökande ska inte vara rädda här.", G, None, ""),
        ("Judiska församlingen bjuder in till öppet hus", G, None, ""),
        // Uppvigling: new wordings built from the parts of the offence.
        (
            "Panga polisen",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        (
            "Fixa läraren. Slå ner honom på rasten.",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Döda dem. Väktarna vid stationen alltså.",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Politikerna borde vi stena allihop",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Skjut vakterna, dom e bara rasister",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        (
            "Möt poliserna med järnrör",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Ta en kofot till stadshusets fönster",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Om de stänger badet... Ni vet vad som ska göras.",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Synd om kommunhuset brann ner 😉",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Strunta i avspärrningen och gå in",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Parkera framför garaget så ambulansen inte kommer fram",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Det blir kravaller om de röstar ja. Var redo.",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Bryt upp elskåpen",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Sluta betala skatt, allihop!",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Hälsa på handläggaren hemma ikväll",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Ge polisen vad de förtjänar",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Gå på vakterna",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Någon borde tända på moskén",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        // Uppvigling: look-alikes that stay unflagged.
        (
            "Parkera inte framför garaget så att ambulansen inte kommer fram",
            U,
            None,
            "",
        ),
        ("Ni vet hur det är.", U, None, ""),
        ("Var beredda på snöoväder i helgen", U, None, ""),
        ("Bryt upp mönstret och tänk nytt", U, None, ""),
        ("Hälsa på mormor i helgen", U, None, ""),
        ("Sluta slänga skräp i parken", U, None, ""),
        ("Strunta i mig, jag är bara sur", U, None, ""),
        // Later shapes: force, a weapon put in, no subject, an armed visit, a cure, a bar.
        ("Jag ska mosa dig", H, Some(Probable), "il.olaga_hot.injury"),
        // The addressee broken like a thing is a body hurt; a car is property.
        (
            "Jag ska slå sönder dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Jag ska slå sönder din bil",
            H,
            Some(Probable),
            "il.olaga_hot.property",
        ),
        // The writer's own act is no call to others; an order to break
        // someone is.
        ("Jag ska slå sönder dig", U, None, ""),
        (
            "Slå sönder honom",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Jag ska sätta en kniv i dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        ("Ska döda dig", H, Some(Probable), "il.olaga_hot.no_subject"),
        // An imperative after the @mention it is addressed to.
        (
            "@kommunalråd_Holm ta livet av dig",
            H,
            Some(Obvious),
            "il.olaga_hot.urges_self_harm",
        ),
        ("@Lisa tack för att du tog livet av tristessen", H, None, ""),
        // An imperative after a hashtag, or joined to an imperative that
        // opens its clause after a statement.
        (
            "#tröttpådig gör slut på dig själv",
            H,
            Some(Obvious),
            "il.olaga_hot.urges_self_harm",
        ),
        (
            "Du är dum, gå och häng dig",
            H,
            Some(Obvious),
            "il.olaga_hot.urges_self_harm",
        ),
        ("Du går och hänger dig inte upp på detaljer", H, None, ""),
        // A weapon urged into the addressee's own body.
        (
            "stick kniven i halsen på dig själv, Moa",
            H,
            Some(Obvious),
            "il.olaga_hot.urges_self_harm",
        ),
        ("sätt kniven i tårtan, på dig själv beror det", H, None, ""),
        // Death urged on one person: a curse a person judges.
        (
            "Dö din jävla hora",
            H,
            Some(Probable),
            "il.olaga_hot.urges_self_harm_person",
        ),
        // Alone in the comment (no other listed word opens the rules), to
        // a name set off by a comma.
        (
            "drunkna, Ekström",
            H,
            Some(Probable),
            "il.olaga_hot.urges_self_harm_person",
        ),
        (
            "Ruttna, din idiot",
            H,
            Some(Probable),
            "il.olaga_hot.urges_self_harm_person",
        ),
        ("dö av skratt, Anna", H, None, ""),
        ("Dö som en hjälte, Anna", H, None, ""),
        // A capital after a comma opens a clause: no one is spoken to.
        ("Drunkna, Stockholm är en stad vid vatten", H, None, ""),
        // `inte` after the verb makes a plea; `ingen` opens a new clause.
        (
            "Dö ingen saknar dig",
            H,
            Some(Probable),
            "il.olaga_hot.urges_self_harm_person",
        ),
        ("Dö inte, Anna, vi behöver dig", H, None, ""),
        ("stick härifrån och skär dig en bit tårta", H, None, ""),
        (
            "Kommer med yxan till ditt jobb",
            H,
            Some(Probable),
            "il.olaga_hot.armed_visit_place",
        ),
        (
            "Hoppas du hamnar i rullstol",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
        (
            "Någon borde ge den där chefen en rejäl omgång",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        ("Jag ska krossa dig i schack", H, None, ""),
        ("Skjut bollen till målvakten", H, None, ""),
        ("Skjut på målvakten direkt", H, None, ""),
        ("Ska hämta dig vid stationen", H, None, ""),
        ("Kommer med kakan till ditt kontor", H, None, ""),
        (
            "Homosexuella borde botas",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Flyktingar ska inte få komma in",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Judar är girigare än andra",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Muslimer är inte välkomna här",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Sluta ta emot flyktingar, de våldtar kvinnor",
            G,
            Some(Possible),
            "il.hets_mot_folkgrupp.contempt",
        ),
        ("Flyktingar ska inte behöva vänta", G, None, ""),
        (
            "Lägg spikmattor på vägen när polisen kommer",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Visa snuten vem som bestämmer",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Den som ser en väktare vet vad den ska göra",
            U,
            Some(Possible),
            "il.uppvigling.call_to_crime",
        ),
        ("Visa lärarna vad ni kan", U, None, ""),
        // Alive, a strike, revenge, and a weapon carried towards a target.
        (
            "Du går inte härifrån levande",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Jag ska slå in skallen på dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Vore inte förvånad om din bil fattade eld en natt",
            H,
            Some(Possible),
            "il.olaga_hot.veiled",
        ),
        (
            "Du är död om du visar dig här igen",
            H,
            Some(Probable),
            "il.olaga_hot.phrase",
        ),
        ("Tänd levande ljus i fönstren ikväll", H, None, ""),
        (
            "Se till att ingen polis kommer ut levande",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Hämnas på socialtjänsten",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Slå till mot stadshuset imorgon",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Ta fram facklorna och marschera mot rådhuset",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        ("Polisen slog till mot lägenheten igår", U, None, ""),
    ]);
}

// ----- labelled cases -----

#[derive(Debug, serde::Deserialize)]
struct Case {
    text: String,
    expect: String,
    note: String,
}

#[derive(Debug, Default)]
struct Tally {
    obvious_expected: usize,
    obvious_found: usize,
    review_expected: usize,
    flagged: usize,
    negatives: usize,
    negatives_flagged: usize,
}

fn labelled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/labelled")
}

/// The labelled files (`tests/data/labelled/*.jsonl`), sorted.
fn labelled_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(labelled_dir())
        .unwrap_or_else(|e| panic!("tests/data/labelled: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

/// Which round of cases a labelled file holds: the category's first file,
/// or a later round written without the rules (`<category>_fresh.jsonl`,
/// `<category>_fresh2.jsonl`, `<category>_fresh3.jsonl`), each tallied apart with floors of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Round {
    First,
    Fresh,
    Fresh2,
    Fresh3,
    /// `<category>_shapes.jsonl`: cases written for the shapes of
    /// `illegal/aimed.rs` (issue 15), positives and hard negatives.
    Shapes,
}

/// The illegal-content category a labelled file is named after, and its
/// round; files about other things (personal data, service) are checked
/// by `eval`.
fn category_of_file(path: &Path) -> Option<(Category, Round)> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (base, round) = if let Some(base) = stem.strip_suffix("_shapes") {
        (base, Round::Shapes)
    } else if let Some(base) = stem.strip_suffix("_fresh3") {
        (base, Round::Fresh3)
    } else if let Some(base) = stem.strip_suffix("_fresh2") {
        (base, Round::Fresh2)
    } else if let Some(base) = stem.strip_suffix("_fresh") {
        (base, Round::Fresh)
    } else {
        (stem, Round::First)
    };
    crate::classify::lexicon::category_named(base).map(|c| (c, round))
}

/// Runs every labelled file: no hard negative may get an obvious
/// illegal-content finding (in any category), and the recall per category
/// must stay at or above the floor measured when the rules were written.
#[test]
fn labelled_cases_recall_and_no_obvious_hard_negative() {
    let classifier = Classifier::standard();
    let files = labelled_files();
    assert!(files.len() >= 8, "one file per illegal-content category");
    let mut tallies: BTreeMap<(Category, Round), Tally> = BTreeMap::new();
    let mut wrongly_obvious = Vec::new();
    let mut missed = Vec::new();
    for file in &files {
        let Some((category, round)) = category_of_file(file) else {
            continue;
        };
        let tally = tallies.entry((category, round)).or_default();
        let contents = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{e}"));
        for (line, raw) in contents.lines().enumerate() {
            let case: Case = serde_json::from_str(raw)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), line + 1));
            let found = classifier.classify(&case.text);
            let illegal: Vec<&Finding> = found
                .iter()
                .filter(|f| f.category.group() == CategoryGroup::IllegalContent)
                .collect();
            let here = illegal
                .iter()
                .filter(|f| f.category == category)
                .map(|f| f.confidence)
                .max();
            match case.expect.as_str() {
                "obvious" | "review" => {
                    if case.expect == "obvious" {
                        tally.obvious_expected += 1;
                        if here == Some(Confidence::Obvious) {
                            tally.obvious_found += 1;
                        } else {
                            missed.push(format!(
                                "{category} obvious: {} ({}) -> {here:?}",
                                case.text, case.note
                            ));
                        }
                    }
                    tally.review_expected += 1;
                    if here.is_some() {
                        tally.flagged += 1;
                    } else if case.expect == "review" {
                        missed.push(format!("{category} review: {} ({})", case.text, case.note));
                    }
                }
                "none" => {
                    tally.negatives += 1;
                    if !illegal.is_empty() {
                        tally.negatives_flagged += 1;
                    }
                    if let Some(f) = illegal.iter().find(|f| f.confidence == Confidence::Obvious) {
                        wrongly_obvious.push(format!("{}: {} ({})", case.text, f.rule, case.note));
                    }
                }
                other => panic!("{}:{}: unknown expect {other:?}", file.display(), line + 1),
            }
        }
    }
    for ((category, round), t) in &tallies {
        let category = match round {
            Round::First => category.to_string(),
            Round::Fresh => format!("{category} (fresh)"),
            Round::Fresh2 => format!("{category} (fresh2)"),
            Round::Fresh3 => format!("{category} (fresh3)"),
            Round::Shapes => format!("{category} (shapes)"),
        };
        eprintln!(
            "{category}: obvious recall {}/{}, review recall {}/{}, hard negatives sent to review {}/{}",
            t.obvious_found,
            t.obvious_expected,
            t.flagged,
            t.review_expected,
            t.negatives_flagged,
            t.negatives
        );
    }
    for line in &missed {
        eprintln!("missed: {line}");
    }
    assert!(
        wrongly_obvious.is_empty(),
        "hard negatives acted on: {wrongly_obvious:#?}"
    );
    for ((category, round), t) in &tallies {
        assert!(
            t.negatives > 0 && t.review_expected > 0,
            "{category}: needs both kinds of cases"
        );
        let (review_floor, obvious_floor) = match round {
            Round::First => recall_floor(*category),
            Round::Fresh => fresh_recall_floor(*category),
            Round::Fresh2 => fresh2_recall_floor(*category),
            Round::Fresh3 => fresh3_recall_floor(*category),
            Round::Shapes => shapes_recall_floor(*category),
        };
        assert!(
            t.flagged * 100 >= t.review_expected * review_floor,
            "{category}: review recall {}/{} is below {review_floor} %",
            t.flagged,
            t.review_expected
        );
        if t.obvious_expected > 0 {
            assert!(
                t.obvious_found * 100 >= t.obvious_expected * obvious_floor,
                "{category}: obvious recall {}/{} is below {obvious_floor} %",
                t.obvious_found,
                t.obvious_expected
            );
        }
    }
}

/// Recall floors in percent (review, obvious) per category, measured on
/// the whole labelled set after the 590 cases written without the rules
/// were added (2026-11) and raised when the rules were rebuilt from the
/// parts of each offence; raise them, never lower.
fn recall_floor(category: Category) -> (usize, usize) {
    match category {
        Category::Barnpornografi => (89, 98),
        Category::HetsMotFolkgrupp => (98, 100),
        Category::OlagaHot => (100, 100),
        Category::OlagaIntegritetsintrang => (90, 0),
        Category::OlagaValdsskildring => (93, 100),
        Category::TerrorUppmaning => (93, 48),
        Category::Upphovsratt => (95, 100),
        Category::Uppvigling => (88, 76),
        _ => (90, 85),
    }
}

/// Recall floors in percent (review, obvious) on the `*_fresh.jsonl`
/// files, measured on the whole of each file (2026-12-02) after the rules
/// were widened from the even lines only (on the odd lines, a test half,
/// review recall rose from 24 to 36 % for hets mot folkgrupp, 24 to 36 %
/// for olaga hot and 40 to 44 % for uppvigling); raise them, never lower.
fn fresh_recall_floor(category: Category) -> (usize, usize) {
    match category {
        Category::HetsMotFolkgrupp => (58, 32),
        Category::OlagaHot => (64, 52),
        Category::Uppvigling => (62, 28),
        _ => (100, 100),
    }
}

/// Recall floors in percent (review, obvious) on the `*_fresh2.jsonl`
/// files, measured on the whole of each file (2026-12-02) after the rules
/// were widened from the even lines only (on the odd lines, a test half
/// whose texts were not read, recall rose from 32 to 52 % for olaga hot,
/// 56 to 60 % for hets mot folkgrupp and 52 to 60 % for uppvigling); raise
/// them, never lower.
fn fresh2_recall_floor(category: Category) -> (usize, usize) {
    match category {
        Category::HetsMotFolkgrupp => (80, 64),
        Category::OlagaHot => (76, 44),
        Category::Uppvigling => (80, 44),
        _ => (100, 100),
    }
}

/// Recall floors in percent (review, obvious) on the `*_fresh3.jsonl`
/// files, measured on the whole of each file (2026-12-02) after the rules
/// were widened from the even lines only (on the odd lines, a test half
/// whose texts were not read, recall rose from 24 to 32 %
/// for terror and 36 to 36 % for olaga integritetsintrång, unchanged);
/// raise them, never lower.
fn fresh3_recall_floor(category: Category) -> (usize, usize) {
    match category {
        Category::TerrorUppmaning => (64, 50),
        Category::OlagaIntegritetsintrang => (62, 0),
        _ => (100, 100),
    }
}

/// Recall floors in percent (review, obvious) on the `*_shapes.jsonl`
/// files (issue 15), measured when the shapes of `illegal/aimed.rs` were
/// written (2026-12-04): hets 21/21 and 19/19, olaga hot 11/12 and 6/6,
/// våldsskildring 1/2. The misses are guards at work, kept as cases: `Må
/// du ruttna i ditt eget hat` (`hat` reads as counter-speech) and `När vi
/// trampade på honom skrek han` (`skrek` reads as someone's words). Raised
/// on 2026-12-04 when the shapes of session 11 and their cases were added
/// (hets 24/24 and 33/33, olaga hot 12/12 and 30/31, våldsskildring 7/8).
/// Raise them, never lower.
fn shapes_recall_floor(category: Category) -> (usize, usize) {
    match category {
        Category::HetsMotFolkgrupp => (100, 100),
        Category::OlagaHot => (96, 100),
        Category::OlagaValdsskildring => (87, 0),
        _ => (100, 100),
    }
}

// ----- lawful opinion corpus -----

fn corpus_dir() -> PathBuf {
    let dir = crate::classify::eval::corpus_dir_in(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        dir.join("superlim").is_dir(),
        "the test corpus is missing: {} holds no superlim/ (the repository's copy is \
         tests/data/corpus; KOMMENTARSVAKT_CORPUS overrides it)",
        dir.display()
    );
    dir
}

/// Harsh opinions on immigration and politics are lawful: none of them may
/// be acted on automatically.
#[test]
fn lawful_opinion_corpus_gets_no_obvious_illegal_content_finding() {
    let dir = corpus_dir().join("superlim");
    let classifier = Classifier::standard();
    let mut checked = 0;
    let mut acted_on = Vec::new();
    let mut reviewed = 0;
    let mut review_lines = Vec::new();
    for (file, field) in [
        ("absabank-imm_dev.jsonl", "text"),
        ("argumentation-sentences_dev.jsonl", "sentence"),
    ] {
        let contents =
            std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for raw in contents.lines() {
            let value: serde_json::Value =
                serde_json::from_str(raw).unwrap_or_else(|e| panic!("{file}: {e}"));
            let Some(text) = value.get(field).and_then(|v| v.as_str()) else {
                panic!("{file}: a line without `{field}`");
            };
            checked += 1;
            let illegal: Vec<Finding> = classifier
                .classify(text)
                .into_iter()
                .filter(|f| f.category.group() == CategoryGroup::IllegalContent)
                .collect();
            reviewed += usize::from(!illegal.is_empty());
            review_lines.extend(
                illegal
                    .iter()
                    .map(|f| format!("{} [{}]", &text[f.start..f.end], f.rule)),
            );
            if let Some(f) = illegal.iter().find(|f| f.confidence == Confidence::Obvious) {
                acted_on.push(format!("{file}: {} -> {}", &text[f.start..f.end], f.rule));
            }
        }
    }
    eprintln!(
        "lawful corpus: {checked} texts, {reviewed} sent to review, {} obvious",
        acted_on.len()
    );
    for line in &review_lines {
        eprintln!("sent to review: {line}");
    }
    assert!(checked > 1000, "{checked}");
    assert!(acted_on.is_empty(), "{acted_on:#?}");
}

#[test]
fn words_in_single_quotes_are_quoted_but_apostrophes_are_not_quotes() {
    let quoted = [
        "Han skrev ‘jag ska slå ihjäl dig’ under bilden, det är polisanmält.",
        "Meddelandet 'jag ska döda dig' kom från ett falskt konto.",
    ];
    for text in quoted {
        let obvious = findings(text)
            .iter()
            .any(|f| f.category == Category::OlagaHot && f.confidence == Confidence::Obvious);
        assert!(!obvious, "{text}: {:?}", findings(text));
    }
    assert_outcomes(&[(
        "Jag ska döda dig, och det är inget 'skämt' den här gången",
        Category::OlagaHot,
        Some(Confidence::Obvious),
        "il.olaga_hot.explicit_violence",
    )]);
}

#[test]
fn an_ambiguous_abbreviation_the_writer_explains_is_never_obvious() {
    use Category::Barnpornografi as B;
    let found = findings("har cp... alltså cykelprylar från loppisen, dm för mer");
    assert!(
        found
            .iter()
            .all(|f| f.category != B || f.confidence < Confidence::Obvious),
        "{found:?}"
    );
    assert_outcomes(&[(
        "har cp, dm för mer",
        B,
        Some(Confidence::Obvious),
        "il.barnpornografi.offer",
    )]);
}

#[test]
fn veiled_and_indirect_threats_go_to_review_and_harmless_talk_does_not() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        // Inverted order after a condition: as explicit as `jag dödar dig`.
        (
            "Gör det en gång till så skjuter jag dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "Annars dödar vi er, alla på kontoret",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        ("Då slaktade vi dem i derbyt", H, None, ""),
        // A long chain after `jag ska`.
        (
            "Jag ska leta upp dig efter jobbet i morgon och sen strypa dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        ("Vi misshandlade honom inte, vi pratade bara", H, None, ""),
        // Someone else is to do it.
        (
            "Någon borde skjuta den där rektorn",
            H,
            Some(Probable),
            "il.olaga_hot.someone_should",
        ),
        (
            "Folk vill ha ihjäl handläggaren, och jag förstår dem",
            H,
            Some(Probable),
            "il.olaga_hot.someone_should",
        ),
        (
            "Någon kommer att slå ihjäl sig i den där trappan",
            H,
            None,
            "",
        ),
        ("Ingen borde skjuta honom för en sån sak", H, None, ""),
        // A person deserves violence.
        (
            "Den där domaren borde skjutas",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        ("Den där frågan borde dödas en gång för alla", H, None, ""),
        // Wishes of harm.
        (
            "Hoppas du blir misshandlad på vägen hem",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
        ("Jag ska se till att du dör ensam och glömd", H, None, ""),
        ("Hoppas ingen dör i kylan i natt", H, None, ""),
        // The writer knows where a person is.
        (
            "Jag vet vilken buss du tar på morgnarna",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Vi vet var hon parkerar bilen",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Du har tur som jag inte vet var du bor ännu",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Jag vet inte var du bor, skicka adressen så kommer blommorna fram",
            H,
            None,
            "",
        ),
        ("Jag vet när ni har öppet på lördagar", H, None, ""),
        ("Vet ni när biblioteket öppnar", H, None, ""),
        // A weapon in a sentence to the addressee.
        (
            "Jag har en pistol i byrålådan och du vet vad jag menar",
            H,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        ("Jag har ingen kniv, du kan lugna dig", H, None, ""),
        (
            "Då kommer du att dö, det lovar jag",
            H,
            Some(Probable),
            "il.olaga_hot.you_will_die",
        ),
        // A threat in its own voice is no news, whatever paper it names;
        // a game and its warning are.
        (
            "Lena på tidningen, du kommer att dö för den artikeln",
            H,
            Some(Probable),
            "il.olaga_hot.you_will_die",
        ),
        (
            "I spelet kan du skjuta poliser, men i verkligheten blir det fängelse",
            H,
            None,
            "",
        ),
        (
            "Jag ska knivhugga den där handläggaren",
            H,
            Some(Probable),
            "il.olaga_hot.third_person",
        ),
        ("Jag ska döda den där frågan i nämnden", H, None, ""),
        (
            "Ni kommer att skicka hem dem till ett krigsland",
            H,
            None,
            "",
        ),
        // A veiled phrase with a listed form.
        (
            "Vore synd om något hände med din fina bil",
            H,
            Some(Possible),
            "il.olaga_hot.phrase",
        ),
    ]);
}

#[test]
fn group_similes_and_relative_clauses_go_to_review() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Invandrarna sprider sig som kackerlackor i förorten",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.likened",
        ),
        (
            "Judar är ett folk som mest liknar parasiter",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.likened",
        ),
        ("Muslimer är inte som råttor, sluta påstå det", G, None, ""),
        (
            "Det är somalierna som knivhugger folk i centrum",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        ("Judar som mördades i Förintelsen ska minnas", G, None, ""),
        ("Är det flyktingar som bränner bilar?", G, None, ""),
        (
            "Romer är ett problem i stan som borde utrotas",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.call_to_violence_review",
        ),
        (
            "En snäll jude är en jude som håller tyst",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Inga romer i vårt bostadsområde",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        ("Det finns inga muslimer i min klass", G, None, ""),
        (
            "Äckliga romer överallt i centrum",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        (
            "Invandrare hör inte hemma här",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.contempt",
        ),
        ("Judar är inte cancer, sluta skriva så", G, None, ""),
        (
            "Somalier är en cancer i samhället",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.dehumanising_review",
        ),
        // Expulsion words are review, never obvious.
        (
            "Irakier borde åka hem",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Deportera alla afghaner nu",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Dags för en utrensning av romerna",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        ("Fortfarande utvisas kurder till Turkiet", G, None, ""),
    ]);
}

#[test]
fn uppvigling_reaches_genitives_pronouns_and_cut_cables() {
    use Category::Uppvigling as U;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Ta reda på var borgarrådet bor och gå dit och misshandla honom",
            U,
            Some(Obvious),
            "il.uppvigling.violence_against_persons",
        ),
        (
            "Skär av ledningarna till pumpstationen i natt",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Kasta färg och ägg på politikernas bilar",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        (
            "Skicka hem poliserna från festen, de stör",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
        ("Han skär av grenarna vid staketet varje vår", U, None, ""),
        (
            "Kontrollanterna på bussen borde misshandlas",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Vakterna behöver bli nedslagna en gång för alla",
            U,
            Some(Probable),
            "il.uppvigling.violence_against_authority",
        ),
        (
            "Poliserna borde inte skjutas, de gör sitt jobb",
            U,
            None,
            "",
        ),
        (
            "Kasta sten på ambulansen när den kommer",
            U,
            Some(Probable),
            "il.uppvigling.call_to_crime",
        ),
    ]);
}

#[test]
fn the_cheap_gates_pass_every_link_and_quotation_and_skip_plain_text() {
    for text in [
        "se https://example.org",
        "gå till fmovies.to/film nu",
        "kolla WWW.example.se",
        "http://host",
        "Sidan.SE/x",
    ] {
        assert!(may_hold_link(text), "{text:?} may hold a link");
        assert!(!links(&detector().urls, text).is_empty(), "{text:?}");
    }
    for text in ["och/eller", "säsongen 2018/19", "km/h", "a.b/c", "/start"] {
        assert!(!may_hold_link(text), "{text:?} holds no link");
        assert!(links(&detector().urls, text).is_empty(), "{text:?}");
    }
    for (text, quoted) in [
        ("han skrev \"döda\" i går", "döda"),
        ("«döda» sa han", "döda"),
        ("hon sa ”döda” och gick", "döda"),
        ("det stod 'döda dig' där", "döda dig"),
    ] {
        let spans = quote_spans(text);
        assert!(
            spans.iter().any(|s| text[s.clone()].contains(quoted)),
            "{text:?}: {spans:?}"
        );
    }
    assert!(quote_spans("inga citattecken – bara ett tankstreck").is_empty());
}

#[test]
fn sentence_ranges_hold_exactly_the_tokens_of_each_sentence() {
    for text in [
        "Ett. Två ord! Tre ord här? Slut",
        "Kl 20.00 på fmovies.to; sen... inget.",
        "Rad ett\nrad två!! Tre?! fyra",
        "",
        "...",
        "ett ord.",
    ] {
        let normalized = Normalized::new(text);
        let classes = WordClasses::builtin();
        let split = crate::classify::sentences::split(text);
        let doc = Document::new(&normalized, text, &split, &classes);
        for (index, token) in doc.tokens.iter().enumerate() {
            let naive: Vec<usize> = (0..doc.tokens.len())
                .filter(|&i| doc.tokens[i].sentence == token.sentence)
                .collect();
            let range: Vec<usize> = doc.sentence_tokens(index).collect();
            assert_eq!(range, naive, "token {index} of {text:?}");
            assert_eq!(doc.word(index), &normalized.text[token.start..token.end]);
        }
        assert_eq!(doc.word(doc.tokens.len()), "");
        assert_eq!(doc.sentence_tokens(doc.tokens.len()), 0..0);
    }
}

/// Each rule id has one row across the tables, so a reason or a legal
/// basis is never given twice with two meanings.
#[test]
fn rule_ids_have_one_row_across_the_tables() {
    let mut seen = std::collections::HashSet::new();
    for row in super::rule_table() {
        assert!(seen.insert(row.id), "{} has two rows", row.id);
        assert!(row.id.starts_with("il."), "{}", row.id);
    }
    assert!(seen.len() >= 50, "{}", seen.len());
}

// ----- reasons a moderator reads -----

/// Swedish words of four letters or more that carry no content of their
/// own: a reason may say them again after its row's reason.
const FUNCTION_WORDS: &[&str] = &[
    "alla", "allt", "andra", "annan", "annat", "bara", "blir", "blev", "deras", "dess", "dessa",
    "detta", "denna", "dock", "efter", "eller", "från", "genom", "hade", "hans", "hennes", "inför",
    "inga", "inget", "ingen", "inte", "kunna", "kunde", "mellan", "några", "något", "någon",
    "också", "samt", "sedan", "sina", "sitt", "själv", "skall", "skulle", "till", "under", "utan",
    "vara", "vilka", "vilken", "vilket", "även", "över",
];

/// The content words of `text` (four letters or more, not a function
/// word), lower-cased, in order.
fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// What a finding's reason says after its row's reason: the rest when the
/// reason starts with the row's, else the whole reason (a reason of its
/// own is read where the row's would be, and the table a city reads
/// gives the row's).
fn appended_part<'r>(reason: &'r str, row: &RuleRow) -> &'r str {
    reason.strip_prefix(row.reason).unwrap_or(reason)
}

/// The content words of `row`'s reason that `reason` says again after it.
fn words_said_twice(reason: &str, row: &RuleRow) -> Vec<String> {
    let stem = content_words(row.reason);
    let mut twice: Vec<String> = content_words(appended_part(reason, row))
        .into_iter()
        .filter(|w| stem.contains(w))
        .collect();
    twice.dedup();
    twice
}

#[test]
fn content_words_skip_short_and_function_words() {
    assert_eq!(
        content_words("Hot om grovt våld, eller inte; Skribenten"),
        ["grovt", "våld", "skribenten"]
    );
    let row = row_with_reason("Hot om grovt våld");
    assert_eq!(
        words_said_twice("Hot om grovt våld mot en person.", row),
        Vec::<String>::new()
    );
    assert_eq!(
        words_said_twice("Grovt våld mot en person.", row),
        ["grovt", "våld"]
    );
}

/// A row of the olaga hot table with `reason` in place of its own, for the
/// helpers' tests.
fn row_with_reason(reason: &'static str) -> &'static RuleRow {
    Box::leak(Box::new(RuleRow {
        reason,
        ..super::hot::RULES[0]
    }))
}

/// The texts the reasons are built from: every labelled case and every
/// row's positive and negative example.
fn reason_examples() -> Vec<String> {
    let mut texts = Vec::new();
    let files = labelled_files();
    for file in &files {
        let contents = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{e}"));
        for (line, raw) in contents.lines().enumerate() {
            let case: serde_json::Value = serde_json::from_str(raw)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), line + 1));
            if let Some(text) = case["text"].as_str() {
                texts.push(text.to_owned());
            }
        }
    }
    for row in super::rule_table() {
        texts.push(row.positive.to_owned());
        texts.push(row.negative.to_owned());
    }
    texts
}

/// A moderator reads a finding's reason once: it starts with its row's
/// reason, and what the code adds after it (`Hot om att angripa` + ` den
/// tilltalades hem`) says what the rule saw, never again a word the row's
/// reason already said
/// (`Hot om grovt våld` + `; hot om grovt våld mot …`). Checked for every
/// rule of olaga hot, hets mot folkgrupp and uppvigling that fires on the
/// labelled cases or on a row's example.
#[test]
fn reasons_do_not_repeat_the_words_of_their_rows_reason() {
    let rows: Vec<&RuleRow> = [
        super::hot::RULES,
        super::hets::RULES,
        super::uppvigling::RULES,
    ]
    .into_iter()
    .flatten()
    .collect();
    let classifier = Classifier::standard();
    let mut said: BTreeMap<(&str, String), String> = BTreeMap::new();
    let mut rules_seen = std::collections::BTreeSet::new();
    for text in reason_examples() {
        for finding in classifier.classify(&text) {
            let Some(row) = rows.iter().find(|r| r.id == finding.rule) else {
                continue;
            };
            rules_seen.insert(row.id);
            said.entry((row.id, finding.reason)).or_insert(text.clone());
        }
    }
    assert_eq!(
        rules_seen.len(),
        rows.len(),
        "every rule fires on some example"
    );
    let mut faults = Vec::new();
    for ((id, reason), text) in &said {
        let Some(row) = rows.iter().find(|r| r.id == *id) else {
            continue;
        };
        if !reason.starts_with(row.reason) {
            faults.push(format!(
                "{id}: {reason:?} does not start with {:?} (e.g. {text:?})",
                row.reason
            ));
        }
        let twice = words_said_twice(reason, row);
        if !twice.is_empty() {
            faults.push(format!(
                "{id}: {reason:?} says {twice:?} of {:?} again (e.g. {text:?})",
                row.reason
            ));
        }
    }
    eprintln!(
        "{} reasons of {} rules checked",
        said.len(),
        rules_seen.len()
    );
    assert!(faults.is_empty(), "{} faults: {faults:#?}", faults.len());
}

/// A reason says whom the rule took as the target by quoting the role
/// word (`»journalisten«`), so a moderator sees a wrong target at once;
/// a person's name is never copied into a reason.
#[test]
fn reasons_quote_the_targeted_role_but_never_a_name() {
    let reason = |text: &str, rule: &str| {
        findings(text)
            .into_iter()
            .find(|f| f.rule == rule)
            .map(|f| f.reason)
            .unwrap_or_else(|| panic!("{text}: no {rule} in {:?}", findings(text)))
    };
    assert_eq!(
        reason(
            "Någon borde skjuta den där journalisten",
            "il.olaga_hot.someone_should"
        ),
        "Önskan eller uppmaning att någon annan ska utöva grovt våld mot en person, \
         »journalisten«."
    );
    assert!(
        reason(
            "Jag ska knivhugga den där handläggaren",
            "il.olaga_hot.third_person"
        )
        .contains(", »handläggaren«;")
    );
    assert!(
        reason(
            "Skjut snutarna när de kommer",
            "il.uppvigling.violence_against_persons"
        )
        .ends_with(", »snutarna«.")
    );
    let named = reason(
        "Någon borde skjuta Anders Berg",
        "il.olaga_hot.someone_should",
    );
    assert!(
        !named.contains('»') && !named.to_lowercase().contains("anders"),
        "{named}"
    );
}

#[test]
fn arson_with_people_inside_is_obvious_and_arson_without_them_is_not() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let burned = "il.olaga_hot.burned_inside";
    assert_outcomes(&[
        (
            "Bränn ner förskolan medan de är där",
            H,
            Some(Obvious),
            burned,
        ),
        (
            "vi ska bränna ner ditt hus med dig i",
            H,
            Some(Obvious),
            burned,
        ),
        // (`Tänd på moskén under fredagsbönen` is
        // `il.hets_mot_folkgrupp.worship_attacked`.)
        (
            "Tänd på Folkets hus under stämman",
            H,
            Some(Obvious),
            burned,
        ),
        (
            "Sätt eld på kyrkan och lås dörrarna.",
            H,
            Some(Obvious),
            burned,
        ),
        (
            "Till boendet i natt, ta med bensin, låt ingen komma ut",
            H,
            Some(Obvious),
            burned,
        ),
        ("jag ska tända eld på honom", H, Some(Obvious), burned),
        (
            "Jag kommer leta upp dig och bränna ner huset med dig inne",
            H,
            Some(Obvious),
            burned,
        ),
        // Without an imperative or the writer's own intent: a person judges.
        (
            "Någon borde sätta eld på skolan med alla inne",
            H,
            Some(Probable),
            burned,
        ),
        // No people inside, or not a building set alight: not this rule.
        ("Tänd på grillen när gästerna kommer", H, None, ""),
        ("Tänd på brasan i stugan när alla är där", H, None, ""),
        ("Tänd på brasan åt honom", H, None, ""),
        ("Tänd ljusen i kyrkan när alla är där", H, None, ""),
        ("Samla löven och sätt eld på dem", H, None, ""),
        ("Bränn ner huset när ingen är hemma", H, None, ""),
        // A report, a question, a negation.
        ("Jag tände på tältet där de sov", H, None, ""),
        (
            "Ska vi bränna ner skolan med alla inne?",
            H,
            Some(Possible),
            "il.olaga_hot.property",
        ),
        ("Ingen ska bränna ner ditt hus med dig i", H, None, ""),
    ]);
}

#[test]
fn the_writers_promise_to_burn_or_blow_up_a_building_or_the_addressees_home_is_obvious() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let promised = "il.olaga_hot.destruction_promised";
    assert_outcomes(&[
        ("jag spränger skolan i morgon", H, Some(Obvious), promised),
        (
            "JAG SPRÄNGER STADSHUSET PÅ VALDAGEN",
            H,
            Some(Obvious),
            promised,
        ),
        (
            "jag ska bomba ditt kontor, Lena",
            H,
            Some(Obvious),
            promised,
        ),
        (
            "Vi tänder eld på ditt hus i Enskede, Marianne.",
            H,
            Some(Obvious),
            promised,
        ),
        (
            "jag kommer kasta en molotov genom ditt fönster",
            H,
            Some(Obvious),
            promised,
        ),
        // The owned noun is indefinite; the class lists `valstugan`.
        ("Vi ska bränna ner din valstuga", H, Some(Obvious), promised),
        // Burning takes the place without a particle.
        (
            "Jag bränner ert hus på midsommar",
            H,
            Some(Obvious),
            promised,
        ),
        // A person's property, named by `hos`.
        (
            "Vi kastar en molotov genom fönstret hos Per Sundin i Bromma",
            H,
            Some(Obvious),
            promised,
        ),
        // The writer's `jag` dropped before an opening modal.
        (
            "kommer spränga hela stadshuset om ni inte ändrar beslutet",
            H,
            Some(Obvious),
            promised,
        ),
    ]);
    // A figurative object, a report, a game, a negation, a question, a
    // call, someone else's plan: never this rule, never acted on.
    assert_not_acted_on(
        promised,
        &[
            "Jag spränger budgeten i år",
            "Jag ska bomba er inkorg med klagomål",
            "Vi sätter eld på dansgolvet i kväll",
            "Jag sprängde skolan i Minecraft",
            "Jag skulle aldrig spränga skolan",
            "Ska vi spränga skolan?",
            "jag tänder ett ljus i ditt fönster",
            "Jag bränner ljus i kyrkan varje söndag",
            "Vi bränner sopor vid skolan",
            "Vi putsar fönstret hos mormor",
            "Bränn ner kommunhuset",
            "Han sa att han ska spränga skolan",
        ],
    );
}

#[test]
fn a_threat_the_writer_stands_by_is_not_guarded_as_reported_or_hypothetical() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "jag tar livet av dig Hampus, sa det förut o säger det igen",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "sa till chaffisen att jag skulle döda honom och det tänker jag göra",
            H,
            Some(Probable),
            "il.olaga_hot.third_person",
        ),
        // Without the writer standing by it: reported, for a person.
        (
            "sa till chaffisen att jag skulle döda honom",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        (
            "jag tar livet av dig Hampus, sa han",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        // Standing by a denial or a game is no threat.
        ("Jag skulle aldrig skada dig, det lovar jag", H, None, ""),
    ]);
}

#[test]
fn the_writers_own_conditional_violence_at_a_group_is_evidence_for_the_model() {
    let evidence = |text: &str| {
        let mut out = Vec::new();
        detector().detect(text, &mut out);
        out.iter().any(|f| needs_model(&f.rule))
    };
    assert!(evidence("Jag skulle döda varenda muslim jag ser"));
    assert!(evidence("Jag skulle skjuta alla invandrare om jag fick"));
    // Someone else's conditional, a denial, an idiom: no evidence.
    assert!(!evidence("Han skulle döda varenda muslim han ser, sa han"));
    assert!(!evidence("Jag skulle aldrig döda en muslim"));
    assert!(!evidence("Jag skulle döda för en glass"));
}

#[test]
fn a_threat_joined_by_och_to_a_first_present_verb_is_the_writers_promise() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Jag har din registreringsskylt. Jag hittar dig och slår ihjäl dig.",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        // The writer after the first verb, a time fronted (verb second).
        (
            "I morgon hittar jag dig och dödar dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        // The past tense is a report; an idiom is no violence.
        ("Jag hittade dig och slog ihjäl dig", H, None, ""),
        ("Igår hittade jag dig och slog ihjäl dig", H, None, ""),
        ("Jag går hem och slår ihjäl tiden", H, None, ""),
        ("Sen går jag hem och slår ihjäl tiden", H, None, ""),
    ]);
}

#[test]
fn a_killing_told_in_the_perfect_or_with_the_victims_fronted_is_a_narrative() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    let narrative = "il.hets_mot_folkgrupp.killing_narrative";
    assert_outcomes(&[
        (
            "Jag har redan slagit ihjäl en muzzie i Malmö och nästa gång blir det Stockholm",
            G,
            Some(Obvious),
            narrative,
        ),
        (
            "Två blattar har jag redan sparkat ihjäl bakom skolan och fler ska det bli",
            G,
            Some(Obvious),
            narrative,
        ),
        (
            "Jag sköt två araber utanför moskén",
            G,
            Some(Obvious),
            narrative,
        ),
        // A promise to do it again is no hypothesis, though it says `skulle`.
        (
            "Jag dödade två romer och skulle göra det igen",
            G,
            Some(Obvious),
            narrative,
        ),
        (
            "Jag sköt tre muslimer förra året och skulle gärna göra om det",
            G,
            Some(Obvious),
            narrative,
        ),
    ]);
    // Another meaning of the verb (postponed, spent time, fired from a
    // job), a denial, someone else's act: no narrative of killing.
    assert_not_acted_on(
        narrative,
        &[
            "Vi sköt upp mötet med araberna",
            "Vi har skjutit upp mötet med araberna",
            "Jag hängde med två araber igår",
            "Jag sparkade två somalier från jobbet",
            "Jag har aldrig slagit ihjäl en arab",
            "Polisen har skjutit ihjäl en man i Rinkeby",
            "Jag sköt invandrarnas förslag i sank på mötet",
            // What would be, with nothing told: still a hypothesis.
            "Jag skulle döda två romer om jag fick göra om det",
        ],
    );
}

#[test]
fn a_weapon_brought_to_a_gathering_at_a_time_named_is_a_plan() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let plan = "il.olaga_hot.armed_plan";
    assert_outcomes(&[
        (
            "Jag tar med mig en kniv till fullmäktige på torsdag och då får hon se",
            H,
            Some(Obvious),
            plan,
        ),
        (
            "På fredag tar jag pappas jaktgevär till moskén i Fittja",
            H,
            Some(Obvious),
            plan,
        ),
        (
            "KOMMER TILL SKOLAN IMORGON MED KNIV",
            H,
            Some(Obvious),
            plan,
        ),
        (
            "Vi kommer till ert bilpoolsmöte på torsdag med basebollträn",
            H,
            Some(Obvious),
            plan,
        ),
        (
            "Kniven tar jag med till mötet ikväll",
            H,
            Some(Obvious),
            plan,
        ),
    ]);
    // No time, a lawful use, someone else, an order, a question, a denial.
    assert_not_acted_on(
        plan,
        &[
            "Jag tar med pappas gevär till skolan",
            "Jag tar med geväret till skolan på lördag och visar det på jaktkursen",
            "Jag tar med kniven till hemkunskapen i skolan imorgon",
            "Han tar med en kniv till skolan imorgon",
            "Ta med kniven till mötet imorgon",
            "Tar du med kniven till mötet imorgon?",
            "Jag tar inte med kniven till skolan imorgon",
        ],
    );
}

#[test]
fn an_owned_figurative_object_is_no_threat() {
    use Category::OlagaHot as H;
    use Confidence::*;
    // What the addressee owns is not the addressee: no threat to them.
    assert_not_acted_on(
        "",
        &[
            "Jag kommer slå ditt rekord nästa år",
            "jag ska slå ditt rekord",
            "Jag kommer att döda ditt argument med fakta",
            "Jag ska köra över dina argument",
            "Jag kommer hänga din tavla i hallen",
            "Jag kommer att skjuta in ditt gevär på skjutbanan",
            "Jag ska ta livet av din gamla soffa",
            "Jag ska spränga din inkorg med mejl",
            "Jag ska bränna din gamla skiva åt dig",
            "Jag körde över till muslimerna med mat",
        ],
    );
    // Their body, family, home or property is.
    for text in [
        "jag ska döda dig",
        "jag ska skjuta din hund",
        "jag ska döda din familj",
        "jag kommer spränga ert stadshus",
    ] {
        assert_eq!(strongest(text, H), Some(Obvious), "{text}");
    }
}

#[test]
fn violence_deserved_reaches_a_passive_joined_by_och_and_masked_groups() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    let deserves = "il.hets_mot_folkgrupp.deserves_violence";
    assert_outcomes(&[
        (
            "Varenda arab som kör taxi borde dras ut ur bilen och slås ihjäl",
            G,
            Some(Obvious),
            deserves,
        ),
        (
            "Alla blattar som kör taxi vid Centralen borde ställas upp mot en vägg och skjutas",
            G,
            Some(Obvious),
            deserves,
        ),
        ("alla j*dar ska i ugnen", G, Some(Obvious), deserves),
        ("k*rderna borde skjutas", G, Some(Obvious), deserves),
        // Neither violence nor a group.
        (
            "Alla muslimer borde utvisas och förbjudas",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        (
            "Politikerna borde ställas inför rätt och dömas hårt",
            G,
            None,
            "",
        ),
    ]);
}

#[test]
fn laughter_makes_a_threat_at_a_person_a_case_for_review_but_not_hate_at_a_group() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::*;
    assert_outcomes(&[
        (
            "jag ska döda dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "jag ska döda dig 😂",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        (
            "jag ska döda dig hahahaha",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        (
            "jag ska döda dig lol",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
        // A wink often seals a veiled threat: no joke.
        (
            "jag ska döda dig 😉",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "Homosexuella borde brännas 😂",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
    ]);
}

#[test]
fn asking_to_be_killed_oneself_is_no_call_against_a_person() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        ("Döda mig nu, chefen vill ha ett möte till", H, None, ""),
        ("Skjut mej, det är måndag igen", H, None, ""),
        (
            "Döda chefen nu",
            H,
            Some(Obvious),
            "il.olaga_hot.call_against_person",
        ),
    ]);
}

#[test]
fn violence_named_by_a_noun_is_a_call_when_it_is_called_for() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::*;
    let at_group = "il.hets_mot_folkgrupp.violence_named";
    assert_outcomes(&[
        (
            "Dags för hängning av alla muslimer.",
            G,
            Some(Obvious),
            at_group,
        ),
        (
            "Utrotning av alla somalier i förorten, nu.",
            G,
            Some(Obvious),
            at_group,
        ),
        (
            "En kula för varje afghan som plankar",
            G,
            Some(Obvious),
            at_group,
        ),
        (
            "Dags för avrättning av alla journalister i stan",
            H,
            Some(Probable),
            "il.olaga_hot.violence_named",
        ),
        (
            "Dags för avlivning av alla utvecklingsstörda",
            H,
            Some(Obvious),
            "il.olaga_hot.violence_named",
        ),
        // A topic, history, a thing, a negation: no call.
        ("Avrättning av homosexuella i Iran är vidrigt.", G, None, ""),
        ("Utrotning av judar är historiens värsta brott", G, None, ""),
        ("Dags för hängning av tvätten nu", H, None, ""),
        ("Nej till avrättning av muslimer", G, None, ""),
    ]);
}

#[test]
fn a_relative_clause_does_not_hide_who_is_said_to_deserve_violence() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::*;
    assert_outcomes(&[
        (
            "Romerna som bor trettio stycken i en trea förtjänar att brinna.",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        // Women are no protected group, but sexual violence said to be
        // deserved is an unmistakable threat.
        (
            "Kvinnor som går ut ensamma på natten förtjänar att bli våldtagna",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Ingen som bor här förtjänar att bli misshandlad",
            H,
            None,
            "",
        ),
        // Violence at a whole group of people the law does not name, an
        // injury received, an agent after `av`.
        (
            "Kvinnor som gör abort ska stenas på torget",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Recensenten förtjänar att få ansiktet krossat mot trottoaren",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Den där tjejen förtjänar att bli våldtagen av hela laget",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        ("Vargarna borde skjutas av i vinter", H, None, ""),
        // Someone else's words, quoted to report them.
        (
            "Kommentaren om att kvinnor 'borde våldtas' är anmäld.",
            H,
            None,
            "",
        ),
    ]);
}

#[test]
fn a_threat_at_a_person_of_everyday_life_is_a_third_person_threat() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let third = "il.olaga_hot.third_person";
    assert_outcomes(&[
        ("Jag ska strypa kärringen", H, Some(Probable), third),
        ("Jag kommer att slå ihjäl grannen", H, Some(Probable), third),
        // A game keeps it from being acted on.
        (
            "Jag ska slå grannen i schack i kväll",
            H,
            Some(Probable),
            "il.olaga_hot.in_context",
        ),
    ]);
}

#[test]
fn a_strong_verbs_past_is_no_imperative() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Häxprocesserna brände och halshögg hundratals kvinnor, utställningen är värd ett besök",
            H,
            None,
            "",
        ),
        (
            "Bränn och halshugg alla kvinnor",
            H,
            Some(Obvious),
            "il.olaga_hot.call_against_person",
        ),
    ]);
}

#[test]
fn them_closing_an_order_is_its_object_and_as_a_subject_tells_what_was_done() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Tjuvarna i nämnden, skjut dom.",
            H,
            Some(Obvious),
            "il.olaga_hot.call_against_person",
        ),
        (
            "Häng dom alla",
            H,
            Some(Obvious),
            "il.olaga_hot.call_against_person",
        ),
        ("Sen sköt dom honom i benet", H, None, ""),
        ("Hälsa på dom alla", H, None, ""),
    ]);
}

#[test]
fn owned_roles_inverted_order_and_relative_clauses_name_the_person_threatened() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let third = "il.olaga_hot.third_person";
    let deserves = "il.olaga_hot.deserves_violence";
    assert_outcomes(&[
        // A role after the genitive that owns it, in its indefinite form.
        (
            "Jag ska döda kommunstyrelsens ordförande",
            H,
            Some(Probable),
            third,
        ),
        ("Jag ska döda tidens tristess", H, None, ""),
        // The verb before the writer after a fronted time.
        (
            "Imorgon knivhugger jag bibliotekarien",
            H,
            Some(Probable),
            third,
        ),
        ("Imorgon knivhugger jag grönsakerna", H, None, ""),
        // `borde skjutas` said of a person is a call a person judges, the
        // same rule as `förtjänar att skjutas`; past a relative clause
        // that tells who is meant, also after a place.
        ("Journalisten borde skjutas", H, Some(Probable), deserves),
        (
            "Journalisten på DN som skrev om bygget borde skjutas",
            H,
            Some(Probable),
            deserves,
        ),
        // What the journalist wrote is reported, not said.
        (
            "Journalisten skrev att domaren borde skjutas",
            H,
            Some(Possible),
            deserves,
        ),
    ]);
}

#[test]
fn urging_to_end_ones_life_is_obvious_in_its_everyday_forms() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let urges = "il.olaga_hot.urges_self_harm";
    assert_outcomes(&[
        ("Avsluta ditt patetiska liv ikväll", H, Some(Obvious), urges),
        (
            "Emma, så ta ditt liv redan i kväll",
            H,
            Some(Obvious),
            urges,
        ),
        ("gör slut på dig själv Matilda", H, Some(Obvious), urges),
        ("Gå å häng dej", H, Some(Obvious), urges),
        (
            "det bästa du kan göra är att ta livet av dig",
            H,
            Some(Obvious),
            urges,
        ),
        ("du borde hänga dig", H, Some(Obvious), urges),
        ("Ta ditt liv tillbaka efter skilsmässan", H, None, ""),
        ("Ta hand om ditt liv", H, None, ""),
        ("Gör slut på godiset själv", H, None, ""),
        (
            "Det roligaste är att hoppa från taket ner i poolen",
            H,
            None,
            "",
        ),
    ]);
}

#[test]
fn group_words_written_as_adjectives_compounds_masks_and_digits_are_groups() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Alla svarta är apor",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.dehumanising",
        ),
        (
            "alla mörkhyade ska dö",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        // A swearword compound is a slur a person judges (the confirming
        // model may make it obvious); vermin deny humanity.
        (
            "Somaljävlar ska dö",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.insult_compound",
        ),
        (
            "ni invandrar-parasiter ska bort",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.insult_compound",
        ),
        // Masked, the same compounds: the letters hidden are the group's.
        (
            "z*genarpack överallt",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.insult_compound",
        ),
        (
            "jud*svinen styr allt",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.insult_compound",
        ),
        ("j*darna firar sabbat", G, None, ""),
        ("Köp ett s*xpack öl till festen", G, None, ""),
        (
            "Alla judar ska i ugnen",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        ("Pizzan ska i ugnen nu", G, None, ""),
        // A group's adjective before a thing names the thing.
        (
            "Alla somaliska kockar borde förgiftas",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        ("Somaliska flaggor ska brännas", G, None, ""),
        ("De kurdiska flaggorna ska brännas på torget", G, None, ""),
        ("Alla somaliska butiker borde stängas", G, None, ""),
        // After a possessive, someone's own people, unless insulted.
        (
            "Min somaliska granne kommer att döda mig om jag inte äter upp",
            G,
            None,
            "",
        ),
        (
            "I natt slog jag ihjäl en av era muslimska kackerlackor",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.killing_narrative",
        ),
        // National origins and peoples, as nouns and adjectives.
        (
            "Alla thailändska kockar i stan borde förgiftas",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        (
            "Stena ihjäl lebbarna",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        ("Alla svarta bilar är sålda", G, None, ""),
        ("De svarta sopsäckarna ska bort", G, None, ""),
    ]);
}

#[test]
fn waiting_armed_outside_and_a_promise_after_a_condition_are_threats() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "jag står utanför socialkontoret nu med en kniv, kom ut Malin",
            H,
            Some(Probable),
            "il.olaga_hot.armed_visit_place",
        ),
        (
            "I morgon står jag utanför redaktionen med en yxa",
            H,
            Some(Probable),
            "il.olaga_hot.armed_visit_place",
        ),
        ("Jag står utanför affären med en glass", H, None, ""),
        (
            "Radera min kommentar igen så sticker jag kniven i dig",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        ("Radera den igen så sticker jag", H, None, ""),
    ]);
}

#[test]
fn violence_done_to_the_body_run_over_or_promised_as_an_injury_is_deserved() {
    use Category::HetsMotFolkgrupp as G;
    use Category::OlagaHot as H;
    use Confidence::*;
    let deserves = "il.olaga_hot.deserves_violence";
    assert_outcomes(&[
        (
            "Domaren ska sparkas i huvudet tills han slutar andas",
            H,
            Some(Probable),
            deserves,
        ),
        // A third person's injury promised: a person (or the confirming
        // model) judges who says it.
        (
            "Läraren som gav oss betyg ska få käften sönderslagen",
            H,
            Some(Probable),
            deserves,
        ),
        ("Bollen ska sparkas i mål", H, None, ""),
        (
            "Zigenarna ska köras över med snöröjaren",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        ("Barnen ska köras över till skolan", H, None, ""),
    ]);
}

#[test]
fn cooking_office_and_sports_talk_with_words_of_violence_is_not_acted_on() {
    use Category::OlagaHot as H;
    assert_outcomes(&[
        (
            "Vi ska krossa dem i finalen ikväll! Slakta Frölunda!",
            H,
            None,
            "",
        ),
        ("Sen skär du den i tunna skivor.", H, None, ""),
        (
            "Slakta Frölunda!",
            H,
            Some(Confidence::Obvious),
            "il.olaga_hot.call_against_person",
        ),
    ]);
    // Evidence for the confirming model: a thing named with a capital is no
    // person (`det här Excel-arket`).
    let mut out = Vec::new();
    detector().detect(
        "Måste döda det här Excel-arket innan fredag, annars hänger chefen mig",
        &mut out,
    );
    assert!(out.iter().all(|f| !needs_model(&f.rule)), "{out:?}");
}

#[test]
fn a_group_addressed_as_ni_is_threatened_by_arms_brought_or_harm_it_will_get() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::Obvious;
    let group = "il.hets_mot_folkgrupp.plural_threat";
    let office = "il.olaga_hot.plural_threat";
    assert_outcomes(&[
        (
            "Ni judar på Östermalm, vi kommer med yxor i helgen",
            G,
            Some(Obvious),
            group,
        ),
        (
            "Till er romer som sover under bron: vi väntar vid trappan med basebollträn",
            G,
            Some(Obvious),
            group,
        ),
        (
            "Alla ni somalier i huset ska få känna på bensin och tändstickor",
            G,
            Some(Obvious),
            group,
        ),
        (
            "Alla ni politiker som röstade ja ska få kulor i magen",
            H,
            Some(Obvious),
            office,
        ),
        (
            "Ni på redaktionen, ni kommer att få smaka kniven",
            H,
            Some(Obvious),
            office,
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Till er som ska gå i Pride: vi står vid Slussen med regnbågsflaggor. Välkomna.",
            "Alla ni som ska på kursen i svampplockning: vi kommer med knivar och korgar.",
            "Alla ni i jaktlaget: vi kommer med gevären till jakten klockan sex.",
            "Ni somalier i föreningen, vi kommer inte med knivar, vi kommer med mat.",
            "Till er som undrar: polisen kom med hundar och vapen igår.",
            "Alla ni som säger att vi kommer med knivar ljuger.",
            "Alla ni som lagar mat: ni ska få smaka kniven jag slipat, den är fantastisk.",
            "Alla ni som fuskade ska få smaka på er egen medicin.",
        ],
    );
}

#[test]
fn a_killing_is_told_by_the_writer_with_others_in_a_second_act_or_left_out() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::Obvious;
    let told = "il.hets_mot_folkgrupp.killing_narrative";
    assert_outcomes(&[
        (
            "Har redan slagit ihjäl två somalier i år",
            G,
            Some(Obvious),
            told,
        ),
        (
            "Jag och mina polare har spöat ihjäl en jude vid stationen",
            G,
            Some(Obvious),
            told,
        ),
        (
            "Jag följde efter araben hem och sköt honom i trapphuset",
            G,
            Some(Obvious),
            told,
        ),
        (
            "Vi väntade på romerna vid bron och sparkade dem tills de låg still",
            G,
            Some(Obvious),
            told,
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Har skjutit tre rådjur i år, bra säsong.",
            "Jag och min fru har slagit ihjäl tiden med korsord.",
            "Har sparkat tre somalier från jobbet.",
            "Jag och kollegorna sköt upp mötet med muslimerna.",
            "Jag och mina kollegor har sparkat ut rasisterna från föreningen.",
            "Jag träffade bögarna på puben och slog dem i dart.",
            "Jag tävlade mot somalierna och slog dem i finalen.",
            "Har sett hur de slog ihjäl en arab i Rinkeby, fruktansvärt.",
            "Jag ringde polisen och körde honom till akuten, araberna hade misshandlat honom.",
        ],
    );
}

#[test]
fn burning_a_home_burns_its_people_and_a_wall_to_be_lined_up_at_is_execution() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::Obvious;
    assert_outcomes(&[
        (
            "Sätt eld på flyktingboendet i natt",
            H,
            Some(Obvious),
            "il.olaga_hot.burned_inside",
        ),
        (
            "Vi ska bränna ner HVB-hemmet på fredag",
            H,
            Some(Obvious),
            "il.olaga_hot.burned_inside",
        ),
        (
            "Alla romer borde ställas upp mot en vägg",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        (
            "Journalisthoran på kvällstidningen förtjänar att bli våldtagen",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Någon tände eld på asylboendet igår, polisen utreder.",
            "Bränn inte ner boendet, prata med dem istället.",
            "Tänd ljus i fönstret på äldreboendet i advent",
            "Bränn ner kommunhuset",
            "Politikerna borde ställas mot väggen och svara på frågor om budgeten",
            "Invandrarna borde ställas mot väggen och svara för brottsstatistiken",
            "Sofforna ska ställas mot väggen i salen",
        ],
    );
}

#[test]
fn a_tent_or_a_camp_is_a_home_and_the_subject_may_stand_before_the_particle() {
    use Category::OlagaHot as H;
    use Confidence::Obvious;
    assert_outcomes(&[
        (
            "Ni kurder på campingen, i natt tänder vi på era tält",
            H,
            Some(Obvious),
            "il.olaga_hot.burned_inside",
        ),
        (
            "i natt tänder vi på ditt hus",
            H,
            Some(Obvious),
            "il.olaga_hot.destruction_promised",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "i kväll tänder vi på grillen vid tälten",
            "Vi sätter upp tältet i kväll",
            // The mark of the infinitive names an act, it gives no order.
            "Det oroar mig. Att sätta eld på flyktingläger, knuffa ut båtar från pirer",
        ],
    );
}

#[test]
fn an_expulsion_by_force_is_a_call_to_violence() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::{Obvious, Probable};
    assert_outcomes(&[
        (
            "Kör ut alla afghaner ur stan med våld",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Utvisa varenda somalier med kulor i ryggen",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Kasta ut alla somalier",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
        // A passive, a modal with `ut`/`bort`, a way home, and force named
        // as an afterthought in the next sentence.
        (
            "Alla muslimer borde slängas ut med våld",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Romerna ska bort. Med våld om det behövs.",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Svartingar ska tillbaka till djungeln med stryk",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Ut med somalierna. Med våld.",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Romerna ska bort. Med respekt, men bort.",
            G,
            Some(Probable),
            "il.hets_mot_folkgrupp.expulsion",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Flyktingarna ska ut med bussen imorgon",
            "Flyktingarna ska ut. Med buss eller tåg.",
            "Ut med romerna, med tvång om domstolen säger så",
            "Utvisa kriminella afghaner med tvång",
            "Att kasta ut somalier med våld är fel.",
            "Polisen kastade ut romerna med våld igår.",
            "Ska vi verkligen kasta ut alla muslimer med våld? Nej.",
        ],
    );
}

#[test]
fn a_group_hunted_one_by_one_is_threatened_but_a_queue_served_one_by_one_is_not() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::Obvious;
    let threat = "il.hets_mot_folkgrupp.plural_threat";
    assert_outcomes(&[
        (
            "Era jävla zigenare, vi tar er en och en i vinter",
            G,
            Some(Obvious),
            threat,
        ),
        (
            "Muslimer i styrelsen, vi ska jaga er en efter en",
            G,
            Some(Obvious),
            threat,
        ),
        ("m*slimer, vi tar er en i taget", G, Some(Obvious), threat),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Somalier i kön: vi tar er en och en vid disken",
            "Alla ni muslimer som väntar, vi tar er en i taget",
            "Muslimerna i kön? Vi tar dem en i taget vid disken.",
            "Barnen, vi tar dem en och en till tandläkaren",
            "Vi ska inte ta er en efter en, somalier, vi tar alla samtidigt på mötet",
        ],
    );
}

#[test]
fn a_vehicle_driven_at_the_addressee_is_the_means_not_an_idiom() {
    use Category::OlagaHot as H;
    // Run down (`köra över`, also a figure of speech) is probable, for the
    // confirming model to make obvious; with the vehicle it is no longer
    // guarded as an idiom (`il.olaga_hot.in_context`).
    assert_outcomes(&[(
        "Jag kör över dig med bilen om du kommer hit igen",
        H,
        Some(Confidence::Probable),
        "il.olaga_hot.explicit_violence",
    )]);
    assert_not_acted_on(
        "",
        &[
            "Jag kör över till dig med bilen efter jobbet",
            "Jag kör dig med bilen till stationen",
            "Jag ska döda dig med bilen i Mario Kart",
            "Jag ska döda dig med vänlighet",
        ],
    );
}

#[test]
fn an_injury_or_acid_promised_to_a_doer_is_deserved_also_when_dated_by_a_game() {
    use Category::OlagaHot as H;
    use Confidence::Obvious;
    let deserved = "il.olaga_hot.deserves_violence";
    assert_outcomes(&[
        // A noun for a doer heading a relative clause is the person.
        (
            "Valarbetaren som inte lät mig rösta ska få en kula",
            H,
            Some(Obvious),
            deserved,
        ),
        (
            "Journalisten på DN som granskade oss ska få syra i ansiktet",
            H,
            Some(Obvious),
            deserved,
        ),
        // A third person's injury is probable, for the confirming model
        // (see `violence_done_to_the_body_…`).
        (
            "Kronofogden som ringde på ska få fingrarna avklippta",
            H,
            Some(Confidence::Probable),
            deserved,
        ),
        // A game that only dates the act is no game the act is played in.
        (
            "Domaren ska få en kniv i ryggen efter derbyt",
            H,
            Some(Obvious),
            deserved,
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Frisören ska få håret avklippt",
            "Barnen ska få naglarna avklippta innan badet",
            "Vinet har fin syra i eftersmaken",
            "Jag fick syra i ögat på kemilektionen, det sved",
            "Döda processen i aktivitetshanteraren och starta om",
            "Vi ska slakta dem i derbyt",
            "Vi dödade dem i matchen efter paus",
        ],
    );
}

#[test]
fn a_thing_in_hand_is_the_means_and_everyday_people_are_threatened() {
    use Category::OlagaHot as H;
    use Confidence::Obvious;
    assert_outcomes(&[
        // A definite noun after `med` is the means, not an idiom's object.
        // (A neighbour threatened is probable, for the confirming model;
        // before, the idiom guard made it `il.olaga_hot.in_context`.)
        (
            "Jag ska strypa grannen med trädgårdsslangen",
            H,
            Some(Confidence::Probable),
            "il.olaga_hot.third_person",
        ),
        // A caretaker is a person (more everyday people in the model's
        // evidence tests).
        (
            "Dränk vicevärden i tvättstugan",
            H,
            Some(Obvious),
            "il.olaga_hot.call_against_person",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Jag ska döda dig med vänlighet",
            "Jag ska döda dig med blicken",
            "Jag dödar dig med kramen",
            "Jag ska döda dig med pannkakorna",
            "Jag ska döda honom med tråkigheten i mitt tal",
            "Dränk kollegan i beröm, hon förtjänar det",
        ],
    );
}

#[test]
fn burning_a_house_of_worship_is_violence_at_its_group() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::{Obvious, Probable};
    let attacked = "il.hets_mot_folkgrupp.worship_attacked";
    assert_outcomes(&[
        ("Bränn ner moskén", G, Some(Obvious), attacked),
        ("tänd på alla moskéer i natt", G, Some(Obvious), attacked),
        (
            "Vi ska bränna ner synagogan på fredag",
            G,
            Some(Obvious),
            attacked,
        ),
        // Someone else's act, wished: review for a person (or the model).
        (
            "Någon borde bränna ner synagogan",
            G,
            Some(Probable),
            attacked,
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Moskén brann ner i natt, vidrigt",
            "\"Bränn ner moskén\" stod det klottrat på väggen. Polisanmält.",
            "Ska vi verkligen låta dem bränna ner moskén?",
            "Bränn inte ner moskén, det är fel",
            "Tänd ljus i synagogan på sabbaten",
        ],
    );
}

#[test]
fn a_threat_with_the_verb_before_the_speaker_is_read_like_one_after() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let injury = "il.olaga_hot.injury";
    assert_outcomes(&[
        // A fronted time or condition puts the verb before the speaker.
        // An injury is probable, as with `jag ska …`, for the confirming
        // model; to a third person too.
        (
            "Nästa gång slår jag sönder knäna på dig",
            H,
            Some(Probable),
            injury,
        ),
        (
            "I morgon sticker jag kniven i dig",
            H,
            Some(Probable),
            injury,
        ),
        (
            "Om förvaltaren kliver in igen sticker jag kniven i magen på honom",
            H,
            Some(Probable),
            injury,
        ),
        (
            "Jag ska sticka kniven i magen på förvaltaren",
            H,
            Some(Probable),
            injury,
        ),
        // The subject splits `slå ihjäl`, which the lexicon lists whole.
        (
            "Nästa gång sparkar jag ihjäl dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        // `skriver ut bot` is an act, not someone else's words.
        (
            "Nästa gång den jäveln skriver ut bot på min bil slår jag ihjäl honom",
            H,
            Some(Probable),
            "il.olaga_hot.third_person",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Om du kommer hit igen kramar jag ihjäl dig",
            "Sen tråkar jag ihjäl er med siffror",
            "Då skrattar jag ihjäl mig",
            "Igår slog jag ihjäl honom i schack",
            "Imorgon slår jag ihjäl honom i schack",
            "Nästa match krossar vi er",
            "Snart sticker jag kniven i kakan",
            "Efter jobbet sticker jag till affären med dig",
        ],
    );
}

#[test]
fn a_group_sent_to_its_death_in_a_slogan_or_deserving_a_genocide() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::Obvious;
    let deserves = "il.hets_mot_folkgrupp.deserves_violence";
    assert_outcomes(&[
        ("Judar till gaskammaren!", G, Some(Obvious), deserves),
        ("alla romer till gaskammaren nu", G, Some(Obvious), deserves),
        // Dotted letters and their closing dot are one word in a sentence.
        ("j.u.d.a.r. i gaskammaren, igen", G, Some(Obvious), deserves),
        (
            "Judarna i stadshuset förtjänar en ny förintelse.",
            G,
            Some(Obvious),
            deserves,
        ),
        (
            "alla kurder borde skickas tillbaka i likkistor",
            G,
            Some(Obvious),
            deserves,
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Bilden visar judarna i gaskammaren.",
            "Judarna i gaskammaren hade inget val.",
            "\"Judar till gaskammaren\" är det värsta jag läst.",
            "Judar till gaskammaren, skrev någon på väggen vid synagogan.",
            "Ingen förtjänar ett folkmord",
            "Kurderna förtjänar att folkmordet erkänns",
            "Soldaterna skickades hem i likkistor",
            "Hon bor i U.S.A. Judarna där firar hanukka.",
        ],
    );
}

#[test]
fn a_body_part_cut_off_or_struck_on_an_order_and_a_group_bombed_by_a_slur() {
    use Confidence::*;
    assert_outcomes(&[
        // The owner between particle and part.
        (
            "jag ska skära av dig huvudet",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        // An imperative is a call; a third person's injury stays probable,
        // for the confirming model.
        (
            "Slå sönder skallen på kuratorn",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        (
            "Romerna borde slås sönder och samman",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        (
            "Bomba Rinkeby och alla svartskallar.",
            Category::TerrorUppmaning,
            Some(Obvious),
            "il.terror_uppmaning.attack_on_people",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Skär av honom håret",
            "Klipp av dig håret",
            "Knäck nacken på flaskan",
            "Krossa skallen på motståndaren i nästa match",
            "Argumenten borde slås sönder och samman",
            "Bomba chatten med svartskalle-memes",
            "Bomba inkorgen med blattejokes",
        ],
    );
    assert_not_acted_on(
        "il.terror_uppmaning.attack_on_people",
        &["Bomba chatten med svartskalle-memes"],
    );
}

#[test]
fn a_group_adjective_before_people_heading_a_relative_clause_is_the_group() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::Obvious;
    let deserves = "il.hets_mot_folkgrupp.deserves_violence";
    assert_outcomes(&[
        (
            "Alla muslimska jäklar som bränner flaggor på festivalen ska slaktas som får.",
            G,
            Some(Obvious),
            deserves,
        ),
        (
            "Alla somaliska män som hänger vid centrum borde skjutas.",
            G,
            Some(Obvious),
            deserves,
        ),
    ]);
    assert_not_acted_on(
        deserves,
        &[
            "Muslimska skolor som får bidrag borde bombas.",
            "Svenska män som slår sina fruar borde skjutas.",
        ],
    );
}

#[test]
fn a_wish_of_violence_the_writer_promises_to_see_to_is_a_promise() {
    use Category::OlagaHot as H;
    use Confidence::Probable;
    let promised = "il.olaga_hot.death_promised";
    // Probable, for the confirming model, like every wish a person reads.
    assert_outcomes(&[
        (
            "Hoppas du brinner upp i din bil Gustav, jag ska se till det",
            H,
            Some(Probable),
            promised,
        ),
        (
            "Hoppas du blir misshandlad. Det lovar jag.",
            H,
            Some(Probable),
            promised,
        ),
        // Without the tag it stays a wish.
        (
            "Hoppas du brinner upp i din bil Gustav",
            H,
            Some(Probable),
            "il.olaga_hot.wish",
        ),
    ]);
    assert_not_acted_on(
        promised,
        &[
            "Hoppas du blir misshandlad. Jag ska se till det inte händer.",
            "Hoppas du blir frisk snart, jag ska se till det",
            "Hoppas att ingen blir skadad, vi ser till det",
        ],
    );
}

#[test]
fn who_the_person_is_and_who_speaks_do_not_excuse_a_threat() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        // A game word that says who the person is (`i debatten`) is no
        // game the act is played in.
        (
            "Den där ateisten i debatten förtjänar en kula i pannan",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        // `säger du` is the addressee, not someone else's words.
        (
            "Säger du så igen ska du få en kula i huvudet",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        // A suggestion is no question that excuses; the phrase stays a
        // phrase a person reads.
        (
            "Vad säger du om en kula i huvudet, Mikael?",
            H,
            Some(Probable),
            "il.olaga_hot.phrase",
        ),
        // The verb after `och` shares the intent before it.
        (
            "Jag ska hitta dig och skära av dig öronen.",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Vi ska slakta dem i derbyt",
            "Jag ska krossa dig i debatten",
            "Som han säger: du ska dö",
            "Som han säger: jag ska döda dig",
        ],
    );
}

#[test]
fn a_slogan_without_a_verb_sends_a_group_away_and_by_force_is_violence() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    let violence = "il.hets_mot_folkgrupp.call_to_violence";
    let expulsion = "il.hets_mot_folkgrupp.expulsion";
    assert_outcomes(&[
        (
            "Alla muslimer ut ur Sverige, med våld",
            G,
            Some(Obvious),
            violence,
        ),
        (
            "Alla muslimer till Afrika med våld",
            G,
            Some(Obvious),
            violence,
        ),
        ("Alla muslimer ut ur Sverige", G, Some(Probable), expulsion),
        // The two modal shapes are unchanged.
        ("Romerna ska bort med våld", G, Some(Obvious), violence),
        (
            "Svartingar ska tillbaka till djungeln med stryk",
            G,
            Some(Obvious),
            violence,
        ),
    ]);
    // A group sent to a named place is a welcome as often as not.
    assert_not_acted_on(
        expulsion,
        &[
            "Alla flyktingar till Sverige!",
            "Alla muslimer till Afrika",
            "Flyktingarna ska till andra länder enligt avtalet",
        ],
    );
}

#[test]
fn a_group_adjective_before_a_role_of_conduct_names_the_role_not_the_group() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    assert_outcomes(&[
        ("Somaliska pirater ska skjutas", G, None, ""),
        ("Afghanska talibaner borde skjutas", G, None, ""),
        ("Ryska soldater ska dö", G, None, ""),
        ("Afrikanska barnsoldater borde skjutas", G, None, ""),
        // The group itself is still the group.
        (
            "Somaliska män ska skjutas",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Alla somaliska ska skjutas",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Judiska parasiter",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.dehumanising",
        ),
    ]);
}

#[test]
fn a_place_between_a_group_and_its_copula_keeps_the_predicate_on_the_group() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    let dehumanising = "il.hets_mot_folkgrupp.dehumanising";
    assert_outcomes(&[
        (
            "Araberna på min gata är råttor",
            G,
            Some(Obvious),
            dehumanising,
        ),
        (
            "Somalierna på linje 1 är kackerlackor",
            G,
            Some(Obvious),
            dehumanising,
        ),
        (
            "Muslimerna utanför stationen är parasiter",
            G,
            Some(Obvious),
            dehumanising,
        ),
    ]);
    // A clause of its own between says something else.
    assert_not_acted_on(
        dehumanising,
        &[
            "Muslimer i Sverige tycker att grisar är djur",
            "Judarna på bilden som räddade hundar är hjältar",
            "Araberna på min gata och deras råttor är borta",
        ],
    );
}

#[test]
fn harm_felt_where_the_sentence_ends_is_a_promise_of_violence() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Du ska få känna på kniven",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Rektorn ska få smaka batongen, så får han se",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
    ]);
    assert_not_acted_on(
        "il.olaga_hot.deserves_violence",
        &[
            "Kunderna ska få känna på kniven innan de köper den",
            "Eleverna ska få känna på kniven och lära sig tälja",
            "Du ska få känna på kniven jag slipat",
            "Du fick känna på kniven i butiken",
        ],
    );
}

#[test]
fn a_subject_before_a_place_and_a_person_thrown_to_a_fall_deserve_violence() {
    use Category::{HetsMotFolkgrupp as G, OlagaHot as H};
    use Confidence::*;
    let group = "il.hets_mot_folkgrupp.deserves_violence";
    assert_outcomes(&[
        (
            "alla svartingar i det här landet borde samlas ihop och skjutas",
            G,
            Some(Obvious),
            group,
        ),
        (
            "Muslimerna ska kastas ut genom fönstret",
            G,
            Some(Obvious),
            group,
        ),
        (
            "Romerna borde knuffas framför tåget",
            G,
            Some(Obvious),
            group,
        ),
        // A person is a wish a person judges.
        (
            "Politikern borde knuffas framför tåget",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
    ]);
    for rule in [group, "il.olaga_hot.deserves_violence"] {
        assert_not_acted_on(
            rule,
            &[
                "Pengarna ska inte kastas ut genom fönstret",
                "Sopor borde inte slängas från balkongen",
                "Muslimerna ska inte kastas ut genom fönstret",
                "Judarna i Polen borde skyddas",
                "Alla muslimer i stan och deras vänner borde bjudas in",
                "Muslimerna på bilden borde visas upp",
                "Muslimerna ska kastas ut ur föreningen",
            ],
        );
    }
}

#[test]
fn people_put_before_the_modal_and_its_subject_are_the_ones_to_be_burned() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let burned = "il.olaga_hot.burned_inside";
    assert_outcomes(&[
        ("Zigenarna ska vi sätta eld på", H, Some(Obvious), burned),
        ("Honom ska vi sätta eld på", H, Some(Obvious), burned),
        (
            "Förvaltaren ska jag hälla bensin på",
            H,
            Some(Obvious),
            burned,
        ),
        // The writer after its modal, with the object after the verb.
        (
            "I natt ska vi sätta eld på flyktingboendet",
            H,
            Some(Obvious),
            burned,
        ),
        // Anyone (`man`) is a call a person judges.
        (
            "Muslimerna borde man sätta eld på",
            H,
            Some(Probable),
            burned,
        ),
    ]);
    assert_not_acted_on(
        burned,
        &[
            "Grillen ska vi tända på",
            "Brasan ska vi sätta eld på och sen grilla",
            "Zigenarna ska vi inte sätta eld på",
            "Vi borde sätta eld på brasan",
            "Muslimerna ska jag tända ljus för",
        ],
    );
}

#[test]
fn advice_and_a_consequence_after_it_leave_a_call_against_a_group_a_call() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    let call = "il.hets_mot_folkgrupp.call_to_violence";
    assert_outcomes(&[
        (
            "Det är lika bra att skjuta alla araber",
            G,
            Some(Obvious),
            call,
        ),
        (
            "Det vore bäst att man skjuter alla araber",
            G,
            Some(Obvious),
            call,
        ),
        (
            "Alla zigenare borde gasas så skulle det bli lugnt",
            G,
            Some(Obvious),
            call,
        ),
        (
            "Alla zigenare borde gasas, så hade vi sluppit problemen",
            G,
            Some(Obvious),
            call,
        ),
    ]);
    assert_not_acted_on(
        call,
        &[
            // What would be, before the call or as its condition.
            "Om jag fick bestämma skulle alla zigenare gasas",
            "Om man skulle skjuta alla araber så skulle det bli krig",
            // Someone else's words stay guarded.
            "Han sa att alla araber borde skjutas, då skulle det bli lugnt",
            "Det vore bäst att inte skjuta alla araber",
            "Det är bra att läsa om alla judar som dödades",
        ],
    );
}

#[test]
fn a_warning_the_writer_gives_is_no_news() {
    use Category::OlagaHot as H;
    use Confidence::*;
    let explicit = "il.olaga_hot.explicit_violence";
    assert_outcomes(&[
        (
            "jag ska döda dig, ni är varnade",
            H,
            Some(Obvious),
            explicit,
        ),
        (
            "jag ska döda dig, du har blivit varnad",
            H,
            Some(Obvious),
            explicit,
        ),
    ]);
    // News of a warning still guards.
    assert_not_acted_on(
        explicit,
        &["Polisen varnade för mannen som sa att han ska döda dig"],
    );
}

/// A clause past a comma that comments on what was said (`ingen skulle
/// märka skillnaden`) does not make it a hypothesis; a condition there does
/// (`om jag hade`, `hade jag`).
#[test]
fn a_comment_after_the_words_is_no_hypothesis_and_a_condition_is() {
    let urged = findings("Hoppa framför tåget Alva, ingen skulle märka skillnaden");
    assert!(
        urged
            .iter()
            .any(|f| f.rule.starts_with("il.olaga_hot.urges_self_harm")
                && !reason_names_a_guard(&f.reason)),
        "{urged:?}"
    );
    for conditional in [
        "Jag ska döda dig, om jag hade en pistol",
        "Jag ska döda dig, hade jag en pistol",
    ] {
        let found = findings(conditional);
        assert!(
            !found.is_empty() && found.iter().all(|f| reason_names_a_guard(&f.reason)),
            "{conditional}: {found:?}"
        );
    }
}

#[test]
fn a_relative_clause_that_says_who_is_meant_is_neither_quotation_nor_counter_speech() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Journalisten Sara Holm som skrev om invandring, jag kommer att skära halsen av dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        (
            "Du som skrev inlägget om avgifterna, jag ska döda dig",
            H,
            Some(Obvious),
            "il.olaga_hot.explicit_violence",
        ),
        // A third person's injury: probable, for the confirming model (it
        // was possible, guarded as counter-speech).
        (
            "Slå sönder skallen på kuratorn som anmälde oss till soc.",
            H,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
    ]);
    for rule in [
        "il.olaga_hot.explicit_violence",
        "il.hets_mot_folkgrupp.call_to_violence",
    ] {
        assert_not_acted_on(
            rule,
            &[
                // The words follow the verb: someone else's.
                "Han som sa, du ska dö",
                "Läraren som skrev att jag ska döda dig",
                "Kommentaren som anmäldes: jag ska döda dig",
                "Journalisten som skrev att alla muslimer ska dö borde polisanmälas",
            ],
        );
    }
}

#[test]
fn a_relative_clause_says_who_is_meant_and_makes_no_report() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        // A news word naming the target's deed: no report.
        (
            "Journalisten som skrev artikeln ska få en kula.",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        // A place named inside the clause is not the subject.
        (
            "Journalisten som skrev den där artikeln om Rinkeby ska få en kula.",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        // Still the subject when no head stands before the clause.
        (
            "Kärringar som inte kan köra ska få stryk.",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        // The spoken `ha stryk` is received as `få stryk` is.
        (
            "Kärringar som tar plats ska ha stryk.",
            H,
            Some(Obvious),
            "il.olaga_hot.deserves_violence",
        ),
        // `till döds` kills as `ihjäl` does.
        (
            "Varenda somalier ska sparkas till döds.",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Artikeln säger att journalisten ska få en kula.",
            "Mannen som enligt artikeln ska skjutas är oskyldig.",
        ],
    );
}

/// A warning the writer gives with the threat (`skriv inte att jag inte
/// varnade er`) is no news of a warning, which guards a report.
#[test]
fn the_writers_own_warning_is_no_news() {
    assert_eq!(
        strongest(
            "jag spränger skolan imorgon, skriv inte att jag inte varnade er",
            Category::OlagaHot
        ),
        Some(Confidence::Obvious)
    );
    assert_ne!(
        strongest(
            "polisen varnade för att någon spränger skolan imorgon",
            Category::OlagaHot
        ),
        Some(Confidence::Obvious)
    );
}

#[test]
fn bleeding_and_execution_are_harm_promised_to_a_person() {
    use Category::OlagaHot as H;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Hon ska blöda.",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Ni på förskolan som ringde soc, ni kommer att blöda",
            H,
            Some(Probable),
            "il.olaga_hot.you_will_die",
        ),
        (
            "Riksdagsledamöterna borde arkebuseras.",
            H,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        ("Mitt hjärta blöder för dem.", H, None, ""),
        ("Jag ska blöda för laget på lördag.", H, None, ""),
        ("Ledamöterna i styrelsen röstade nej.", H, None, ""),
    ]);
}

#[test]
fn a_group_word_joined_with_people_names_the_group() {
    use Category::HetsMotFolkgrupp as G;
    use Confidence::*;
    assert_outcomes(&[
        (
            "Invandrarbarnen borde skjutas.",
            G,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        // A stem that only opens a longer word names no group.
        ("Romanförfattaren borde skjutas.", G, None, ""),
        ("Invandrarbarnen i klassen är duktiga.", G, None, ""),
    ]);
}

#[test]
fn a_question_why_nobody_does_violence_is_a_call_a_person_judges() {
    use Confidence::*;
    assert_outcomes(&[
        (
            "Varför slaktar ingen de där somalierna på konstgräset?",
            Category::HetsMotFolkgrupp,
            Some(Probable),
            "il.hets_mot_folkgrupp.question_call",
        ),
        (
            "Vem tar på sig att skjuta prästen?",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.question_call",
        ),
        (
            "Varför inte bara skjuta alla romer?",
            Category::HetsMotFolkgrupp,
            Some(Probable),
            "il.hets_mot_folkgrupp.question_call",
        ),
        (
            "Varför inte skjuta upp mötet med dem?",
            Category::OlagaHot,
            None,
            "",
        ),
        ("Varför sköt polisen honom?", Category::OlagaHot, None, ""),
        (
            "Varför har ingen stoppat honom?",
            Category::OlagaHot,
            None,
            "",
        ),
        (
            "Varför har ingen skjutit honom med kärlek?",
            Category::OlagaHot,
            None,
            "",
        ),
    ]);
}

#[test]
fn a_threat_to_life_from_a_writer_who_knows_where_the_person_is_is_obvious() {
    use Confidence::*;
    assert_outcomes(&[
        (
            "Jag vet var du bor. Du kommer inte hem levande.",
            Category::OlagaHot,
            Some(Obvious),
            "il.olaga_hot.whereabouts_threat",
        ),
        (
            "Vi vet vilken buss du tar. Du kommer inte att överleva veckan.",
            Category::OlagaHot,
            Some(Obvious),
            "il.olaga_hot.whereabouts_threat",
        ),
        // The claim alone, or with no harm named, stays with a person.
        (
            "Jag vet var du bor, så jag kommer förbi med tårta på lördag!",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.phrase",
        ),
        (
            "Jag vet var du bor. Du kommer inte att leva på lönen i den lägenheten.",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.phrase",
        ),
        // A claim taken back, and a threat quoted, act on nothing.
        (
            "Jag vet inte var du bor men du kommer inte hem levande",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.veiled",
        ),
        (
            "Han sa \"jag vet var du bor\". Du kommer inte hem levande, skrev han också.",
            Category::OlagaHot,
            Some(Possible),
            "il.olaga_hot.phrase",
        ),
    ]);
}

#[test]
fn a_people_said_to_be_good_only_dead_is_hets_in_any_sentence_of_a_comment() {
    use Confidence::*;
    let formula = "il.hets_mot_folkgrupp.good_only_dead";
    assert_outcomes(&[
        (
            "Den enda bra syriern är en död syrier. Stäng kulturkvällen.",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            formula,
        ),
        (
            "Det enda bra med en jude är en död jude",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            formula,
        ),
    ]);
    // Pests, a quotation reported and counter-speech are not acted on.
    assert_not_acted_on(
        formula,
        &[
            "Den enda bra getingen är en död geting",
            "\"Den enda bra juden är en död jude\" skrev nazisterna",
            "Att säga att den enda bra juden är en död jude är vidrigt",
        ],
    );
}

#[test]
fn an_injury_received_is_deserved_after_any_modal_of_duty_and_names_any_form_of_the_body() {
    use Confidence::*;
    assert_outcomes(&[
        (
            "Journalisten borde få ansiktet krossat",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.deserves_violence",
        ),
        (
            "Muslimerna borde få skallarna inslagna",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.deserves_violence",
        ),
        (
            "Han ska få pannbenet krossat",
            Category::OlagaHot,
            Some(Probable),
            "il.olaga_hot.injury",
        ),
        // A thing broken is no injury.
        ("Bilen borde få rutan krossad", Category::OlagaHot, None, ""),
    ]);
}

#[test]
fn urging_one_person_to_a_deadly_means_or_as_a_favour_to_others_is_obvious() {
    use Confidence::*;
    let urged = "il.olaga_hot.urges_self_harm";
    assert_outcomes(&[
        (
            "Hoppa framför tåget Alva, ingen skulle märka skillnaden",
            Category::OlagaHot,
            Some(Obvious),
            urged,
        ),
        (
            "Kasta dig under tåget Erik",
            Category::OlagaHot,
            Some(Obvious),
            urged,
        ),
        // Any vehicle in front of the person is a means, an article between.
        (
            "Kasta dig under en buss, Erik",
            Category::OlagaHot,
            Some(Obvious),
            urged,
        ),
        (
            "gör alla en tjänst o ta en överdos ikväll",
            Category::OlagaHot,
            Some(Obvious),
            urged,
        ),
        // A crowd told to die is left to a person; travel is no means.
        (
            "Hoppa framför tåget allihop era jävlar",
            Category::OlagaHot,
            Some(Probable),
            urged,
        ),
        (
            "Ta tåget, Anna, det går snabbare",
            Category::OlagaHot,
            None,
            "",
        ),
        (
            "Ta en buss, Anna, det går snabbare",
            Category::OlagaHot,
            None,
            "",
        ),
        // A negated order is a plea, with a name or without.
        (
            "Hoppa inte framför tåget Anna, ring någon",
            Category::OlagaHot,
            None,
            "",
        ),
        (
            "Ta inte livet av dig, du behövs",
            Category::OlagaHot,
            None,
            "",
        ),
    ]);
    assert_not_acted_on(
        "",
        &[
            "Gör dig själv en tjänst och ta tabletterna innan du sover",
            "Hoppa inte framför tåget, Anna, ring någon",
            "Hoppa från bryggan Anna, vattnet är varmt",
        ],
    );
}

#[test]
fn violence_called_for_by_a_noun_reaches_the_people_of_a_body_and_those_counted() {
    use Confidence::*;
    let named = "il.olaga_hot.violence_named";
    assert_outcomes(&[
        (
            "Lynchning av styrelsen i bostadsbolaget är det enda som hjälper nu.",
            Category::OlagaHot,
            Some(Probable),
            named,
        ),
        (
            "Dags för avrättning av varenda journalist på lokaltidningen.",
            Category::OlagaHot,
            Some(Probable),
            named,
        ),
        // A topic, not a call.
        (
            "Avrättningen av varenda fånge i Iran är vidrig",
            Category::OlagaHot,
            None,
            "",
        ),
    ]);
}

#[test]
fn a_weapon_foretold_in_the_body_is_promised_and_one_feared_for_a_person_is_not() {
    use Confidence::*;
    assert_outcomes(&[(
        "Hon kommer att få ett basebollträ i ansiktet vid nästa val.",
        Category::OlagaHot,
        Some(Obvious),
        "il.olaga_hot.deserves_violence",
    )]);
    assert_not_acted_on(
        "",
        &[
            "Jag är rädd att den där killen ska få en kniv i magen",
            "Jag är rädd att journalisten kommer att få en kula i huvudet",
            "Ni kommer få stryk på fredag, Djurgårn. Vi har Bajen-hjärta och det räcker",
        ],
    );
}

#[test]
fn a_weapon_the_writer_holds_promised_on_a_person_is_a_threat() {
    use Confidence::*;
    let used = "il.olaga_hot.weapon_use";
    assert_outcomes(&[
        (
            "Jag har en kniv och jag ska använda den på dig.",
            Category::OlagaHot,
            Some(Obvious),
            used,
        ),
        // Negated, or on a thing: no threat of this shape.
        (
            "Jag har en borrmaskin och tänker använda den på väggen imorgon",
            Category::OlagaHot,
            None,
            "",
        ),
    ]);
    assert_not_acted_on(
        used,
        &[
            "Jag har en kniv men jag skulle aldrig använda den på dig",
            "Jag har ett gevär och använder det på jakten varje höst",
        ],
    );
}

#[test]
fn a_clause_after_the_weapon_does_not_make_it_a_particular_object() {
    use Confidence::*;
    let found = findings("Imorn står jag utanför redaktionen med en kniv, du vet vem du är");
    assert!(
        found
            .iter()
            .any(|f| f.rule == "il.olaga_hot.armed_visit_place" && f.confidence >= Probable),
        "{found:?}"
    );
    let particular = findings("Jag kommer till kontoret med kniven du glömde");
    assert!(
        particular
            .iter()
            .all(|f| f.rule != "il.olaga_hot.armed_visit_place"),
        "{particular:?}"
    );
}

#[test]
fn a_listed_threatening_phrase_to_a_group_addressed_as_ni_is_a_threat_at_the_group() {
    use Confidence::*;
    assert_outcomes(&[
        (
            "Ni muslimer i Fittja ska veta att vi är många. Era dagar är räknade.",
            Category::HetsMotFolkgrupp,
            Some(Obvious),
            "il.hets_mot_folkgrupp.plural_threat",
        ),
        (
            "Ni judar ska veta att ni är välkomna här. Den som skriver 'era dagar är räknade' polisanmäls.",
            Category::HetsMotFolkgrupp,
            None,
            "",
        ),
    ]);
}

#[test]
fn a_call_that_asks_who_will_join_is_no_question() {
    use Category::{HetsMotFolkgrupp as H, OlagaHot as T};
    use Confidence::Obvious;
    assert_outcomes(&[
        (
            "tända eld på flyktingboendet i Vårby, vem e med?",
            T,
            Some(Obvious),
            "il.olaga_hot.burned_inside",
        ),
        (
            "Skjut alla muslimer, vem är med?",
            H,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
    ]);
    // A question word opens a question whatever its end asks; a question
    // whose last words ask something else stays a question.
    assert_not_acted_on(
        "",
        &[
            "Hur många fler muslimer måste skjutas innan något händer, vem bryr sig?",
            "Varför sköt polisen honom, vem är med på en demonstration?",
            "Skjut alla muslimer, är det vad ni vill?",
        ],
    );
}

#[test]
fn someone_elses_wish_opinion_or_letting_is_retold_not_called_for() {
    // History and criticism: what others let happen or (are said to) want
    // is no finding, not even evidence a sure model could act on.
    for text in [
        "Sverige lät judar dö under kriget",
        "EU låter flyktingar dö i Medelhavet, skamligt",
        "Regeringen vill att flyktingar ska dö hellre än komma hit",
        "SD önskar att alla muslimer ska dö i Medelhavet, det är vad de menar",
        "Min granne tycker att alla muslimer borde skjutas, jag har anmält honom.",
        "Hon tror att alla judar borde dö, hon är sjuk i huvudet.",
    ] {
        let mut found = Vec::new();
        detector().detect(text, &mut found);
        assert!(
            found
                .iter()
                .all(|f| f.confidence < Confidence::Obvious && !needs_model(&f.rule)),
            "{text}: {found:?}"
        );
    }
    // The writer's own wish, one with no subject, and an order stand; so
    // does a relative clause that says who is meant.
    use Category::{HetsMotFolkgrupp as H, OlagaHot as T};
    use Confidence::Obvious;
    assert_outcomes(&[
        (
            "Jag vill att alla flyktingar ska dö",
            H,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Vill att alla flyktingar ska dö",
            H,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        // A crowd's opinion is as often the writer's own.
        (
            "Många tycker att alla muslimer borde skjutas",
            H,
            Some(Obvious),
            "il.hets_mot_folkgrupp.call_to_violence",
        ),
        (
            "Valarbetaren som inte lät mig rösta ska få en kula, jag vet var hon bor.",
            T,
            Some(Obvious),
            "il.olaga_hot.whereabouts_threat",
        ),
    ]);
}
