// What the `params` fuzz target does with one input (included by the target and by
// tests/params_fuzz_regressions.rs): the input is a request's parameters — a query string,
// or, when it starts with `--B`, a multipart body with boundary `B` — read as the server
// reads them and taken by every endpoint up to its plan: TAP (its parameters, inline
// uploads and ADQL against the catalogue), SIA2 (its constraints as ADQL, planned), SODA
// (its cutouts) and DataLink (its IDs, each parsed). Errors are fine; a panic, a hang or a
// stack overflow is not.
pub fn exercise(data: &[u8]) {
    use std::future::Future;
    use std::sync::{Arc, OnceLock};
    static TAP: OnceLock<vo_tap::TapService> = OnceLock::new();
    static SIA2: OnceLock<vo_sia2::Sia2Service> = OnceLock::new();
    let catalogue = || Arc::new(vo_catalogue::Catalogue::builtin());
    let tap = TAP.get_or_init(|| vo_tap::TapService {
        reads: None,
        catalogue: catalogue(),
        limits: vo_tap::TapLimits {
            upload_rows: 1000,
            ..Default::default()
        },
        public_url: "http://127.0.0.1:8080".into(),
    });
    let sia2 = SIA2.get_or_init(|| vo_sia2::Sia2Service {
        reads: None,
        catalogue: catalogue(),
        maxrec_default: 1000,
        maxrec_hard: 10_000,
        seconds: 60,
    });
    let params = if data.starts_with(b"--B") {
        // an in-memory body is read without waiting: poll until it is done
        let reading = vo_endpoint::Params::from_multipart(
            "multipart/form-data; boundary=B",
            bytes::Bytes::copy_from_slice(data),
        );
        let mut reading = std::pin::pin!(reading);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        let mut polls = 0;
        loop {
            if let std::task::Poll::Ready(read) = reading.as_mut().poll(&mut context) {
                break read;
            }
            polls += 1;
            assert!(polls < 1_000_000, "reading a multipart body in memory never ends");
        }
    } else {
        match std::str::from_utf8(data) {
            Ok(query) => vo_endpoint::Params::from_query(query),
            Err(_) => return,
        }
    };
    let Ok(params) = params else { return };
    let _ = vo_tap::check(&params, tap);
    let _ = vo_sia2::plan(&params, sia2, "http://127.0.0.1:8080");
    let _ = vo_soda::read_request(&params, 100);
    if let Ok(ids) = vo_datalink::requested_ids(&params, 1000) {
        for id in ids {
            let _ = vo_archive::Identifier::parse(id);
        }
    }
}
