//! Renders one preview of a FITS file to a PNG file and reports how long it took:
//! `render_preview <file.fits> <peak|continuum|spectrum> <out.png>`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use vo_preview::{render, PreviewKind};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [fits, kind, out] = args.as_slice() else {
        eprintln!("usage: render_preview <file.fits> <peak|continuum|spectrum> <out.png>");
        return ExitCode::from(2);
    };
    let Some(kind) = PreviewKind::parse(kind) else {
        eprintln!("unknown preview kind '{kind}' (peak, continuum or spectrum)");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    match render(Path::new(fits), kind) {
        Ok(png) => {
            let elapsed = start.elapsed();
            if let Err(e) = std::fs::write(out, &png) {
                eprintln!("{out}: {e}");
                return ExitCode::FAILURE;
            }
            println!(
                "{kind}: {} bytes in {:.1} ms",
                png.len(),
                elapsed.as_secs_f64() * 1e3
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
