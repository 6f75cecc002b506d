//! The package's documentation (CSIP's `documentation/` folder): what an
//! archivist needs to understand and check the delivery without this
//! service, in Swedish since it is read at the city archive.

use super::{ExportRequest, MANIFEST, package_label, xml_time};
use crate::archive::record::RECORD_FORMAT;

/// What the package holds, counted for the archivist.
pub(super) struct Contents {
    /// Evidence records.
    pub(super) records: usize,
    /// Screenshots.
    pub(super) images: usize,
    /// Schema files in `schemas/`.
    pub(super) schemas: usize,
}

/// `documentation/om-leveransen.txt`.
pub(super) fn text(request: &ExportRequest<'_>, objid: &str, counts: &Contents) -> String {
    let mut text = delivery(request, objid, counts.records, counts.images);
    text.push_str(&contents(counts.schemas));
    text.push_str(&record_format());
    text.push_str(CHECKS);
    text
}

fn delivery(request: &ExportRequest<'_>, objid: &str, records: usize, images: usize) -> String {
    format!(
        "Om leveransen\n\
         =============\n\
         \n\
         {label}\n\
         \n\
         Paket-id (METS OBJID): {objid}\n\
         Konto: {name} ({key})\n\
         Ansvarig förvaltning: {department}\n\
         Period: {from} – {to} (datum då kommentaren skrevs, UTC)\n\
         Skapat: {created} av kommentarsvakt {version}\n\
         Innehåll: {records} bevisposter och {images} skärmbilder\n\
         \n",
        label = package_label(request),
        name = request.account_name,
        key = request.account_key,
        department = request.department.unwrap_or("(ej angiven)"),
        from = request.from,
        to = request.to,
        created = xml_time(request.created_at),
        version = env!("CARGO_PKG_VERSION"),
    )
}

fn contents(schemas: usize) -> String {
    let schemas = if schemas == 0 {
        "schemas/                          saknas: paketet har inga XML-scheman och är inte\n\
         \x20                                 fullständigt enligt CSIP (krav CSIP113, CSIP99)\n"
            .to_string()
    } else {
        format!(
            "schemas/                          XML-scheman som paketets XML-filer följer ({schemas} filer)\n"
        )
    };
    format!(
        "Paketets delar (E-ARK CSIP/SIP, FGS Paketstruktur)\n\
         --------------------------------------------------\n\
         \n\
         METS.xml                          paketets METS: identitet, metadata, struktur\n\
         metadata/descriptive/ead.xml      arkivbeskrivning (EAD)\n\
         metadata/preservation/premis.xml  varje datafil med SHA-256, och exporthändelsen (PREMIS 3)\n\
         documentation/om-leveransen.txt   denna fil\n\
         {schemas}\
         representations/rep1/METS.xml     förteckning över posterna och skärmbilderna med kontrollsummor\n\
         representations/rep1/data/records/<konto>/<år>/<månad>/<dag>/<sha256>.json\n\
         \x20                                 en bevispost per kommentarsversion\n\
         representations/rep1/data/records/…/<sha256>.png\n\
         \x20                                 skärmbild av kommentaren så som den visades, bredvid sin post\n\
         {MANIFEST}               SHA-256 för alla andra filer i paketet\n\
         \n"
    )
}

fn record_format() -> String {
    format!(
        "Bevisposterna (format {RECORD_FORMAT})\n\
         ------------------------------------------------\n\
         \n\
         Varje post är en JSON-fil. Fälten:\n\
         \n\
         format       formatets namn och version\n\
         seq, prev    plats i tjänstens hashkedja och SHA-256 för föregående post\n\
         \x20            (den kan ligga utanför denna leverans)\n\
         archived_at  när posten skrevs\n\
         account      kontots nyckel, namn och plattform\n\
         comment      kommentaren normaliserad: id, inlägg, svar på, författare, text,\n\
         \x20            skriven, hämtad, länk och SHA-256 av texten\n\
         raw          plattformens JSON för kommentaren, oförändrad\n\
         verdict      tjänstens bedömning: åtgärd och fynd med regel, rättslig grund och skäl\n\
         screenshot   skärmbildens SHA-256 och hur den ritades, när det finns en\n\
         \n"
    )
}

const CHECKS: &str = "Kontroll\n\
--------\n\
\n\
En posts filnamn är SHA-256 av filens innehåll: `sha256sum <fil>` ska ge\n\
namnet. Skärmbildens SHA-256 står i posten. Alla filer finns med storlek och\n\
SHA-256 i METS-filerna och i manifest-sha256.txt (`sha256sum -c` i paketets\n\
rotmapp). Posterna kontrollerades mot sina namn när paketet skapades; en\n\
ändrad post stoppar exporten.\n";
