//! Who may call what, for every endpoint, from one table: anonymous, the
//! wrong role, the right role in the wrong district, and the right role in
//! the right district. A test reads the server's source for its routes, so
//! an endpoint cannot be added without its row here.

use domain::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp, grant};

#[derive(Clone, Copy, Debug)]
enum Needs {
    /// Open to citizens (rate-limited instead).
    Public,
    /// Any signed-in staff member.
    AnyStaff,
    /// The administrator role, for all districts.
    Admin,
}

struct Endpoint {
    method: Method,
    /// As routed, with `{…}` placeholders.
    route: &'static str,
    /// As called in the test.
    path: &'static str,
    body: Option<fn() -> Value>,
    needs: Needs,
}

fn endpoints() -> Vec<Endpoint> {
    use Needs::*;
    let row = |method, route, path, body, needs| Endpoint {
        method,
        route,
        path,
        body,
        needs,
    };
    vec![
        row(Method::GET, "/health", "/api/health", None, Public),
        row(
            Method::GET,
            "/registrations/options",
            "/api/registrations/options",
            None,
            Public,
        ),
        row(
            Method::POST,
            "/registrations",
            "/api/registrations",
            Some(|| json!({})),
            Public,
        ),
        row(
            Method::POST,
            "/registrations/lookup",
            "/api/registrations/lookup",
            Some(|| json!({"tracking_code": "", "mobile": ""})),
            Public,
        ),
        row(
            Method::POST,
            "/auth/sign-in",
            "/api/auth/sign-in",
            Some(|| json!({"username": "calls6", "password": PASSWORD})),
            Public,
        ),
        row(Method::GET, "/auth/me", "/api/auth/me", None, AnyStaff),
        row(
            Method::POST,
            "/auth/sign-out-others",
            "/api/auth/sign-out-others",
            None,
            AnyStaff,
        ),
        row(
            Method::POST,
            "/auth/sign-out",
            "/api/auth/sign-out",
            None,
            AnyStaff,
        ),
        row(Method::GET, "/admin/users", "/api/admin/users", None, Admin),
        row(
            Method::POST,
            "/admin/users",
            "/api/admin/users",
            Some(|| {
                json!({
                    "username": "newcomer", "display_name": "مریم رضایی", "password": "a long enough pass phrase",
                    "grants": [{"role": "field_staff", "district": 6}]
                })
            }),
            Admin,
        ),
        row(
            Method::POST,
            "/admin/users/{id}/disable",
            "/api/admin/users/unknown-id/disable",
            None,
            Admin,
        ),
        row(
            Method::POST,
            "/admin/users/{id}/password",
            "/api/admin/users/unknown-id/password",
            Some(|| json!({"password": "another long pass phrase"})),
            Admin,
        ),
        row(
            Method::GET,
            "/admin/devices",
            "/api/admin/devices",
            None,
            Admin,
        ),
        row(
            Method::POST,
            "/admin/devices/{id}/revoke",
            "/api/admin/devices/unknown-id/revoke",
            None,
            Admin,
        ),
        row(Method::GET, "/admin/audit", "/api/admin/audit", None, Admin),
        row(
            Method::PUT,
            "/admin/districts/{id}",
            "/api/admin/districts/6",
            Some(|| json!({"name_fa": "منطقهٔ ۶", "name_en": "District 6"})),
            Admin,
        ),
        row(
            Method::PUT,
            "/admin/deputies/{slug}",
            "/api/admin/deputies/services",
            Some(|| json!({"name_fa": "معاونت خدمات شهری", "name_en": "Urban services"})),
            Admin,
        ),
        row(
            Method::GET,
            "/admin/meetings",
            "/api/admin/meetings",
            None,
            Admin,
        ),
        row(
            Method::POST,
            "/admin/meetings",
            "/api/admin/meetings",
            Some(|| {
                json!({
                    "district": 6, "starts_at": "2026-12-01T06:30:00Z", "venue": "سالن اجتماعات منطقهٔ ۶",
                    "capacity": 150, "citizen_quota": 100, "trustee_quota": 30
                })
            }),
            Admin,
        ),
        row(
            Method::PUT,
            "/admin/meetings/{id}",
            "/api/admin/meetings/no-such-meeting",
            Some(|| {
                json!({
                    "district": 6, "starts_at": "2026-12-01T06:30:00Z", "venue": "فرهنگسرا",
                    "capacity": 150, "citizen_quota": 100, "trustee_quota": 30
                })
            }),
            Admin,
        ),
        row(
            Method::GET,
            "/admin/meetings/{id}/staff",
            "/api/admin/meetings/no-such-meeting/staff",
            None,
            Admin,
        ),
        row(
            Method::PUT,
            "/admin/meetings/{id}/staff",
            "/api/admin/meetings/no-such-meeting/staff",
            Some(|| json!({ "users": [] })),
            Admin,
        ),
        row(Method::GET, "/admin/sms", "/api/admin/sms", None, Admin),
        row(
            Method::GET,
            "/admin/trustees/{district}",
            "/api/admin/trustees/6",
            None,
            Admin,
        ),
        row(
            Method::POST,
            "/admin/trustees/{district}",
            "/api/admin/trustees/6",
            Some(|| json!({})),
            Admin,
        ),
        row(
            Method::POST,
            "/admin/case-files/{district}",
            "/api/admin/case-files/6",
            Some(|| json!({})),
            Admin,
        ),
        row(
            Method::GET,
            "/admin/registration-window",
            "/api/admin/registration-window",
            None,
            Admin,
        ),
        row(
            Method::PUT,
            "/admin/registration-window",
            "/api/admin/registration-window",
            Some(|| {
                json!({
                    "opens_on": "Sat", "opens_at": "00:00:00", "closes_on": "Tue", "closes_at": "23:59:00", "grace_hours": 24
                })
            }),
            Admin,
        ),
        // The sync endpoints admit any staff member; what each may push
        // and pull is decided per command and per scope (tests in `sync`).
        row(
            Method::POST,
            "/sync/push",
            "/api/sync/push",
            Some(|| json!({"commands": []})),
            AnyStaff,
        ),
        row(Method::GET, "/sync/pull", "/api/sync/pull", None, AnyStaff),
        // Photos of documents: which attendee's, and who may read them,
        // is decided per photo (tests in `checkin`).
        row(
            Method::PUT,
            "/photos/{id}",
            "/api/photos/no-such-photo?attendee=no-such-attendee",
            Some(|| json!({})),
            AnyStaff,
        ),
        row(
            Method::GET,
            "/photos/{id}",
            "/api/photos/no-such-photo",
            None,
            AnyStaff,
        ),
        // The call centre's claims: whose, and in which district, is
        // decided per roster place and meeting (tests in `calls`).
        row(
            Method::POST,
            "/calls/{attendee}/claim",
            "/api/calls/no-such-attendee/claim",
            None,
            AnyStaff,
        ),
        row(
            Method::DELETE,
            "/calls/{attendee}/claim",
            "/api/calls/no-such-attendee/claim",
            None,
            AnyStaff,
        ),
        row(
            Method::GET,
            "/calls/claims",
            "/api/calls/claims?meeting=no-such-meeting",
            None,
            AnyStaff,
        ),
    ]
}

