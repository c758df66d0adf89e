//! SODA cutouts over HTTP against a demo archive with files: pyvo's processed() from a
//! cube's DataLink descriptor, astropy reading the answers (same slice, same sky), every
//! filter, several cutouts in one multi-extension FITS, and the errors.

use crate::common;

use common::{run_script, DemoServer};

#[test]
fn pyvo_cutouts_open_in_astropy() {
    let server = DemoServer::start(2000, 6, "");
    server.create_user("cutter", "cutter-password", false);
    println!(
        "{}",
        run_script(
            &server,
            "soda/cutouts.py",
            &[
                server.dir.path().to_str().unwrap(),
                "cutter:cutter-password"
            ]
        )
    );
    let (status, caps) = server.get("/soda/capabilities");
    assert_eq!(status, 200);
    assert!(
        caps.contains("ivo://ivoa.net/std/SODA#sync-1.0")
            && caps.contains(&server.url("/soda/sync"))
            && caps.contains("ivo://ivoa.net/std/SODA#async-1.0")
            && caps.contains(&server.url("/soda/async")),
        "{caps}"
    );
}
