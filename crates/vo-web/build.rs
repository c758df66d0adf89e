//! Embeds the page's files (app/, without node_modules), Aladin Lite's single-file build
//! (app/node_modules/aladin-lite/dist/aladin.js), uPlot's ES module and styles and sampjs
//! (all installed by `npm ci` in app/) into the binary. Without them the page still works; its
//! sky view, line survey and SAMP buttons say what is missing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let app = manifest.join("app");
    let mut files = Vec::new();
    collect(&app, &app, &mut files);
    let aladin = app.join("node_modules/aladin-lite/dist/aladin.js");
    println!("cargo:rerun-if-changed={}", app.display());
    println!("cargo:rerun-if-changed={}", aladin.display());
    // uPlot (MIT), the line survey's interactive spectra: its ES module and its styles
    for (file, served) in [
        ("uPlot.esm.js", "vendor/uplot/uPlot.esm.js"),
        ("uPlot.min.css", "vendor/uplot/uPlot.min.css"),
    ] {
        let path = app.join("node_modules/uplot/dist").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_file() {
            files.push((served.to_string(), path));
        } else {
            println!("cargo:warning=uPlot is not installed (run `npm ci` in crates/vo-web/app): the line survey's spectra will say so");
        }
    }
    // sampjs (CC0; Mark Taylor's SAMP Web Profile client), the page's "send to TOPCAT/Aladin":
    // a classic script that ends in a CommonJS export, wrapped so that it defines `window.samp`
    let sampjs = app.join("node_modules/sampjs/samp.js");
    println!("cargo:rerun-if-changed={}", sampjs.display());
    match std::fs::read_to_string(&sampjs) {
        Ok(source) => {
            let wrapped = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("sampjs.js");
            std::fs::write(
                &wrapped,
                format!(
                    "(function () {{\nvar module = {{ exports: {{}} }};\n{source}\nwindow.samp = module.exports.samp;\n}})();\n"
                ),
            )
            .unwrap();
            files.push(("vendor/sampjs/samp.js".to_string(), wrapped));
        }
        Err(_) => println!(
            "cargo:warning=sampjs is not installed (run `npm ci` in crates/vo-web/app): the page's SAMP buttons will say so"
        ),
    }
    if aladin.is_file() {
        files.push(("vendor/aladin-lite/aladin.js".to_string(), aladin));
    } else {
        println!(
            "cargo:warning=Aladin Lite is not installed (run `npm ci` in crates/vo-web/app): the web page's sky view will say so"
        );
    }
    files.sort();
    let mut code = String::from("pub static ASSETS: &[Asset] = &[\n");
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        writeln!(
            code,
            "    Asset {{ path: {name:?}, bytes: include_bytes!({:?}), etag: \"\\\"{:016x}\\\"\" }},",
            path.display().to_string(),
            fnv1a(&bytes)
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    std::fs::write(out, code).unwrap();
}

/// Every file under `dir` but npm's own (node_modules, package.json, package-lock.json).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "node_modules" || name.starts_with("package") || name.starts_with('.') {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, path));
        }
    }
}

/// A content hash for ETags (FNV-1a, 64 bits).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}
