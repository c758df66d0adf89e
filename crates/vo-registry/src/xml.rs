//! Writing XML elements into a string, escaped as every document of the service is
//! (vo-results' escaping: markup, and control characters XML cannot carry).

pub(crate) use vo_results::escape_xml as escape;

/// `<name>text</name>`, escaped.
pub(crate) fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}
