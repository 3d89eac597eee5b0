//! The build pipeline from the app crate to `dist/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::assets::Bundle;
use crate::sizes;

/// The wasm-opt we accept: npm `binaryen` 132 or newer. Debian's 108 exits 0
/// yet produces a module that fails at start with
/// `WebAssembly.Table.set(): Argument 1 is invalid for table`.
const MIN_WASM_OPT_VERSION: u32 = 116;

/// The three bundles built from the app crate (DESIGN §7 budgets each):
/// what a citizen's phone downloads (home, registration, lookup); what a
/// field device downloads for meeting day (sign-in, the staff home, sync,
/// the door), served at /staff, /staff/sign-in and /staff/checkin…; and
/// the whole app with every staff screen, served at the other /staff
/// addresses.
#[derive(Clone, Copy)]
pub struct Variant {
    /// The file stem: `didar.js`, `didar_bg.wasm`, …
    pub name: &'static str,
    /// The app crate's features: none, `field`, or the default (`staff`).
    pub features: Option<&'static str>,
    /// The page that starts it (`data-bundle` on its `<html>`), beside
    /// `index.html`'s citizens' bundle.
    pub page: Option<(&'static str, &'static str)>,
}

pub const CITIZEN: Variant = Variant {
    name: "didar",
    features: Some(""),
    page: None,
};
pub const FIELD: Variant = Variant {
    name: "didar-field",
    features: Some("field"),
    page: Some(("field.html", "field")),
};
pub const STAFF: Variant = Variant {
    name: "didar-staff",
    features: None,
    page: Some(("staff.html", "staff")),
};
const VARIANTS: [Variant; 3] = [CITIZEN, FIELD, STAFF];

/// The door's QR decoder (`scan/`), a module of its own that a worker
/// loads when the camera opens in a browser without `BarcodeDetector`.
const SCANNER: &str = "didar-scan";

/// The fonts shipped with the app (SIL OFL 1.1, its licence goes along), as
/// (file in the npm package, name served). The package's "Non-Latin" cut has
/// the Arabic-script glyphs only, 22 KB a weight instead of 51 KB: Latin text
/// (English, tracking codes) falls back to the phone's own sans-serif, which
/// the stylesheet names next, and a slow network carries half the bytes
/// before the first screen.
const FONTS: [(&str, &str); 2] = [
    ("Vazirmatn-NL-Regular.woff2", "Vazirmatn-Regular.woff2"),
    ("Vazirmatn-NL-Bold.woff2", "Vazirmatn-Bold.woff2"),
];

pub struct Options {
    out: PathBuf,
    wasm_opt: bool,
}

impl Options {
    pub fn from_args(args: &[String]) -> Result<Self> {
        let mut options = Options {
            out: workspace_root().join("dist"),
            wasm_opt: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--out" => {
                    let dir = args.next().context("--out needs a directory")?;
                    options.out = PathBuf::from(dir);
                }
                "--skip-wasm-opt" => options.wasm_opt = false,
                other => bail!("unknown option {other}"),
            }
        }
        Ok(options)
    }
}

pub fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let staging = root.join("target").join("xtask-staging");
    recreate_dir(&staging)?;
    for variant in VARIANTS {
        let wasm = build_wasm(&root, "didar-app", variant.features)?;
        prepare_module(
            &root,
            &wasm,
            &staging.join(variant.name),
            variant.name,
            options,
        )?;
    }
    let scanner = build_wasm(&root, SCANNER, Some(""))?;
    prepare_module(&root, &scanner, &staging.join(SCANNER), SCANNER, options)?;

    recreate_dir(&options.out)?;
    let mut bundle = Bundle::new(&options.out);
    // Leaves first, so the files that name them can be rewritten.
    for variant in VARIANTS {
        let out = staging.join(variant.name);
        let module = format!("{}_bg.wasm", variant.name);
        let glue = format!("{}.js", variant.name);
        bundle.add_hashed(&out.join(&module), &module)?;
        bundle.add_hashed(&out.join(&glue), &glue)?;
        add_snippets(&mut bundle, &out.join("snippets"), "snippets")?;
    }
    let scanner = staging.join(SCANNER);
    for file in [format!("{SCANNER}_bg.wasm"), format!("{SCANNER}.js")] {
        bundle.add_hashed(&scanner.join(&file), &file)?;
    }
    // Named from inside the field bundle's glue and by the worker's URL:
    // their names stay (and are revalidated).
    for script in ["scan-worker.js", "scan.js", "photo.js"] {
        let staged = staging.join(script);
        minify(&root, &root.join("public").join(script), &staged)?;
        bundle.add_rewritten_plain(&staged, script)?;
    }
    let fonts = root.join("node_modules/vazirmatn/misc/Non-Latin/fonts/webfonts");
    for (file, served) in FONTS {
        bundle.add_hashed(&fonts.join(file), &format!("fonts/{served}"))?;
    }
    bundle.add_plain(
        &root.join("node_modules/vazirmatn/OFL.txt"),
        "fonts/OFL.txt",
    )?;
    bundle.add_hashed(
        &root.join("public/icons/icon-192.png"),
        "icons/icon-192.png",
    )?;
    bundle.add_hashed(
        &root.join("public/icons/icon-512.png"),
        "icons/icon-512.png",
    )?;
    // The app names the logo from inside the wasm, where no rewriting
    // reaches: it keeps its name (and is revalidated, not cached for a year).
    bundle.add_plain(&root.join("public/icons/icon.svg"), "icons/icon.svg")?;
    let style = staging.join("style.css");
    minify(&root, &root.join("style/main.css"), &style)?;
    bundle.add_rewritten_hashed(&style, "style.css")?;
    let staff_style = staging.join(crate::assets::STAFF_STYLE);
    minify(&root, &root.join("style/staff.css"), &staff_style)?;
    bundle.add_rewritten_hashed(&staff_style, crate::assets::STAFF_STYLE)?;
    let boot = staging.join("boot.js");
    minify(&root, &root.join("public/boot.js"), &boot)?;
    bundle.add_rewritten_hashed(&boot, "boot.js")?;
    bundle.add_rewritten_plain(
        &root.join("public/manifest.webmanifest"),
        "manifest.webmanifest",
    )?;
    bundle.add_rewritten_plain(&root.join("public/index.html"), "index.html")?;
    for variant in VARIANTS {
        if let Some((page, name)) = variant.page {
            bundle.add_bundle_page(&root.join("public/index.html"), variant.name, page, name)?;
        }
    }
    bundle.write_service_worker(&root.join("public/sw.js"), "sw.js")?;
    bundle.precompress()?;

    let report = sizes::measure(&bundle)?;
    report.print();
    report.write(&options.out.join("sizes.json"))?;
    Ok(())
}

fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A module's glue made, minified, and the module optimised.
fn prepare_module(
    root: &Path,
    wasm: &Path,
    out: &Path,
    name: &str,
    options: &Options,
) -> Result<()> {
    bindgen(wasm, out, name)?;
    let glue = out.join(format!("{name}.js"));
    minify(root, &glue, &glue)?;
    if options.wasm_opt {
        wasm_opt(root, &out.join(format!("{name}_bg.wasm")))?;
    }
    Ok(())
}

/// Builds `package` for wasm32 with `features` (`None`: its defaults).
fn build_wasm(root: &Path, package: &str, features: Option<&str>) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args([
        "build",
        "--package",
        package,
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]);
    if let Some(features) = features {
        command.arg("--no-default-features");
        if !features.is_empty() {
            command.args(["--features", features]);
        }
    }
    let status = command
        .status()
        .with_context(|| format!("running cargo build for {package}"))?;
    if !status.success() {
        bail!("building {package} for wasm32 failed");
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    // A library's module is named with underscores, a binary's as is.
    let file = if package == "didar-app" {
        package.to_string()
    } else {
        package.replace('-', "_")
    };
    Ok(target_dir.join(format!("wasm32-unknown-unknown/wasm-release/{file}.wasm")))
}

fn bindgen(wasm: &Path, out: &Path, name: &str) -> Result<()> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)?
        .typescript(false)
        .out_name(name)
        .generate(out)
        .context("wasm-bindgen")
}

fn wasm_opt(root: &Path, module: &Path) -> Result<()> {
    let tool = root.join("node_modules/.bin/wasm-opt");
    let version = Command::new(&tool)
        .arg("--version")
        .output()
        .with_context(|| format!("{} missing: run `npm ci` first", tool.display()))?;
    let version = String::from_utf8_lossy(&version.stdout);
    let number: u32 = version
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .and_then(|part| part.parse().ok())
        .unwrap_or(0);
    if number < MIN_WASM_OPT_VERSION {
        bail!("wasm-opt {number} is too old (it breaks the module); need npm binaryen ≥ 132");
    }
    let status = Command::new(&tool)
        .arg(module)
        // Leptos always links server_fn, whose wasm-streams dependency
        // exports three stream classes to JS for streaming server-function
        // bodies. Didar calls no server functions (the app talks to its
        // own JSON API), so nothing uses them: dropping the exports lets
        // -Oz remove their code (1 KB brotli on a citizen's phone).
        .arg("--remove-exports=intounderlying*")
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        // The features rustc enables by default for wasm32-unknown-unknown.
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg("-o")
        .arg(module)
        .status()
        .context("running wasm-opt")?;
    if !status.success() {
        bail!("wasm-opt failed");
    }
    Ok(())
}

/// Minifies a script (npm terser) or a stylesheet (npm csso) from `source`
/// into `destination`: wasm-bindgen's glue, boot.js and the stylesheet are
/// written to be read, and a third of their compressed size is names,
/// comments and spaces (2.7 KB brotli of a citizen's download).
fn minify(root: &Path, source: &Path, destination: &Path) -> Result<()> {
    let status = Command::new("node")
        .arg(root.join("xtask/minify.mjs"))
        .arg(source)
        .arg(destination)
        .status()
        .context("running node xtask/minify.mjs (npm ci first)")?;
    if !status.success() {
        bail!("minifying {} failed", source.display());
    }
    Ok(())
}

/// Inline JS that crates attach with `#[wasm_bindgen(module = …)]` lands in
/// `snippets/`, imported relative to the glue: it keeps its path.
fn add_snippets(bundle: &mut Bundle, dir: &Path, logical: &str) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{logical}/{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            add_snippets(bundle, &entry.path(), &name)?;
        } else {
            bundle.add_plain(&entry.path(), &name)?;
        }
    }
    Ok(())
}

fn recreate_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}
