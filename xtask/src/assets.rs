//! The files of the bundle: content-hashed names for everything immutable,
//! references rewritten in the files that name them, the service worker's
//! precache list, and precompressed copies for the server to send as they are.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// File types worth compressing; fonts (woff2) and PNGs already are.
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "js",
    "css",
    "wasm",
    "webmanifest",
    "svg",
    "txt",
    "json",
];

/// One file in the bundle, by its URL path (no leading slash).
pub struct Shipped {
    pub url_path: String,
    /// The name the sources use for it, before hashing.
    pub logical: String,
}

pub struct Bundle {
    out: PathBuf,
    pub files: Vec<Shipped>,
}

impl Bundle {
    pub fn new(out: &Path) -> Self {
        Bundle {
            out: out.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// Copies an immutable file under a name carrying its content hash, so
    /// the server can let browsers cache it for a year.
    pub fn add_hashed(&mut self, source: &Path, logical: &str) -> Result<()> {
        let bytes = read(source)?;
        self.write_hashed(&bytes, logical)
    }

    /// Copies a file whose name must stay stable (the licence text).
    pub fn add_plain(&mut self, source: &Path, logical: &str) -> Result<()> {
        let bytes = read(source)?;
        self.write(logical, logical, &bytes)
    }

    /// A text file that names other files: references are rewritten to the
    /// hashed names first, then the result is hashed itself.
    pub fn add_rewritten_hashed(&mut self, source: &Path, logical: &str) -> Result<()> {
        let text = self.rewrite(&read_text(source)?);
        self.write_hashed(text.as_bytes(), logical)
    }

    /// A text file at a fixed URL (index.html, the manifest) that names
    /// hashed files.
    pub fn add_rewritten_plain(&mut self, source: &Path, logical: &str) -> Result<()> {
        let text = self.rewrite(&read_text(source)?);
        self.write(logical, logical, text.as_bytes())
    }

    /// A staff bundle's page: `index.html` naming the bundle `stem`, marked
    /// `data-bundle="{name}"` so `boot.js` starts that one.
    pub fn add_bundle_page(
        &mut self,
        index: &Path,
        stem: &str,
        logical: &str,
        name: &str,
    ) -> Result<()> {
        // The staff screens' stylesheet after everyone's.
        let text = read_text(index)?
            .replace(
                "<link rel=\"stylesheet\" href=\"/style.css\">",
                &format!(
                    "<link rel=\"stylesheet\" href=\"/style.css\">\n  <link rel=\"stylesheet\" href=\"/{STAFF_STYLE}\">"
                ),
            )
            .replace("/didar.js", &format!("/{stem}.js"))
            .replace("/didar_bg.wasm", &format!("/{stem}_bg.wasm"))
            .replace("<html ", &format!("<html data-bundle=\"{name}\" "));
        let text = self.rewrite(&text);
        self.write(logical, logical, text.as_bytes())
    }

    /// The service worker gets the list of every file to precache and a
    /// version derived from their contents: any change to the app yields a
    /// new worker, which is what makes the browser offer the update.
    pub fn write_service_worker(&mut self, source: &Path, logical: &str) -> Result<()> {
        // The citizens' shell is precached on every device; each staff
        // bundle only where its screens are used (see sw.js).
        let mut shell: Vec<String> = vec!["/".to_string()];
        let mut field: Vec<String> = Vec::new();
        let mut staff: Vec<String> = Vec::new();
        let mut version = Sha256::new();
        for file in &self.files {
            if file.url_path == "index.html" {
                continue; // precached as "/", the navigation fallback
            }
            let url = format!("/{}", file.url_path);
            match shipped_in(&file.logical) {
                Owner::Citizens => shell.push(url),
                Owner::Field => field.push(url),
                Owner::Staff => staff.push(url),
                Owner::AnyStaff => {
                    field.push(url.clone());
                    staff.push(url);
                }
            }
        }
        for file in &self.files {
            version.update(file.url_path.as_bytes());
            version.update(read(&self.out.join(&file.url_path))?);
        }
        let version = hex(&version.finalize())[..16].to_string();
        let text = read_text(source)?
            .replace("self.__PRECACHE__", &serde_json::to_string(&shell)?)
            .replace("self.__FIELD__", &serde_json::to_string(&field)?)
            .replace("self.__STAFF__", &serde_json::to_string(&staff)?)
            .replace("__VERSION__", &version);
        self.write(logical, logical, text.as_bytes())
    }

    /// Brotli and gzip copies beside each compressible file: compressing a
    /// 200 KB module at the best level on every request would cost the
    /// server more than serving it.
    pub fn precompress(&self) -> Result<()> {
        for file in &self.files {
            if !is_compressible(&file.url_path) {
                continue;
            }
            let path = self.out.join(&file.url_path);
            let bytes = read(&path)?;
            std::fs::write(with_suffix(&path, "br"), brotli_bytes(&bytes)?)?;
            std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&bytes)?)?;
        }
        Ok(())
    }

    pub fn path_of(&self, file: &Shipped) -> PathBuf {
        self.out.join(&file.url_path)
    }

    fn write_hashed(&mut self, bytes: &[u8], logical: &str) -> Result<()> {
        let digest = hex(&Sha256::digest(bytes));
        let url_path = hashed_name(logical, &digest[..16]);
        self.write(logical, &url_path, bytes)
    }

    fn write(&mut self, logical: &str, url_path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.out.join(url_path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
        self.files.push(Shipped {
            url_path: url_path.to_string(),
            logical: logical.to_string(),
        });
        Ok(())
    }

    fn rewrite(&self, text: &str) -> String {
        self.files.iter().fold(text.to_string(), |text, file| {
            text.replace(
                &format!("/{}", file.logical),
                &format!("/{}", file.url_path),
            )
        })
    }
}

/// Whose files a shipped file is: a staff bundle's module, glue and page,
/// or the citizens' and everyone's (fonts, icons, the stylesheet…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Citizens,
    Field,
    Staff,
    /// Loaded by both staff bundles' pages (their stylesheet).
    AnyStaff,
}

/// The staff screens' stylesheet (`style/staff.css`): the citizens'
/// pages never download it.
pub const STAFF_STYLE: &str = "staff.css";

pub fn shipped_in(logical: &str) -> Owner {
    if logical == STAFF_STYLE {
        Owner::AnyStaff
    } else if logical.starts_with("didar-staff") || logical == "staff.html" {
        Owner::Staff
    } else if logical.starts_with("didar-field")
        || logical == "field.html"
        || logical.starts_with("didar-scan")
        || logical.starts_with("scan")
        || logical == "photo.js"
    {
        Owner::Field
    } else {
        Owner::Citizens
    }
}

/// `fonts/Vazirmatn-Bold.woff2` → `fonts/Vazirmatn-Bold-0123abcd….woff2`.
fn hashed_name(logical: &str, digest: &str) -> String {
    match logical.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{digest}.{extension}"),
        None => format!("{logical}-{digest}"),
    }
}

pub fn is_compressible(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, extension)| COMPRESSIBLE.contains(&extension))
}

pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}
