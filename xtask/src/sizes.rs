//! What a phone downloads: the compressed size of the shell (HTML, JS,
//! WASM, CSS; fonts excluded as in DESIGN §7), against the budgets.

use std::path::Path;

use anyhow::Result;
use serde_json::json;

use crate::assets::{Bundle, Owner, brotli_bytes, shipped_in};

/// DESIGN §7: what a citizen downloads to register, what a field device
/// downloads for meeting day, and any other staff role.
const REGISTRATION_BUDGET: usize = 200 * 1024;
const FIELD_BUDGET: usize = 250 * 1024;
const APP_BUDGET: usize = 350 * 1024;

pub struct Report {
    rows: Vec<(String, usize, usize)>,
}

impl Report {
    /// What one bundle's pages download: its own files and everyone's
    /// (the stylesheet, boot.js…). The citizens' index.html and module are
    /// everyone's only for the citizens.
    fn brotli_of(&self, bundle: Owner) -> usize {
        self.rows
            .iter()
            .filter(|(path, _, _)| {
                let name = logical(path);
                match shipped_in(&name) {
                    Owner::Citizens if bundle == Owner::Citizens => true,
                    Owner::Citizens => !(name.starts_with("didar") || name == "index.html"),
                    Owner::AnyStaff => bundle != Owner::Citizens,
                    owner => owner == bundle,
                }
            })
            .map(|(_, _, brotli)| brotli)
            .sum()
    }

    pub fn print(&self) {
        println!("\nclient bundle (shell: HTML + JS + WASM + CSS, fonts excluded)");
        println!("{:<44} {:>10} {:>10}", "file", "raw B", "brotli B");
        for (path, raw, brotli) in &self.rows {
            println!("{path:<44} {raw:>10} {brotli:>10}");
        }
        for (label, total, budget) in [
            (
                "citizens' pages (/, /register, /track)",
                self.brotli_of(Owner::Citizens),
                REGISTRATION_BUDGET,
            ),
            (
                "field device: sign-in, home, the door",
                self.brotli_of(Owner::Field),
                FIELD_BUDGET,
            ),
            (
                "other staff screens, the whole app",
                self.brotli_of(Owner::Staff),
                APP_BUDGET,
            ),
        ] {
            println!(
                "{label:<44} {total:>21}  ({:.1} KB; budget ≤ {} KB){}",
                total as f64 / 1024.0,
                budget / 1024,
                if total > budget { "  OVER BUDGET" } else { "" }
            );
        }
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let files: Vec<_> = self
            .rows
            .iter()
            .map(|(path, raw, brotli)| json!({"path": path, "raw": raw, "brotli": brotli}))
            .collect();
        let value = json!({
            "citizen_brotli_bytes": self.brotli_of(Owner::Citizens),
            "field_brotli_bytes": self.brotli_of(Owner::Field),
            "staff_brotli_bytes": self.brotli_of(Owner::Staff),
            "registration_budget_bytes": REGISTRATION_BUDGET,
            "field_budget_bytes": FIELD_BUDGET,
            "app_budget_bytes": APP_BUDGET,
            "files": files,
        });
        std::fs::write(path, serde_json::to_vec_pretty(&value)?)?;
        Ok(())
    }
}

pub fn measure(bundle: &Bundle) -> Result<Report> {
    let mut rows = Vec::new();
    for file in &bundle.files {
        let is_shell = [".html", ".js", ".wasm", ".css"]
            .iter()
            .any(|extension| file.url_path.ends_with(extension));
        if !is_shell || file.url_path == "sw.js" {
            continue; // the worker is fetched by the browser, not the page
        }
        let bytes = std::fs::read(bundle.path_of(file))?;
        rows.push((
            file.url_path.clone(),
            bytes.len(),
            brotli_bytes(&bytes)?.len(),
        ));
    }
    Ok(Report { rows })
}

/// `didar-staff_bg-0123456789abcdef.wasm` → `didar-staff_bg.wasm`.
fn logical(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, extension)) => match stem.rsplit_once('-') {
            Some((name, hash)) if hash.len() == 16 => format!("{name}.{extension}"),
            _ => path.to_string(),
        },
        None => path.to_string(),
    }
}
