# Samordna – svenska (standardspråk)

site-name = Samordna
skip-link = Hoppa till innehållet
nav-label = Huvudmeny
nav-register = Förteckning
nav-cases = Ärenden
language-switch = English
language-switch-label = Read in English
breadcrumbs = Brödsmulor
footer-about = Samordna – förteckning över koncernövergripande grupper i Västra Götalandsregionen.
footer-open-data = Öppna data (JSON)
footer-accessibility = Tillgänglighetsredogörelse
back-to-register = Till förteckningen över grupper

error-not-found = Sidan hittades inte
error-bad-request = Felaktig adress
error-unavailable = Tillfälligt otillgänglig
error-internal = Något gick fel
error-not-found-page = Det finns ingen sida på den här adressen. Den kan ha flyttats, eller så är adressen felstavad.
error-no-group = Det finns ingen grupp med adressen { $slug }.
error-no-version = Det finns ingen version { $version } av uppdragshandlingen.
error-no-case = Det finns inget ärende med diarienummer { $slug }.
error-unavailable-text = Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.
error-internal-text = Ett oväntat fel inträffade. Felet har loggats.

register-title = Förteckning över grupper
register-heading = Förteckning över koncernövergripande grupper
register-lead = Samordningsråd och de grupper som rapporterar till dem, med uppgift om uppdragshandlingen är beslutad och i kraft. Registret uppdateras när en uppdragshandling beslutas eller importeras.
register-summary = { $councils } samordningsråd och { $groups ->
    [one] 1 grupp
   *[other] { $groups } grupper
} under dem.
register-councils = Samordningsråd och deras grupper
register-empty = Registret är tomt. Importera uppdragshandlingar med samordna import.
register-others = Övriga organ som uppdragshandlingarna hänvisar till
tree-children = { $count ->
    [one] 1 grupp under { $name }
   *[other] { $count } grupper under { $name }
}

kind-samordningsrad = Samordningsråd
kind-samordningsgrupp = Samordningsgrupp
kind-regionalt_processteam = Regionalt processteam
kind-undergrupp = Undergrupp
kind-ledningsgrupp = Ledningsgrupp
kind-forvaltning = Förvaltning
kind-other = Övrigt organ
status-active = Aktiv
status-dissolved = Avvecklad

charter-in-force = Uppdragshandling i kraft, beslutad { $date }
charter-in-force-draft = Uppdragshandling i kraft, beslutad { $date }; en ej beslutad revidering finns
charter-undecided = Ingen beslutad uppdragshandling i kraft
charter-missing = Uppdragshandling saknas i registret

frequency-range = { $min }–{ $max } möten per år
frequency-exact = { $count } möten per år
frequency-min = minst { $min } möten per år
frequency-max = högst { $max } möten per år
frequency-none = inte angiven
frequency-digital = { $range }, digitalt när så är möjligt

group-placeholder = Gruppen finns i registret för att andra uppdragshandlingar nämner den. Dess egen uppdragshandling har inte importerats.
group-about = Om gruppen
group-kind = Typ
group-area = Ansvarsområde
group-status = Status
group-reports-to = Rapporterar till
group-reports-to-none = Ingen grupp angiven
group-frequency = Mötesfrekvens
group-children = Grupper under { $name }
group-liaisons = Samverkar med
group-liaison-of = Nämns som samverkanspart av
group-aliases = Andra namn i dokument
group-purpose = Syfte
group-duties = Uppdrag
group-content-in-force = Syfte och uppdrag enligt uppdragshandlingen i kraft (version { $version }).
group-content-undecided = Syfte och uppdrag enligt den ej beslutade uppdragshandlingen (version { $version }).
group-charters = Uppdragshandlingar
group-no-charters = Inga uppdragshandlingar finns i registret.
group-versions-caption = Versioner av uppdragshandlingen för { $name }
col-version = Version
col-document = Dokument
col-date = Datum
col-decision = Beslut
col-group = Grupp
decision-decided = Beslutad { $date }
decision-undecided = Ej beslutad

