//! Any request to the portal and the API, as the server decodes it: the path and
//! query string, forms (urlencoded and multipart, uploads included), JSON bodies,
//! cookies. Sent to the real router over a register with the seed charters, with
//! an administrator's API key or none. The server must answer every one without a
//! panic and without a 5xx: bad input is a 4xx that names what is wrong.
//!
//! Input: the first line is `METHOD PATH?QUERY`; the second a content type
//! (empty: none); a third line `key` sends the API key; the rest is the body.
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

const KEY: &str = "fuzz-nyckel-0123456789abcdef";

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = rt.block_on(async {
        let db = samordna_store::testing::TestDb::sqlite().await;
        samordna_store::testing::import_seeds(&db.store).await;
        let account = db
            .store
            .create_account(
                &samordna_store::NewAccount {
                    email: "fuzz@region.example",
                    name: "Fuzz",
                    password_hash: None,
                    oidc_subject: None,
                    system_role: Some("admin"),
                    person_id: None,
                },
                "fuzz",
            )
            .await
            .unwrap();
        db.store
            .create_api_token(
                account,
                "fuzz",
                &samordna_web::auth::hash_secret(KEY),
                "fuzz",
            )
            .await
            .unwrap();
        let app = samordna_web::router(db.store.clone());
        std::mem::forget(db); // the database lives as long as the process
        app
    });
    // A panic ends the run as a crash (AFL); nothing is used after one.
    let (app, rt) = (
        std::panic::AssertUnwindSafe(app),
        std::panic::AssertUnwindSafe(rt),
    );
    afl::fuzz!(|data: &[u8]| {
        // Captured whole (not field by field), so the closure is unwind-safe.
        let (app, rt) = (&app, &rt);
        let text = String::from_utf8_lossy(data);
        let mut lines = text.splitn(4, '\n');
        let first = lines.next().unwrap_or_default();
        let content_type = lines.next().unwrap_or_default();
        let with_key = lines.next().unwrap_or_default() == "key";
        let body = lines.next().unwrap_or_default().to_string();
        let (method, uri) = first.split_once(' ').unwrap_or(("GET", first));
        let mut req = Request::builder().method(method).uri(uri);
        if !content_type.is_empty() {
            req = req.header("content-type", content_type);
        }
        if with_key {
            req = req.header("authorization", format!("Bearer {KEY}"));
        }
        // What the client library itself would refuse to send is not a request.
        let Ok(req) = req.body(Body::from(body)) else {
            return;
        };
        let status = rt.0.block_on(async {
            let res = app.0.clone().oneshot(req).await.unwrap();
            let status = res.status();
            // The whole answer is made, as a client reading it would have it made.
            let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await;
            status
        });
        assert!(
            status.as_u16() < 500 || status.as_u16() == 503,
            "{status} for {first:?}"
        );
    });
}
