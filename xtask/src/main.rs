//! `cargo xtask dist`: builds the client bundle that the server serves.
//!
//! Why an xtask and not trunk: on these machines trunk ≥ 0.22 needs a newer
//! rustc than we have, trunk 0.21 takes six minutes to install, and the
//! `wasm-bindgen` command-line tool must be installed without `--locked` and
//! kept at exactly the version in `Cargo.lock`. Here the bindgen step is the
//! `wasm-bindgen-cli-support` library, pinned with `=` in the same lock file
//! as the `wasm-bindgen` crate, so the two can never drift apart, and nothing
//! is downloaded at build time. The steps are:
//!
//! 1. `cargo build` the app for `wasm32-unknown-unknown` with the size
//!    profile `wasm-release`;
//! 2. generate the JS glue with the bindgen library;
//! 3. shrink the module with `wasm-opt -Oz` from the npm `binaryen` package
//!    (Debian's older wasm-opt silently breaks the module: we refuse it);
//! 4. copy `public/`, `style/` and the Vazirmatn fonts, giving every
//!    immutable file a content hash in its name and rewriting references;
//! 5. write the service worker with the precache list and a cache version;
//! 6. precompress (brotli, gzip) and print the compressed sizes.

mod assets;
mod dist;
mod sizes;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dist") => dist::run(&dist::Options::from_args(&args[1..])?),
        _ => bail!(
            "usage: cargo xtask dist [--out DIR] [--skip-wasm-opt]\n\
             builds the client into DIR (default: dist/)"
        ),
    }
}
