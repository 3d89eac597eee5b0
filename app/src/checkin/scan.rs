//! The door's QR scanner: the citizen's receipt QR (their tracking code)
//! read by the device's camera — `public/scan.js`, which uses the
//! browser's `BarcodeDetector` or a wasm decoder in a worker. The camera
//! is asked for only when the door opens the scanner, and released when it
//! closes or the screen is left. Typing the code in the search box always
//! works as well.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{tr, use_lang};

#[wasm_bindgen(raw_module = "/scan.js")]
extern "C" {
    /// Resolves to a handle with `stop()`, or null when the camera could
    /// not be used (then `on_problem` was called with the error's name).
    #[wasm_bindgen(js_name = startScan)]
    fn start_scan(
        video: &web_sys::HtmlVideoElement,
        on_code: &js_sys::Function,
        on_problem: &js_sys::Function,
    ) -> js_sys::Promise;
}

/// What keeps a scan running: the camera's handle and the callbacks the
/// script holds.
struct Running {
    handle: Option<JsValue>,
    _callbacks: [Closure<dyn FnMut(String)>; 2],
}

impl Running {
    fn stop(self) {
        if let Some(handle) = &self.handle {
            release(handle);
        }
    }
}

/// Stops a scan and releases the camera.
fn release(handle: &JsValue) {
    if let Ok(stop) = js_sys::Reflect::get(handle, &"stop".into())
        && let Some(stop) = stop.dyn_ref::<js_sys::Function>()
    {
        let _ = stop.call0(handle);
    }
}

#[component]
pub fn Scanner(on_code: Callback<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let video = NodeRef::<html::Video>::new();
    let running = StoredValue::new_local(None::<Running>);
    // A scan still starting keeps its callbacks until its task has the
    // camera's handle to release: the script may call them until then.
    let stop = move || {
        let started = running
            .try_with_value(|scan| scan.as_ref().map(|scan| scan.handle.is_some()))
            .flatten();
        if started == Some(true)
            && let Some(scan) = running.try_update_value(Option::take).flatten()
        {
            scan.stop();
        }
    };
    let start = move |element: web_sys::HtmlVideoElement| {
        let lang = use_lang();
        let on_code_js = Closure::<dyn FnMut(String)>::new(move |text: String| on_code.run(text));
        let on_problem_js = Closure::<dyn FnMut(String)>::new(move |name: String| {
            problem.try_set(Some(camera_problem(&name, lang.get_untracked())));
            // Closing drops this callback: not while it runs.
            leptos::task::spawn_local(async move {
                open.try_set(false);
            });
        });
        let promise = start_scan(
            &element,
            on_code_js.as_ref().unchecked_ref(),
            on_problem_js.as_ref().unchecked_ref(),
        );
        running.set_value(Some(Running {
            handle: None,
            _callbacks: [on_code_js, on_problem_js],
        }));
        leptos::task::spawn_local(async move {
            let handle = JsFuture::from(promise).await.ok().filter(|h| !h.is_null());
            // Closed (or the screen left) while the camera was starting.
            if !open.try_get_untracked().unwrap_or(false) {
                if let Some(handle) = &handle {
                    release(handle);
                }
                running.try_update_value(Option::take);
                return;
            }
            running.try_update_value(|scan| {
                if let Some(scan) = scan {
                    scan.handle = handle;
                }
            });
        });
    };
    Effect::new(move || {
        if open.get() {
            if let Some(element) = video.get() {
                problem.set(None);
                start(element);
            }
        } else {
            stop();
        }
    });
    on_cleanup(stop);
    view! {
        <section class="card door-scan" aria-labelledby="scan-title">
            <h2 id="scan-title" class="visually-hidden">{tr("اسکن کد QR", "Scan a QR code")}</h2>
            <button class="button button-secondary" type="button" data-testid="scan-toggle"
                aria-pressed=move || open.get().to_string()
                on:click=move |_| open.update(|open| *open = !*open)>
                {move || if open.get() {
                    tr("بستن دوربین", "Close the camera")().to_string()
                } else {
                    tr("اسکن کد QR رسید", "Scan the receipt's QR code")().to_string()
                }}
            </button>
            <video class="scan-video" node_ref=video data-testid="scan-video" muted=true playsinline=true
                hidden=move || !open.get()></video>
            {move || problem.get().map(|text| view! { <p class="warning" role="alert" data-testid="scan-problem">{text}</p> })}
        </section>
    }
}

/// Why the camera cannot be used, and what to do instead.
fn camera_problem(name: &str, lang: domain::i18n::Lang) -> String {
    use domain::i18n::Lang;
    let why = match (name, lang) {
        ("NotAllowedError" | "SecurityError", Lang::Fa) => {
            "اجازهٔ استفاده از دوربین داده نشد؛ آن را در تنظیمات مرورگر برای این سامانه روشن کنید."
        }
        ("NotAllowedError" | "SecurityError", Lang::En) => {
            "Camera access was not allowed; turn it on for this site in the browser's settings."
        }
        ("NotFoundError" | "OverconstrainedError", Lang::Fa) => "دوربینی روی این دستگاه پیدا نشد.",
        ("NotFoundError" | "OverconstrainedError", Lang::En) => {
            "No camera was found on this device."
        }
        (_, Lang::Fa) => "دوربین باز نشد؛ شاید برنامهٔ دیگری از آن استفاده می‌کند.",
        (_, Lang::En) => "The camera did not open; another app may be using it.",
    };
    match lang {
        Lang::Fa => format!("{why} کد رهگیری را در جست‌وجو بنویسید."),
        Lang::En => format!("{why} Type the tracking code in the search box instead."),
    }
}
