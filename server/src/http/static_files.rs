//! The built client from `dist/` (see `cargo xtask dist`): precompressed
//! brotli or gzip when the browser accepts it, a year's cache for
//! content-hashed files, revalidation for the few fixed names (`/`,
//! `sw.js`, the manifest), and the app shell for every client-side route:
//! `field.html` (a field device's bundle) at /staff, /staff/sign-in and
//! /staff/checkin…, `staff.html` (the whole app) at the other /staff
//! addresses, `index.html` (the citizens' bundle) elsewhere.

use std::convert::Infallible;
use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// The service worker is never stored by the HTTP cache: revalidating it by
/// `Last-Modified` (one-second resolution) can miss a release deployed
/// within the same second, and the browser's update check must see every
/// release.
const NEVER_STORE: &str = "no-store";

pub fn service(dist: &Path) -> Router {
    let shell = |name: &str| {
        ServeFile::new(dist.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    let (citizens, field, staff) = (
        shell("index.html"),
        shell("field.html"),
        shell("staff.html"),
    );
    let routes = tower::service_fn(move |request: Request| {
        let shell = match shell_for(request.uri().path()) {
            Shell::Citizens => citizens.clone(),
            Shell::Field => field.clone(),
            Shell::Staff => staff.clone(),
        };
        async move {
            if looks_like_a_file(request.uri().path()) {
                return Ok::<_, Infallible>(ApiError::NotFound.into_response());
            }
            let response = shell.oneshot(request).await?;
            Ok(response.into_response())
        }
    });
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(routes);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

#[derive(Debug, PartialEq, Eq)]
enum Shell {
    Citizens,
    Field,
    Staff,
}

/// Which bundle a client route starts: a field device's screens (sign-in,
/// the staff home, the door — DESIGN §7 budgets them apart), the whole app
/// for the other staff screens, the citizens' smaller one everywhere else.
/// The service worker decides the same way (`public/sw.js`, `shellFor`).
fn shell_for(path: &str) -> Shell {
    let Some(rest) = path.strip_prefix("/staff") else {
        return Shell::Citizens;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return Shell::Citizens;
    }
    match rest.split('/').nth(1).unwrap_or_default() {
        "" | "sign-in" | "checkin" => Shell::Field,
        _ => Shell::Staff,
    }
}

/// A missing `/x.js` is a 404, not the app shell: serving HTML where a
/// script was expected only hides the broken reference.
fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// `cargo xtask dist` names immutable files `stem-<16 hex digits>.ext`.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let policy = if is_content_hashed(path) {
        IMMUTABLE
    } else if path == "/sw.js" {
        NEVER_STORE
    } else {
        REVALIDATE
    };
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_sixteen_digit_hash_count_as_immutable() {
        assert!(is_content_hashed("/didar_bg-0123456789abcdef.wasm"));
        assert!(is_content_hashed(
            "/fonts/Vazirmatn-Bold-0123456789abcdef.woff2"
        ));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/fonts/Vazirmatn-Bold.woff2"));
        assert!(!is_content_hashed("/staff/sign-in"));
    }

    #[test]
    fn a_field_devices_screens_get_its_shell_and_other_staff_screens_the_whole_app() {
        for path in [
            "/staff",
            "/staff/",
            "/staff/sign-in",
            "/staff/checkin",
            "/staff/checkin/door/m1",
        ] {
            assert_eq!(shell_for(path), Shell::Field, "{path}");
        }
        for path in ["/staff/review", "/staff/admin/meetings", "/staff/checkinx"] {
            assert_eq!(shell_for(path), Shell::Staff, "{path}");
        }
        for path in ["/staffing", "/register", "/"] {
            assert_eq!(shell_for(path), Shell::Citizens, "{path}");
        }
    }

    #[test]
    fn client_routes_are_not_mistaken_for_files() {
        assert!(!looks_like_a_file("/staff/sign-in"));
        assert!(!looks_like_a_file("/"));
        assert!(looks_like_a_file("/missing.js"));
    }
}
