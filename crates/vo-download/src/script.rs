//! `/dataPortal/script?ID=…`: a bash script that downloads the IDs' files (ALMA manual §3.7):
//! several parallel streams, resuming what is partly there, verifying every file's SHA-256,
//! then unpacking the tars if asked (`-x`; `-n` never; otherwise it asks on a terminal).
//! `/dataPortal/script?request=ID`: the same for exactly the files of a download request,
//! for its owner: proprietary files the owner may read come through URLs signed for the owner
//! (no credentials in the script), valid for `signed_url_seconds`.

use crate::DownloadService;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use vo_archive::{deliveries_for, ArchivedFile};
use vo_endpoint::{base_url, connect, Failure, Params};

const MAX_IDS: usize = 1000;

/// The script's fixed part: everything but the file list.
const BODY: &str = r#"
usage() {
    echo "usage: $0 [-x|-n] [-j STREAMS] [-d DIRECTORY]"
    echo "  -x  unpack the tar files after downloading   -n  do not unpack (default: ask)"
    echo "  -j  parallel download streams (default: $STREAMS)"
    echo "  -d  where to put the files (default: the current directory)"
}
UNPACK=ask
while getopts "xnj:d:h" option; do
    case "$option" in
        x) UNPACK=yes ;;
        n) UNPACK=no ;;
        j) STREAMS="$OPTARG" ;;
        d) mkdir -p "$OPTARG" && cd "$OPTARG" || exit 2 ;;
        *) usage; exit 2 ;;
    esac
done
command -v curl >/dev/null || { echo "this script needs curl" >&2; exit 2; }
if command -v sha256sum >/dev/null; then SHA256="sha256sum"; else SHA256="shasum -a 256"; fi
export SHA256

# download_one URL NAME SIZE SHA256: fetch NAME (resuming a partial file), then verify it
download_one() {
    url="$1"; name="$2"; size="$3"; sum="$4"
    for attempt in 1 2; do
        have=$(wc -c < "$name" 2>/dev/null || echo 0)
        have=$((have + 0))
        if [ "$have" -gt "$size" ]; then rm -f "$name"; have=0; fi
        if [ "$have" -lt "$size" ]; then
            if [ "$have" -gt 0 ]; then echo "resuming $name at byte $have"; else echo "downloading $name"; fi
            curl --fail --silent --show-error --location --netrc-optional -C - -o "$name" "$url" || {
                echo "FAILED: $name could not be downloaded" >&2; return 1; }
        fi
        if [ "$($SHA256 "$name" | cut -d ' ' -f 1)" = "$sum" ]; then
            echo "verified $name"
            return 0
        fi
        echo "checksum mismatch for $name, downloading it again" >&2
        rm -f "$name"
    done
    echo "FAILED: $name does not match its checksum" >&2
    return 1
}
export -f download_one

failed=0
printf '%s\n' "${FILES[@]}" | tr '\n' '\0' | xargs -0 -n 1 -P "$STREAMS" bash -c '
    IFS="|" read -r url name size sum <<< "$1"
    download_one "$url" "$name" "$size" "$sum"' _ || failed=1
if [ "$failed" -ne 0 ]; then
    echo "some files failed; run the script again to resume them" >&2
    exit 1
fi
echo "all files downloaded and verified"

tars=()
for entry in "${FILES[@]}"; do
    IFS="|" read -r url name size sum <<< "$entry"
    case "$name" in *.tar) tars+=("$name") ;; esac
done
if [ "${#tars[@]}" -gt 0 ] && [ "$UNPACK" = ask ]; then
    UNPACK=no
    if [ -t 0 ]; then
        read -r -p "unpack the ${#tars[@]} tar files now? [y/N] " reply
        case "$reply" in [yY]*) UNPACK=yes ;; esac
    fi
fi
if [ "$UNPACK" = yes ]; then
    for tar in "${tars[@]}"; do
        echo "unpacking $tar"
        tar -xf "$tar" || { echo "FAILED: unpacking $tar" >&2; exit 1; }
    done
fi
"#;

/// Text safe inside a shell comment: no line breaks or other control characters.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The script for `files`, each with the URL it is fetched from.
fn script_text(
    base: &str,
    what: &str,
    files: &[(String, &ArchivedFile)],
    notes: &[String],
    streams: usize,
) -> String {
    let total: i64 = files.iter().map(|(_, f)| f.size_bytes).sum();
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&format!(
        "# Download request from {base}: {} files, {total} bytes.\n# {}\n",
        files.len(),
        comment(what)
    ));
    for note in notes {
        out.push_str(&format!("# not included: {}\n", comment(note)));
    }
    out.push_str(&format!("STREAMS={streams}\nFILES=(\n"));
    for (url, f) in files {
        // names are archive names ([A-Za-z0-9._+-]) and signatures hex; nothing here needs
        // quoting beyond this
        out.push_str(&format!(
            "\"{url}|{name}|{size}|{sum}\"\n",
            name = f.name,
            size = f.size_bytes,
            sum = f.sha256.as_deref().unwrap_or("")
        ));
    }
    out.push_str(")\n");
    out.push_str(BODY);
    out
}