charter-version-crumb = Version { $version }
charter-undecided-notice = Ej beslutad.
charter-undecided-text = Beslutsdatum saknas – dokumentet är inte i kraft.
charter-superseded = Den här versionen är inte längre i kraft.
charter-read-in-force = Läs den version som är i kraft
charter-kind = Dokumenttyp
charter-group = Grupp
charter-registry-number = Diarienummer
charter-date = Datum
charter-revision = Revidering
charter-status = Beslutsstatus
charter-decision-date = Beslutsdatum
charter-decision-pending = (ifylls av beslutsfattaren vid godkännande)
charter-decided-by = Beslutsfattare
charter-issuing-unit = Utfärdat av
charter-case-officer = Handläggare
charter-phone = tfn { $phone }
charter-responsibility = Ansvarsområde
charter-commissioner = Uppdragsgivare
charter-assignee = Uppdragstagare
charter-references = Hänvisningar
charter-version = Version
charter-version-of = { $version } av { $count }
charter-source = Källa
charter-source-as-imported = som importerad { $date }
charter-document = Dokumentet
charter-decision = Beslut
charter-decision-line = Datum för beslut: { $date }
charter-distribution = Uppdraget skickas till
doc-kind-uppdragshandling = Uppdragshandling
doc-kind-verkstallighetsbeslut = Verkställighetsbeslut
doc-status-decided = Beslutad
doc-status-undecided = Ej beslutad

cases-title = Ärenden
cases-lead = Diarienummer som uppdragshandlingarna i registret hör till.
cases-empty = Inga ärenden finns i registret.
cases-documents = { $count } dokument
case-title = Ärende { $number }
case-summary = Diarienummer { $number }: { $count } dokument i registret.
case-caption = Dokument i ärendet { $number }

a11y-title = Tillgänglighetsredogörelse
a11y-intro = Västra Götalandsregionen står bakom den här webbplatsen. Vi vill att så många som möjligt ska kunna använda den. Den här redogörelsen beskriver hur Samordna uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, eventuella kända tillgänglighetsproblem och hur du kan rapportera brister till oss så att vi kan åtgärda dem.
a11y-status-heading = Hur tillgänglig är webbplatsen?
a11y-status = Vi bedömer att webbplatsen är helt förenlig med lagen om tillgänglighet till digital offentlig service. Den följer WCAG 2.1 på nivå AA.
a11y-help-heading = Vad kan du göra om du inte kan använda delar av webbplatsen?
a11y-help = Om du behöver innehåll från Samordna i ett annat format, till exempel en uppdragshandling som lättläst text eller uppläst, kontakta registerhållaren på Koncernkontoret via { $email }. Uppdragshandlingarna finns också som källfil i textformat på varje dokuments sida.
a11y-report-heading = Rapportera brister i webbplatsens tillgänglighet
a11y-report = Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker problem som inte är beskrivna på den här sidan, eller om du anser att vi inte uppfyller lagens krav, meddela oss så att vi får veta att problemet finns.
a11y-report-link = Skicka e-post till { $email }
a11y-supervision-heading = Tillsyn
a11y-supervision = Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn för lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta DIGG och påtala det.
a11y-supervision-link = Anmäl till DIGG (digg.se)
a11y-technical-heading = Teknisk information om webbplatsens tillgänglighet
a11y-technical = Sidorna fungerar utan JavaScript, har en länk för att hoppa till innehållet, landmärken och rubriker i ordning, synlig tangentbordsfokus, och kan förstoras till 200 procent utan att innehåll går förlorat. Innehållet finns på svenska och engelska; uppdragshandlingarna själva är på svenska.
a11y-testing-heading = Hur vi testat webbplatsen
a11y-testing = Varje sidtyp testas automatiskt vid varje ändring i en riktig webbläsare med verktyget axe-core mot WCAG 2.0 och 2.1 nivå A och AA, på båda språken, samt med tangentbordet och i 200 procents förstoring. Redogörelsen uppdaterades senast { $date }.

error-forbidden = Behörighet saknas
error-conflict = Det gick inte att spara
error-too-many = För många försök
error-too-many-text = För många misslyckade inloggningar. Vänta en stund och försök igen.
error-too-large = För stor
error-too-large-text = Det som skickades är för stort.

nav-sign-in = Logga in
nav-sign-out = Logga ut
form-has-errors = Formuläret har fel som behöver rättas
form-required = obligatoriskt
form-cancel = Avbryt
form-save = Spara
list-empty = Inget att visa.
col-name = Namn
col-role = Roll
col-on-behalf-of = För förvaltning
col-since = Sedan
col-actions = Åtgärder

