//! Charter files through the portal (issue 13, items 6 and 7): every version
//! downloads as PDF/A and DOCX that read back as the same charter; a PDF, DOCX
//! or text file is read, shown for confirmation and only then stored with its
//! original kept; what is not a charter gets a clear message and stores nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use samordna_documents::extract;
use samordna_domain::{parse_charter, ParsedCharter};
use samordna_store::testing::{raw_text, seeds, TestDb};
use samordna_store::{Source, Store};
use samordna_web::testing::{self, send, Browser, Res};

const ORTOPEDI: &str = "sor-ortopedi-2026.txt";

fn content(mut d: ParsedCharter) -> ParsedCharter {
    d.warnings.clear();
    d
}

fn seed(name: &str) -> String {
    seeds().into_iter().find(|(n, _)| n == name).unwrap().1
}

/// Imports every seed but ortopedi.
async fn import_all_but_ortopedi(store: &Store) {
    for (name, text) in seeds().into_iter().filter(|(n, _)| n != ORTOPEDI) {
        let doc = parse_charter(&text).unwrap();
        store
            .import_charter(
                &doc,
                &Source {
                    name: &name,
                    text: &text,
                    file: None,
                },
                "test",
            )
            .await
            .unwrap();
    }
}

async fn versions(store: &Store) -> String {
    raw_text(store, "SELECT CAST(COUNT(*) AS TEXT) FROM charter_versions")
        .await
        .unwrap()
        + "/"
        + &raw_text(store, "SELECT CAST(COUNT(*) AS TEXT) FROM audit_events")
            .await
            .unwrap()
}