async fn call(app: &TestApp, endpoint: &Endpoint, session: Option<&Session>) -> u16 {
    let mut call = app.call(endpoint.method.clone(), endpoint.path);
    if let Some(session) = session {
        call = call.by(session);
    }
    if let Some(body) = endpoint.body {
        call = call.json(&body());
    }
    call.await.status().as_u16()
}

#[tokio::test]
async fn every_endpoint_admits_exactly_whom_its_row_says() {
    let app = TestApp::spawn().await;
    app.create_user("admin", PASSWORD, &[grant(Role::Administrator, None)])
        .await;
    app.create_user("calls6", PASSWORD, &[grant(Role::CallCenter, Some(6))])
        .await;
    app.create_user(
        "review7",
        PASSWORD,
        &[grant(Role::ReviewCommittee, Some(7))],
    )
    .await;
    let admin = app.session("admin", PASSWORD).await;
    let district_role = app.session("review7", PASSWORD).await;
    let mut wrong_role = app.session("calls6", PASSWORD).await;
    let mut signed_out = false;
    for endpoint in endpoints() {
        // A row open to any staff may have signed its session out: the
        // next row gets a fresh one. (Signing in for every row would meet
        // the per-address sign-in limit.)
        if signed_out {
            wrong_role = app.session("calls6", PASSWORD).await;
        }
        signed_out = matches!(endpoint.needs, Needs::AnyStaff);
        let name = format!("{} {}", endpoint.method, endpoint.path);
        let anonymous = call(&app, &endpoint, None).await;
        let allowed = |status: u16| status != 401 && status != 403;
        match endpoint.needs {
            Needs::Public => assert!(allowed(anonymous), "{name}: anonymous got {anonymous}"),
            Needs::AnyStaff => {
                assert_eq!(anonymous, 401, "{name}: anonymous");
                let status = call(&app, &endpoint, Some(&wrong_role)).await;
                assert!(allowed(status), "{name}: any staff got {status}");
            }
            Needs::Admin => {
                assert_eq!(anonymous, 401, "{name}: anonymous");
                assert_eq!(
                    call(&app, &endpoint, Some(&wrong_role)).await,
                    403,
                    "{name}: wrong role"
                );
                assert_eq!(
                    call(&app, &endpoint, Some(&district_role)).await,
                    403,
                    "{name}: wrong role"
                );
                let status = call(&app, &endpoint, Some(&admin)).await;
                assert!(allowed(status), "{name}: administrator got {status}");
            }
        }
    }
}

/// Every `.route("…", method(…))` in the server's source, as "METHOD /path".
fn routes_in_source() -> Vec<String> {
    let mut routes = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("source directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source file");
            let compact: String = text.split_whitespace().collect();
            for part in compact.split(".route(\"").skip(1) {
                let Some((route, rest)) = part.split_once('"') else {
                    continue;
                };
                // The handlers end where the `.route(…)` call closes.
                let handlers = rest.split("))").next().unwrap_or(rest);
                for method in ["get", "post", "put", "patch", "delete"] {
                    if handlers.contains(&format!("{method}(")) {
                        routes.push(format!("{} {route}", method.to_uppercase()));
                    }
                }
            }
        }
    }
    routes.sort();
    routes
}

#[test]
fn every_route_in_the_source_has_a_row_in_the_access_table() {
    let mut table: Vec<String> = endpoints()
        .iter()
        .map(|endpoint| format!("{} {}", endpoint.method, endpoint.route))
        .collect();
    table.sort();
    assert_eq!(routes_in_source(), table);
}
