//! A demo loaded with `--small-files on-first-access` (as a million-row archive is): its
//! files are registered at load, written when first asked for, with the bytes and sizes
//! registered and their checksums recorded then; DataLink, downloads and SODA work on them
//! as on files written at load, and a reader who may not have the data makes nothing.

use crate::common;

use common::DemoServer;
use sha2::{Digest, Sha256};

fn one(server: &DemoServer, sql: &str) -> String {
    server.psql(sql).trim().to_string()
}

fn made(server: &DemoServer, member: &str) -> bool {
    one(
        server,
        &format!("SELECT made_at IS NOT NULL FROM archive.files_on_access WHERE member_ous_uid = '{member}'"),
    ) == "t"
}

#[test]
fn files_registered_at_load_are_made_on_first_access() {
    let server = DemoServer::start_made_on_access(1500, 2, "");
    let pending = server.psql(
        "SELECT a.member_ous_uid FROM archive.files_on_access a \
         JOIN archive.member_ous m ON m.uid = a.member_ous_uid \
         WHERE m.release_date <= now() ORDER BY md5(a.member_ous_uid) LIMIT 3",
    );
    let members: Vec<&str> = pending.lines().collect();
    assert_eq!(members.len(), 3, "{pending}");
    let registered: i64 = one(
        &server,
        "SELECT count(*) FROM archive.file WHERE sha256 IS NULL",
    )
    .parse()
    .unwrap();
    assert!(
        registered > 100,
        "{registered} files registered without checksum"
    );

    for member in &members {
        assert!(!made(&server, member));
        // listing a member OUS reads only the registry: nothing is made
        let (status, listing) = server.get(&format!("/datalink/sync?ID={member}"));
        assert_eq!(status, 200, "{listing}");
        assert!(listing.contains("_001_of_001.tar"), "{listing}");
        assert!(!made(&server, member), "listing {member} made its files");

        // the product package's DataLink reads the products' headers: made now
        let package = one(
            &server,
            &format!("SELECT name FROM archive.file WHERE member_ous_uid = '{member}' AND kind = 'product-package'"),
        );
        let (status, nested) = server.get(&format!("/datalink/sync?ID={package}"));
        assert_eq!(status, 200, "{nested}");
        assert!(nested.contains("#cutout"), "{nested}");
        assert!(!nested.contains("cannot be read"), "{nested}");
        assert!(made(&server, member));
        assert_eq!(
            one(
                &server,
                &format!("SELECT count(*) FROM archive.file WHERE member_ous_uid = '{member}' AND sha256 IS NULL"),
            ),
            "0",
            "every file of {member} has its checksum once made"
        );

        // every file downloads with the registered size and the recorded checksum
        let files = server.psql(&format!(
            "SELECT name, size_bytes, sha256, coalesce(path, '') FROM archive.file \
             WHERE member_ous_uid = '{member}' AND (path IS NOT NULL OR package_name IS NULL)"
        ));
        for line in files.lines() {
            let f: Vec<&str> = line.split('|').collect();
            let (status, bytes) = server.get_bytes(&format!("/dataPortal/{}", f[0]));
            assert_eq!(status, 200, "{}", f[0]);
            assert_eq!(bytes.len().to_string(), f[1], "{}", f[0]);
            assert_eq!(format!("{:x}", Sha256::digest(&bytes)), f[2], "{}", f[0]);
            if !f[3].is_empty() {
                assert!(server.dir.path().join(f[3]).exists(), "{}", f[3]);
            }
        }

        // a cutout of a product made on access
        let (product, ra, dec) = {
            let row = one(
                &server,
                &format!(
                    "SELECT f.name, o.s_ra, o.s_dec FROM archive.file f JOIN ivoa.obscore o \
                     ON o.member_ous_uid = f.member_ous_uid AND f.name LIKE '%.' || o.target_name || '_sci.spw%cube%' \
                     WHERE f.member_ous_uid = '{member}' ORDER BY f.name LIMIT 1"
                ),
            );
            let f: Vec<String> = row.split('|').map(str::to_string).collect();
            (f[0].clone(), f[1].clone(), f[2].clone())
        };
        let (status, cutout) = server.get_bytes(&format!(
            "/soda/sync?ID={product}&CIRCLE={ra}%20{dec}%200.0005"
        ));
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&cutout));
        assert!(cutout.starts_with(b"SIMPLE  ="), "cutout of {product}");
    }

    // a first access by download makes the files too
    let next = one(
        &server,
        "SELECT a.member_ous_uid FROM archive.files_on_access a JOIN archive.member_ous m \
         ON m.uid = a.member_ous_uid WHERE a.made_at IS NULL AND m.release_date <= now() \
         ORDER BY md5(a.member_ous_uid) LIMIT 1",
    );
    let readme = one(
        &server,
        &format!(
            "SELECT name FROM archive.file WHERE member_ous_uid = '{next}' AND kind = 'readme'"
        ),
    );
    let (status, text) = server.get(&format!("/dataPortal/{readme}"));
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(&next), "{text}");
    assert!(made(&server, &next));

    // proprietary data: an anonymous reader is refused and makes nothing
    let proprietary = one(
        &server,
        "SELECT a.member_ous_uid FROM archive.files_on_access a JOIN archive.member_ous m \
         ON m.uid = a.member_ous_uid WHERE a.made_at IS NULL AND m.release_date > now() \
         ORDER BY md5(a.member_ous_uid) LIMIT 1",
    );
    assert!(!proprietary.is_empty(), "the demo has proprietary data");
    let package = one(
        &server,
        &format!("SELECT name FROM archive.file WHERE member_ous_uid = '{proprietary}' AND kind = 'product-package'"),
    );
    let (status, _) = server.get_bytes(&format!("/dataPortal/{package}"));
    assert_eq!(status, 401, "{package}");
    assert!(!made(&server, &proprietary));
}
