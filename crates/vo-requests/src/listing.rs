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

/// The request's listing; `owner` says what its owner may download.
pub(crate) fn listing(request: &DownloadRequest, owner: &Reader) -> serde_json::Value {
    let mut projects: Vec<serde_json::Value> = Vec::new();
    let key = |f: &RequestedFile| {
        (
            f.file.project_code.clone(),
            f.science_goal_uid.clone().unwrap_or_default(),
            f.group_ous_uid.clone().unwrap_or_default(),
            f.file.member_ous_uid.clone(),
        )
    };
    // the files come ordered by project, science goal, group and member OUS
    let mut at: Option<(String, String, String, String)> = None;
    for f in &request.files {
        let k = key(f);
        let same = |depth: usize| {
            at.as_ref().is_some_and(|a| match depth {
                0 => a.0 == k.0,
                1 => a.0 == k.0 && a.1 == k.1,
                2 => a.0 == k.0 && a.1 == k.1 && a.2 == k.2,
                _ => a == &k,
            })
        };
        if !same(0) {
            projects.push(serde_json::json!({ "project_code": k.0, "science_goals": [] }));
        }
        let project = projects.last_mut().unwrap();
        if !same(1) {
            project["science_goals"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "uid": k.1, "group_ouses": [] }));
        }
        let goal = project["science_goals"]
            .as_array_mut()
            .unwrap()
            .last_mut()
            .unwrap();
        if !same(2) {
            goal["group_ouses"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "uid": k.2, "member_ouses": [] }));
        }
        let group = goal["group_ouses"]
            .as_array_mut()
            .unwrap()
            .last_mut()
            .unwrap();
        if !same(3) {
            group["member_ouses"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({
                    "uid": k.3,
                    "schedblock_name": f.schedblock_name,
                    "qa2_status": f.qa2_status,
                    "files": [],
                }));
        }
        let member = group["member_ouses"]
            .as_array_mut()
            .unwrap()
            .last_mut()
            .unwrap();
        member["files"]
            .as_array_mut()
            .unwrap()
            .push(file_json(f, owner));
        at = Some(k);
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
        "projects": projects,
        "totals": {
            "files": request.files.len(),
            "bytes": request.files.iter().map(|f| f.file.size_bytes).sum::<i64>(),
            "downloadable_files": downloadable.len(),
            "downloadable_bytes": downloadable.iter().map(|f| f.file.size_bytes).sum::<i64>(),
        },
    })
}
