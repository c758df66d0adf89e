//! VOSI capabilities documents: the frame every endpoint's document shares, and the VOSI
//! capability entries themselves. Each protocol writes its `capability` elements once, for
//! its VOSI document and for its registry record (vo-registry), with the prefixes both
//! declare (vr, vs, tr, sia, xsi).

use crate::escape_xml;

/// A VOSI capabilities document of the `capability` elements given: the XML declaration and
/// the `vosi:capabilities` element with the namespaces the elements use (vr, vs, tr, sia,
/// xsi).
pub fn capabilities_document(elements: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vosi:capabilities \
         xmlns:vosi=\"http://www.ivoa.net/xml/VOSICapabilities/v1.0\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:vr=\"http://www.ivoa.net/xml/VOResource/v1.0\" \
         xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\" \
         xmlns:tr=\"http://www.ivoa.net/xml/TAPRegExt/v1.0\" \
         xmlns:sia=\"http://www.ivoa.net/xml/SIA/v1.1\">{elements}</vosi:capabilities>\n"
    )
}

/// A capability reached with plain HTTP parameters at `url`.
pub fn param_http_capability(out: &mut String, standard: &str, url: &str) {
    out.push_str(&format!(
        "<capability standardID=\"{standard}\"><interface xsi:type=\"vs:ParamHTTP\"><accessURL use=\"full\">{}</accessURL></interface></capability>",
        escape_xml(url)
    ));
}

/// The VOSI capabilities and availability entries of an endpoint at `base`.
pub fn vosi_capabilities(out: &mut String, base: &str) {
    param_http_capability(
        out,
        "ivo://ivoa.net/std/VOSI#capabilities",
        &format!("{base}/capabilities"),
    );
    param_http_capability(
        out,
        "ivo://ivoa.net/std/VOSI#availability",
        &format!("{base}/availability"),
    );
}