sign-in-title = Logga in
sign-in-intro = Logga in med ditt konto i Samordna.
sign-in-email = E-postadress
sign-in-password = Lösenord
sign-in-submit = Logga in
sign-in-failed = Fel e-postadress eller lösenord.
sign-in-oidc = Logga in med regionens konto
sign-in-oidc-failed = Inloggningen via regionens konto kunde inte verifieras. Försök igen.
sign-in-no-account = Det finns inget konto i Samordna för { $email }. Kontakta registerhållaren.

account-title = Mitt konto
account-email = E-postadress
account-role = Systemroll
account-role-none = Läsare (roller i grupper följer av medlemskap)
account-role-admin = Administratör (registerhållare)
account-role-director = Direktör
account-tokens = API-nycklar
account-tokens-intro = En API-nyckel ger ett program samma behörighet som ditt konto i JSON-API:t. Nyckeln visas bara en gång; den kan återkallas när som helst.
account-token-name = Nyckelns namn
account-token-create = Skapa API-nyckel
account-token-created = Din nya API-nyckel. Kopiera den nu; den visas inte igen.
account-token-revoked = återkallad
account-token-revoke = Återkalla { $name }

group-edit = Redigera gruppen
group-members = Medlemmar
group-new = Ny grupp
group-edit-title = Redigera { $name }
field-name = Namn
field-short-name = Kortnamn
field-kind = Typ
field-area = Ansvarsområde
field-reports-to = Rapporterar till
field-reports-to-none = (ingen)
field-status = Status
field-status-hint = Bara direktören kan inrätta eller avveckla en grupp.
field-aliases = Andra namn
field-aliases-hint = Ett namn per rad: namn som dokument använder, också felstavningar.
field-liaisons = Samverkar med
field-title = Titel
field-email = E-postadress
field-phone = Telefon
field-administration = Förvaltning
field-administration-none = (ingen)
field-person = Person
field-role = Roll
field-on-behalf-of = För förvaltning
field-voting-right = Rösträtt
field-appointed-by = Utsedd av
field-start-date = Från och med
field-end-date = Till och med
field-end-date-hint = Fyll i för att avsluta medlemskapet; historiken sparas.
error-required = Fyll i { $field }.
error-date = Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-31.
error-end-before-start = Slutdatumet kan inte vara före startdatumet.
error-email = Skriv en e-postadress som namn@exempel.se.
error-unknown-choice = Välj ett av alternativen.
error-status-director = Bara direktören kan ändra status.

role-ordforande = Ordförande
role-vice_ordforande = Vice ordförande
role-deltagare = Deltagare
role-adjungerad = Adjungerad
role-koordinator = Koordinator
role-kontaktperson = Kontaktperson
role-sekreterare = Sekreterare

members-title = Medlemmar i { $name }
members-crumb = Medlemmar
members-add = Lägg till medlem
members-none = Gruppen har inga nuvarande medlemmar i registret.
members-current = Nuvarande medlemmar
members-former = { $count ->
    [one] 1 tidigare medlem
   *[other] { $count } tidigare medlemmar
}
members-edit = Ändra { $name }
membership-new-title = Ny medlem i { $name }
membership-edit-title = Medlemskap för { $name }

people-title = Personer
people-add = Lägg till person
person-new-title = Ny person
person-edit-title = Redigera { $name }
administrations-title = Förvaltningar
administrations-add = Lägg till förvaltning
administration-new-title = Ny förvaltning
administration-edit-title = Redigera { $name }

conflict-title = Någon annan har sparat ändringar
conflict-text = { $what } ändrades av någon annan medan du redigerade. Dina ändringar sparades inte. Jämför och öppna formuläret igen för att göra om dem.
conflict-caption = Dina uppgifter och de sparade
conflict-field = Uppgift
conflict-yours = Din version
conflict-saved = Sparad version
conflict-reopen = Öppna formuläret med den sparade versionen

audit-title = Ändringslogg
audit-actor = Vem
audit-action = Händelse
audit-object = Objekt
audit-from = Från och med
audit-to = Till och med
audit-filter = Filtrera
audit-csv = Hämta som CSV
audit-caption = { $count } händelser
audit-when = När
audit-detail = Detaljer
