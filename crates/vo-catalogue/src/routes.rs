//! Where the service's resources live: the one spelling of each path, for the routes that
//! serve them and for every URL written into rows, links, scripts and documents.

/// TAP (`/tap/sync`, `/tap/async`, `/tap/tables`, …).
pub const TAP: &str = "/tap";
/// SIA 2.0 (`/sia2/query`).
pub const SIA2: &str = "/sia2";
/// DataLink (`/datalink/sync`).
pub const DATALINK: &str = "/datalink";
/// SODA cutouts (`/soda/sync`, `/soda/async`).
pub const SODA: &str = "/soda";
/// Files, by name, and the download script (`/dataPortal/NAME`, `/dataPortal/script`).
pub const DATA_PORTAL: &str = "/dataPortal";
/// Preview images (`/preview/NAME/KIND.png`).
pub const PREVIEW: &str = "/preview";
/// Accounts, tokens and delegations.
pub const AUTH: &str = "/auth";
/// A protocol's synchronous resource, inside its scope.
pub const SYNC: &str = "/sync";
/// The name resolver (JSON).
pub const RESOLVE: &str = "/resolve";

/// The name resolver in CDS Sesame's formats (`/sesame/[-ox/]SNV?NAME`).
pub const SESAME: &str = "/sesame";

/// Similar projects and images.
pub const SIMILAR: &str = "/similar";

/// Spectral reference data: the line list and the atmosphere's transmission.
pub const REFERENCE: &str = "/reference";

/// The cube viewer's reads (`/cube/NAME`, `/cube/NAME/tile`, …).
pub const CUBE: &str = "/cube";

/// Calendar reminders of release dates (`/calendar/release.ics`).
pub const CALENDAR: &str = "/calendar";

/// The holdings' sky coverage as MOCs (`/moc/holdings`).
pub const MOC: &str = "/moc";

/// The OAI-PMH publishing registry of the archive's IVOA registry records.
pub const OAI: &str = "/oai";

/// Download requests (`/requests`, `/requests/ID`).
pub const REQUESTS: &str = "/requests";

/// A protocol's job list, inside its scope.
pub const ASYNC: &str = "/async";

/// The DataLink resource under `base` (the service's public URL).
pub fn datalink_sync(base: &str) -> String {
    format!("{base}{DATALINK}{SYNC}")
}

/// A dataset's DataLink document. The ID comes last and is not percent-encoded:
/// astroquery takes everything after `ID=`.
pub fn datalink_of(base: &str, id: &str) -> String {
    format!("{}?ID={id}", datalink_sync(base))
}

/// SODA's synchronous cutout resource.
pub fn soda_sync(base: &str) -> String {
    format!("{base}{SODA}{SYNC}")
}

/// A file's download URL.
pub fn download(base: &str, name: &str) -> String {
    format!("{base}{DATA_PORTAL}/{name}")
}

/// A preview image of a file (`kind`: peak, continuum, spectrum, …).
pub fn preview(base: &str, name: &str, kind: &str) -> String {
    format!("{base}{PREVIEW}/{name}/{kind}.png")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_the_base_and_the_path() {
        let base = "https://archive.example/vo";
        assert_eq!(
            datalink_of(base, "uid://A001/X1/X2"),
            "https://archive.example/vo/datalink/sync?ID=uid://A001/X1/X2"
        );
        assert_eq!(soda_sync(base), "https://archive.example/vo/soda/sync");
        assert_eq!(
            download(base, "a.fits"),
            "https://archive.example/vo/dataPortal/a.fits"
        );
        assert_eq!(
            preview(base, "a.fits", "peak"),
            "https://archive.example/vo/preview/a.fits/peak.png"
        );
    }
}
