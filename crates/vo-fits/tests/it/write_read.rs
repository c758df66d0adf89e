//! A written image reads back: headers, offsets, and the data bytes.

use vo_fits::*;

#[test]
fn written_image_reads_back() {
    let wcs = ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (83.82, -5.39),
            crpix: (5.0, 5.0),
            cdelt: (-1e-4, 1e-4),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 2.3e11,
            crpix: 1.0,
            cdelt: 5e5,
        }),
        stokes: Some(StokesAxis { codes: vec![1] }),
        shape: vec![8, 9, 3, 1],
        beam: None,
    };
    let mut header = wcs.primary_header();
    header.push("OBJECT", Value::Str("Orion KL".into()), "");
    let data: Vec<f32> = (0..8 * 9 * 3).map(|i| i as f32 * 0.5).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.fits");
    let mut file = std::fs::File::create(&path).unwrap();
    write_image_f32(&mut file, &header, &data).unwrap();
    drop(file);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() % BLOCK, 0);
    let hdus = read_hdus(&path).unwrap();
    assert_eq!(hdus.len(), 1);
    let hdu = &hdus[0];
    assert_eq!(hdu.axes, vec![8, 9, 3, 1]);
    assert_eq!(hdu.data_len, (8 * 9 * 3 * 4) as u64);
    assert_eq!(hdu.header.str("OBJECT"), Some("Orion KL"));
    let at = hdu.data_offset as usize + 4 * 10;
    assert_eq!(
        f32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()),
        5.0
    );
    assert_eq!(ImageWcs::from_header(&hdu.header).unwrap(), wcs);
    // a truncated file is reported with the HDU and the shortfall
    std::fs::write(&path, &bytes[..bytes.len() - BLOCK]).unwrap();
    let err = read_hdus(&path).unwrap_err().to_string();
    assert!(err.contains("HDU 0") && err.contains("data bytes"), "{err}");
    // wrong data length is refused on write
    assert!(write_image_f32(&mut Vec::new(), &header, &data[1..]).is_err());
}
