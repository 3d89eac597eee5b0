//! Personal data never reaches the logs (DESIGN §6): a registration and a
//! lookup run with every log event of the server captured, at the most
//! verbose level, and neither the national ID nor the mobile appears.

use std::io::Write;
use std::sync::{Arc, Mutex};

use domain::registration::{RegistrationForm, Submission, TrackingCode};
use tracing_subscriber::fmt::MakeWriter;

use crate::helpers::{TestApp, sunday_noon};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// The default test runtime runs the server's tasks on this thread, so the
// thread's subscriber sees every event the server logs.
#[tokio::test]
async fn national_ids_and_mobiles_never_appear_in_the_logs() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::spawn().await;
    let mut random = [0u8; 16];
    random[0] = 42;
    let sent = Submission {
        request_id: uuid::Uuid::now_v7().to_string(),
        tracking_code: TrackingCode::from_random(random),
        made_at: sunday_noon(),
        form: RegistrationForm {
            full_name: "زهرا احمدی".into(),
            national_id: "0499370899".into(),
            mobile: "09123456789".into(),
            district: Some(6),
            topic: "services".into(),
            description: "پیاده‌روی خیابان ما سال‌هاست خراب مانده و کسی پاسخ نمی‌دهد.".into(),
            case_number: String::new(),
            consent: true,
        },
    };
    assert_eq!(app.post("/api/registrations", &sent).await.status(), 201);
    let lookup = serde_json::json!({ "tracking_code": sent.tracking_code.as_str(), "mobile": "09123456789" });
    assert_eq!(
        app.post("/api/registrations/lookup", &lookup)
            .await
            .status(),
        200
    );

    let logs = String::from_utf8(captured.0.lock().expect("log buffer").clone()).expect("UTF-8");
    assert!(logs.contains("registration recorded"), "the capture works");
    for secret in ["0499370899", "9123456789", "زهرا"] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}
