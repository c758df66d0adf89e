//! A request as JSON along ALMA's hierarchy: projects → science goals → group OUSes → member
//! OUSes (scheduling block, QA2 state) → files (class, size, release, whether the owner may
//! download it), with totals.

use vo_archive::{DownloadRequest, Reader, RequestedFile};

/// The Request Handler's classes of file.
pub(crate) fn class_of(kind: &str) -> &'static str {
    match kind {
        "product" | "product-package" | "preview" => "products",
        "auxiliary" | "auxiliary-package" => "auxiliary",
        "raw-package" => "raw",
        "readme" => "readme",
        _ => "other",
    }
}

fn file_json(f: &RequestedFile, owner: &Reader) -> serde_json::Value {
    serde_json::json!({
        "name": f.file.name,
        "class": class_of(&f.file.kind),
        "size_bytes": f.file.size_bytes,
        "released": f.file.released,
        "release_date": f.file.release_date,
        "downloadable": owner.may_read(&f.file),
    })
}

/// The last entry of `parent[list]`, after adding `fresh()` when `new`.
fn last_under<'a>(
    parent: &'a mut serde_json::Value,
    list: &str,
    new: bool,
    fresh: impl FnOnce() -> serde_json::Value,
) -> &'a mut serde_json::Value {
    let entries = parent[list].as_array_mut().expect("a list");
    if new || entries.is_empty() {
        entries.push(fresh());
    }
    entries.last_mut().expect("not empty")
}

/// The request's listing; `owner` says what its owner may download.
pub(crate) fn listing(request: &DownloadRequest, owner: &Reader) -> serde_json::Value {
    let mut root = serde_json::json!({ "projects": [] });
    // the files come ordered by project, science goal, group and member OUS: a level starts
    // a new entry where its key, or one above it, changes
    let mut previous: Option<[String; 4]> = None;
    for f in &request.files {
        let k = [
            f.file.project_code.clone(),
            f.science_goal_uid.clone().unwrap_or_default(),
            f.group_ous_uid.clone().unwrap_or_default(),
            f.file.member_ous_uid.clone(),
        ];
        let changed = previous
            .as_ref()
            .and_then(|p| (0..4).find(|&i| p[i] != k[i]))
            .unwrap_or(if previous.is_none() { 0 } else { 4 });
        let project = last_under(
            &mut root,
            "projects",
            changed == 0,
            || serde_json::json!({ "project_code": k[0], "science_goals": [] }),
        );
        let goal = last_under(
            project,
            "science_goals",
            changed <= 1,
            || serde_json::json!({ "uid": k[1], "group_ouses": [] }),
        );
        let group = last_under(
            goal,
            "group_ouses",
            changed <= 2,
            || serde_json::json!({ "uid": k[2], "member_ouses": [] }),
        );
        let member = last_under(group, "member_ouses", changed <= 3, || {
            serde_json::json!({
                "uid": k[3],
                "schedblock_name": f.schedblock_name,
                "qa2_status": f.qa2_status,
                "files": [],
            })
        });
        member["files"]
            .as_array_mut()
            .expect("a list")
            .push(file_json(f, owner));
        previous = Some(k);
    }
    let downloadable: Vec<&RequestedFile> = request
        .files
        .iter()
        .filter(|f| owner.may_read(&f.file))
        .collect();
    serde_json::json!({
        "id": request.id,
        "owner": request.owner,
        "email": request.email,
        "created_at": request.created_at,
        "ready_at": request.ready_at,
        "notified_at": request.notified_at,
        "notify_error": request.notify_error,
        "projects": root["projects"].take(),
        "totals": {
            "files": request.files.len(),
            "bytes": request.files.iter().map(|f| f.file.size_bytes).sum::<i64>(),
            "downloadable_files": downloadable.len(),
            "downloadable_bytes": downloadable.iter().map(|f| f.file.size_bytes).sum::<i64>(),
        },
    })
}
