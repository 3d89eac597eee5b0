//! What a phone downloads: the compressed size of the shell (HTML, JS,
//! WASM, CSS; fonts excluded as in DESIGN §7), against the budgets.

use std::path::Path;

use anyhow::Result;
use serde_json::json;

use crate::assets::{Bundle, brotli_bytes};

/// DESIGN §7: what a citizen downloads to register, and the whole app.
const REGISTRATION_BUDGET: usize = 200 * 1024;
const APP_BUDGET: usize = 350 * 1024;

pub struct Report {
    rows: Vec<(String, usize, usize)>,
}

impl Report {
    fn shell_brotli(&self) -> usize {
        self.rows.iter().map(|(_, _, brotli)| brotli).sum()
    }

    pub fn print(&self) {
        println!("\nclient bundle (shell: HTML + JS + WASM + CSS, fonts excluded)");
        println!("{:<44} {:>10} {:>10}", "file", "raw B", "brotli B");
        for (path, raw, brotli) in &self.rows {
            println!("{path:<44} {raw:>10} {brotli:>10}");
        }
        let total = self.shell_brotli();
        println!(
            "{:<44} {:>10} {:>10}  ({:.1} KB; budgets: registration ≤ {} KB, whole app ≤ {} KB)",
            "total",
            self.rows.iter().map(|(_, raw, _)| raw).sum::<usize>(),
            total,
            total as f64 / 1024.0,
            REGISTRATION_BUDGET / 1024,
            APP_BUDGET / 1024,
        );
        if total > APP_BUDGET {
            println!(
                "WARNING: the shell is over the {} KB budget",
                APP_BUDGET / 1024
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
            "shell_brotli_bytes": self.shell_brotli(),
            "registration_budget_bytes": REGISTRATION_BUDGET,
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
