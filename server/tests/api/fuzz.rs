//! Property-based fuzzing of the two endpoints anyone can reach with a
//! body: arbitrary JSON (and valid shapes with arbitrary field values)
//! sent to registration and to sync push. Whatever arrives, the answer is a
//! 4xx in our error shape or, for a well-formed push, a per-command
//! refusal — never a 5xx, never a panic (the server still answers after).
//! `cargo fuzz` needs a nightly toolchain these machines lack; proptest
//! drives a real server over HTTP instead.

use std::future::IntoFuture;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

use crate::citizens::submission;
use crate::helpers::sunday_noon;
use crate::sync::{PASSWORD, app, envelope, register, review};

/// Field names the endpoints know, so mutations hit real fields as well as
/// unknown ones.
const KEYS: [&str; 16] = [
    "kind",
    "id",
    "device",
    "author",
    "made_at",
    "clock_offset_ms",
    "registration",
    "case_files",
    "note",
    "reason",
    "deputy",
    "summary",
    "meeting",
    "attendee",
    "door",
    "form",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        prop::collection::vec(any::<char>(), 2000..4000)
            .prop_map(|cs| Value::String(cs.into_iter().collect())),
        Just(json!("9999-12-31T23:59:59Z")),
        Just(json!("review_registration")),
        Just(json!("check_in")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..6).prop_map(
                |pairs| {
                    Value::Object(
                        pairs
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect::<Map<_, _>>(),
                    )
                }
            ),
        ]
    })
}

/// A valid body with one field (at the top or one level down) replaced.
fn mutated(valid: Value) -> impl Strategy<Value = Value> {
    let paths: Vec<(String, Option<String>)> = match &valid {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, value)| {
                let nested: Vec<(String, Option<String>)> = match value {
                    Value::Object(inner) => inner
                        .keys()
                        .map(|k| (key.clone(), Some(k.clone())))
                        .collect(),
                    _ => Vec::new(),
                };
                std::iter::once((key.clone(), None)).chain(nested)
            })
            .collect(),
        _ => vec![],
    };
    (prop::sample::select(paths), any_json()).prop_map(move |((key, inner), value)| {
        let mut body = valid.clone();
        match inner {
            None => body[key.as_str()] = value,
            Some(inner) => body[key.as_str()][inner.as_str()] = value,
        }
        body
    })
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 120,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn arbitrary_registration_bodies_are_answered_with_a_4xx_or_accepted_never_a_5xx() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(crate::helpers::TestApp::spawn_with(&[
        ("DIDAR_REGISTRATIONS_PER_HOUR", "1000000"),
        ("DIDAR_REGISTRATIONS_PER_PERSON_PER_HOUR", "1000000"),
    ]));
    let valid = serde_json::to_value(submission(1, 6, sunday_noon())).expect("JSON");
    let bodies = prop_oneof![any_json(), mutated(valid)];
    runner()
        .run(&bodies, |body| {
            let status =
                runtime.block_on(async { app.post("/api/registrations", &body).await.status() });
            prop_assert!(status.as_u16() < 500, "{status} for {body}");
            Ok(())
        })
        .expect("no registration body makes the server fail");
    let health = runtime.block_on(app.get("/api/health").into_future());
    assert_eq!(health.status(), 200);
}

#[test]
fn arbitrary_push_bodies_get_a_4xx_or_a_result_per_command_never_a_5xx() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(app());
    let id = runtime.block_on(register(&app, 1, 6));
    let session = runtime.block_on(app.session("review6", PASSWORD));
    let valid = serde_json::to_value(envelope(&session, review(&id, "یادداشت"))).expect("JSON");
    let commands = prop::collection::vec(prop_oneof![any_json(), mutated(valid)], 0..4);
    let bodies = prop_oneof![
        1 => any_json(),
        3 => commands.prop_map(|commands| json!({ "commands": commands })),
    ];
    runner()
        .run(&bodies, |body| {
            let (status, answer) = runtime.block_on(async {
                let response = app
                    .call(reqwest::Method::POST, "/api/sync/push")
                    .by(&session)
                    .json(&body)
                    .await;
                let status = response.status();
                (
                    status,
                    response
                        .into_inner()
                        .json::<Value>()
                        .await
                        .unwrap_or(Value::Null),
                )
            });
            prop_assert!(status.as_u16() < 500, "{status} for {body}");
            if status == 200 {
                let sent = body["commands"].as_array().map_or(0, Vec::len);
                prop_assert_eq!(answer["results"].as_array().map_or(0, Vec::len), sent);
            } else {
                prop_assert!(
                    answer["error"]["code"].is_string(),
                    "our error shape: {answer}"
                );
            }
            Ok(())
        })
        .expect("no push makes the server fail");
    let health = runtime.block_on(app.get("/api/health").into_future());
    assert_eq!(health.status(), 200);
}