async fn upload(app: &axum::Router, b: &Browser, name: &str, bytes: &[u8]) -> Res {
    // The CSRF token travels in the body, as the form sends it.
    let boundary = "SamordnaGrans7";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        b.csrf
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/uppdragshandlingar/las-in")
        .header("cookie", b.cookie_header())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// The value of the hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// A one-page PDF with some text that is not a charter (a quarterly report),
/// offsets computed so that strict readers take it too.
fn other_pdf() -> Vec<u8> {
    let stream = "BT /F1 14 Tf 72 720 Td (Kvartalsrapport for fastigheter) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".into(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[tokio::test]
async fn every_version_downloads_as_pdf_and_docx_that_read_back_the_same() {
    let db = TestDb::sqlite().await;
    samordna_store::testing::import_seeds(&db.store).await;
    let app = samordna_web::router(db.store.clone());
    let doc = parse_charter(&seed(ORTOPEDI)).unwrap();
    let page = testing::get(
        &app,
        "/grupper/samordningsrad-ortopedi/uppdragshandlingar/1",
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("uppdragshandlingar/1/pdf"),
        "the page links the PDF"
    );
    assert!(
        page.body.contains("uppdragshandlingar/1/docx"),
        "and the DOCX"
    );
    for (format, media) in [
        ("pdf", "application/pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let r = testing::get(
            &app,
            &format!("/grupper/samordningsrad-ortopedi/uppdragshandlingar/1/{format}"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        assert_eq!(r.content_type, media);
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.contains(&format!(
                "samordningsrad-ortopedi-uppdragshandling-version-1.{format}"
            )),
            "{disposition}"
        );
        let (_, text) = extract::charter_text_of(&r.bytes).unwrap();
        assert_eq!(
            content(parse_charter(&text).unwrap()),
            content(doc.clone()),
            "{format}"
        );
    }
    let missing = testing::get(
        &app,
        "/grupper/samordningsrad-ortopedi/uppdragshandlingar/9/pdf",
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    db.close().await;
}

#[tokio::test]
async fn a_charter_pdf_is_read_shown_and_stored_only_when_confirmed() {
    let db = TestDb::sqlite().await;
    import_all_but_ortopedi(&db.store).await;
    let app = samordna_web::router(db.store.clone());
    // Only the register keeper and directors import files.
    let anonymous = testing::get(&app, "/uppdragshandlingar/las-in", None).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    let (_, cookie) =
        testing::signed_in(&db.store, "registrator@region.example", Some("admin"), None).await;
    let mut admin = Browser::default();
    let (k, v) = cookie.split_once('=').unwrap();
    admin.cookies.insert(k.into(), v.into());
    admin.csrf = "csrf".into();
    let dashboard = admin.get(&app, "/regelefterlevnad").await;
    assert!(
        dashboard.body.contains("/uppdragshandlingar/las-in"),
        "the dashboard links the import"
    );
    let form = admin.get(&app, "/uppdragshandlingar/las-in").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("type=\"file\""));

    let doc = parse_charter(&seed(ORTOPEDI)).unwrap();
    let pdf = samordna_documents::pdf::charter_pdf(&doc).unwrap();
    let before = versions(&db.store).await;
    // A file over axum's default 2 MB (a text charter padded to 3 MB) is read.
    let mut padded = seed(ORTOPEDI).into_bytes();
    padded.resize(3 * 1024 * 1024, b' ');
    let r = upload(&app, &admin, "ortopedi-3mb.txt", &padded).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Spara i registret"));
    let preview = upload(&app, &admin, "Uppdragshandling ortopedi.pdf", &pdf).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Uppdragshandling ortopedi.pdf"));
    assert!(
        preview.body.contains("Samordningsråd ortopedi"),
        "the group read"
    );
    assert!(
        preview.body.contains("finns inte i registret"),
        "and that it is new"
    );
    assert!(preview.body.contains("RS 2024-00784"));
    assert!(preview.body.contains("Spara i registret"));
    assert_eq!(
        versions(&db.store).await,
        before,
        "a preview stores nothing"
    );

    let saved = admin
        .post(
            &app,
            "/uppdragshandlingar/las-in/spara",
            &[
                ("name", &hidden(&preview.body, "name")),
                ("file", &hidden(&preview.body, "file")),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        "/grupper/samordningsrad-ortopedi/uppdragshandlingar/1"
    );
    let stored = db
        .store
        .charter_document(
            db.store
                .organization_by_slug("samordningsrad-ortopedi")
                .await
                .unwrap()
                .unwrap()
                .id,
            1,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(content(stored.content), content(doc.clone()));
    // The source is the original PDF, byte for byte.
    let source = admin
        .get(
            &app,
            "/grupper/samordningsrad-ortopedi/uppdragshandlingar/1/kalla",
        )
        .await;
    assert_eq!(source.content_type, "application/pdf");
    assert_eq!(source.bytes, pdf);
    // It cannot be changed.
    assert!(samordna_store::testing::raw_execute(
        &db.store,
        "UPDATE charter_source_files SET media_type = 'text/plain'"
    )
    .await
    .is_err());
    assert!(
        samordna_store::testing::raw_execute(&db.store, "DELETE FROM charter_source_files")
            .await
            .is_err()
    );

    // A DOCX of the same charter is the same content: nothing new.
    let docx = samordna_documents::docx::charter_docx(&doc).unwrap();
    let preview = upload(&app, &admin, "ortopedi.docx", &docx).await;
    assert!(
        preview
            .body
            .contains("samma innehåll som version 1; inget ändras om du sparar"),
        "{}",
        preview.body
    );
    let again = admin
        .post(
            &app,
            "/uppdragshandlingar/las-in/spara",
            &[
                ("name", "ortopedi.docx"),
                ("file", &hidden(&preview.body, "file")),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(
        again.body.contains(
            "Innehållet fanns redan i registret för Samordningsråd ortopedi: inget har ändrats."
        ),
        "{}",
        again.body
    );
    assert!(again
        .body
        .contains("href=\"/grupper/samordningsrad-ortopedi\""));
    db.close().await;
}

#[tokio::test]
async fn what_is_not_a_charter_gets_a_clear_message_and_stores_nothing() {
    let db = TestDb::sqlite().await;
    import_all_but_ortopedi(&db.store).await;
    let app = samordna_web::router(db.store.clone());
    let (_, cookie) =
        testing::signed_in(&db.store, "registrator@region.example", Some("admin"), None).await;
    let mut admin = Browser::default();
    let (k, v) = cookie.split_once('=').unwrap();
    admin.cookies.insert(k.into(), v.into());
    admin.csrf = "csrf".into();
    let before = versions(&db.store).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91h6".to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("rapport.pdf", other_pdf(), "inte en uppdragshandling"),
        ("bild.png", png, "varken PDF, Word (DOCX) eller text"),
        ("tom.pdf", Vec::new(), "tom"),
        (
            "skadad.pdf",
            b"%PDF-1.7\n1 0 obj garbage".to_vec(),
            "kunde inte läsas som PDF",
        ),
        (
            "arkiv.docx",
            b"PK\x03\x04 not a word file".to_vec(),
            "kunde inte läsas som Word",
        ),
        (
            "anteckning.txt",
            "Inköpslista: mjölk, bröd".as_bytes().to_vec(),
            "inte en uppdragshandling",
        ),
    ];
    for (name, bytes, says) in cases {
        let r = upload(&app, &admin, name, &bytes).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
        assert!(
            r.body.contains(says),
            "{name} should say {says:?}: {}",
            r.body
        );
        assert!(r.body.contains("Inget har sparats."), "{name}");
        assert!(
            r.body.contains("role=\"alert\""),
            "{name}: the message is announced"
        );
    }
    // 8 MB: read by the server, refused as larger than a charter file may be.
    let mut large = b"%PDF-1.7\n".to_vec();
    large.resize(8 * 1024 * 1024, b' ');
    let r = upload(&app, &admin, "stor.pdf", &large).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Filen är för stor (högst 7 MB)"),
        "{}",
        r.body
    );
    // 50 MB: refused from its declared length, before it is read, in Swedish.
    let big = vec![b'%'; 50 * 1024 * 1024];
    let r = upload(&app, &admin, "enorm.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("för stort"), "{}", r.body);
    assert!(
        r.body.contains("lang=\"sv\""),
        "a page, not plain text: {}",
        r.body
    );
    // A body that is not a multipart form is named in Swedish, not by the framework.
    let req = Request::post(format!("/uppdragshandlingar/las-in?_csrf={}", admin.csrf))
        .header("cookie", admin.cookie_header())
        .header("content-type", "multipart/form-data; boundary=\"\"")
        .body(Body::from("x"))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains("boundary"), "{}", r.body);
    assert!(r.body.contains("lang=\"sv\""), "{}", r.body);
    // A confirmation with a tampered file is read again and refused the same way.
    let r = admin
        .post(
            &app,
            "/uppdragshandlingar/las-in/spara",
            &[("name", "x.pdf"), ("file", "inte base64!")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        versions(&db.store).await,
        before,
        "nothing stored, nothing logged"
    );
    db.close().await;
}