pub async fn script(
    request: HttpRequest,
    params: Params,
    service: web::Data<DownloadService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    if let Some(id) = params.get("request") {
        return request_script(&request, id, &service, &pool).await;
    }
    let ids: Vec<&str> = params.all("ID").collect();
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Failure::bad_request(format!(
            "UsageFault: give 1 to {MAX_IDS} IDs (uids, project codes, package or file names), e.g. ?ID=uid://A001/X12a3/Xe9"
        ))
        .response();
    }
    let client = match connect(&pool).await {
        Ok(c) => c,
        Err(failure) => return failure.response(),
    };
    let mut files: Vec<ArchivedFile> = Vec::new();
    let mut notes = Vec::new();
    for id in &ids {
        match deliveries_for(&client, id).await {
            Err(e) => {
                return Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()).response()
            }
            Ok(Err(why)) => notes.push(format!("{id}: {why}")),
            Ok(Ok(found)) => {
                for f in found {
                    if !f.released {
                        notes.push(format!(
                            "{} (proprietary until {})",
                            f.name,
                            f.release_date.as_deref().unwrap_or("a date not yet set")
                        ));
                    } else if f.sha256.is_none() {
                        notes.push(format!("{} (no checksum registered)", f.name));
                    } else if !files.iter().any(|g| g.name == f.name) {
                        files.push(f);
                    }
                }
            }
        }
    }
    if files.is_empty() {
        return Failure::new(
            StatusCode::NOT_FOUND,
            format!("NotFoundFault: nothing to download: {}", notes.join("; ")),
        )
        .response();
    }
    let base = match scriptable_base(&request) {
        Ok(b) => b,
        Err(failure) => return failure.response(),
    };
    let digest = Sha256::digest(ids.join("\n").as_bytes());
    let name = format!(
        "downloadRequest{}.sh",
        digest[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let entries: Vec<(String, &ArchivedFile)> = files
        .iter()
        .map(|f| (vo_catalogue::routes::download(&base, &f.name), f))
        .collect();
    let text = script_text(
        &base,
        &format!("IDs: {}", ids.join(" ")),
        &entries,
        &notes,
        service.script_streams,
    );
    script_answer(&name, text)
}

fn script_answer(name: &str, text: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/x-shellscript; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename={name}"),
        ))
        .body(text)
}

/// The base URL (the configured public URL, or the request's checked Host), which goes into a
/// shell script: anything but a plain URL is refused rather than quoted.
fn scriptable_base(request: &HttpRequest) -> Result<String, Failure> {
    let base = base_url(request);
    if base
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '-' | '_' | '[' | ']'))
    {
        Ok(base)
    } else {
        Err(Failure::bad_request(format!(
            "UsageFault: the service's address as this request names it ({base}) cannot be written into a script"
        )))
    }
}

/// The script of download request `id`, for its owner (or, for an anonymous request, whoever
/// has its id): exactly its files, proprietary ones the owner may read through signed URLs.
async fn request_script(
    request: &HttpRequest,
    id: &str,
    service: &DownloadService,
    pool: &vo_db::Pool,
) -> HttpResponse {
    let caller = match vo_endpoint::reader(request, pool).await {
        Ok(r) => r,
        Err(failure) => return failure.response(),
    };
    let client = match connect(pool).await {
        Ok(c) => c,
        Err(failure) => return failure.response(),
    };
    let kept = match vo_archive::load_request(&client, id).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            return Failure::new(
                StatusCode::NOT_FOUND,
                format!("NotFoundFault: no request {id}"),
            )
            .response()
        }
        Err(e) => return Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()).response(),
    };
    // a request's script carries URLs signed for its owner: only for the owner
    let owner = match &kept.owner {
        None => vo_archive::Reader::anonymous(),
        Some(owner) if caller.user() == Some(owner.as_str()) => caller,
        Some(owner) => {
            let status = if caller.user().is_none() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::FORBIDDEN
            };
            return Failure::new(
                status,
                format!("request {id} is {owner}'s: only {owner}, signed in, gets its script"),
            )
            .response();
        }
    };
    let base = match scriptable_base(request) {
        Ok(b) => b,
        Err(failure) => return failure.response(),
    };
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    for f in &kept.files {
        let file = &f.file;
        let url = vo_catalogue::routes::download(&base, &file.name);
        if file.sha256.is_none() {
            notes.push(format!(
                "{} (no checksum registered yet: the request is still being prepared)",
                file.name
            ));
        } else if file.released {
            entries.push((url, file));
        } else if owner.may_read(file) {
            let user = owner.user().unwrap_or_default();
            match vo_endpoint::signed_query(pool, &file.name, user, service.signed_url_seconds)
                .await
            {
                Ok(query) => entries.push((format!("{url}?{query}"), file)),
                Err(failure) => return failure.response(),
            }
        } else {
            notes.push(format!(
                "{} (proprietary until {}; {} may not download it)",
                file.name,
                file.release_date.as_deref().unwrap_or("a date not yet set"),
                owner.user().unwrap_or("an anonymous visitor")
            ));
        }
    }
    let text = script_text(
        &base,
        &format!("request {id}"),
        &entries,
        &notes,
        service.script_streams,
    );
    script_answer(
        &format!("downloadRequest{}.sh", &id[..8.min(id.len())]),
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::comment;

    #[test]
    fn ids_cannot_leave_their_comment() {
        assert_eq!(comment("a\nrm -rf ~\r"), "a?rm -rf ~?");
    }
}
