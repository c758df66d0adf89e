//! `/similar/images` and `/similar/images/sheet.png`: the images most like one or several
//! selected images, with the largest groups among them, and their thumbnails on one sheet.

use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use vo_endpoint::{json_failure, json_query_params, json_response};
use vo_results::{writer_for, Cell, Datatype, Ending, Field, Format, ResultMeta};
use vo_similarity::{groups, ImageIndex, Unit};

/// An indexed image: its file and where it comes from.
pub(crate) struct ImageInfo {
    pub(crate) name: String,
    pub(crate) member_ous_uid: String,
    pub(crate) project_code: String,
    pub(crate) source: String,
    /// "continuum" or "peak" (a cube's peak map).
    pub(crate) plane: String,
}

/// The images ranked, and what each is.
pub(crate) struct ImageSet {
    index: ImageIndex,
    info: Vec<ImageInfo>,
    by_name: HashMap<String, usize>,
    /// (member OUS, source) → its continuum image, else its first cube's peak map.
    by_source: HashMap<(String, String), usize>,
}

impl ImageSet {
    pub(crate) fn new(index: ImageIndex, info: Vec<ImageInfo>) -> ImageSet {
        let by_name = info
            .iter()
            .enumerate()
            .map(|(i, image)| (image.name.clone(), i))
            .collect();
        let mut by_source: HashMap<(String, String), usize> = HashMap::new();
        for (i, image) in info.iter().enumerate() {
            let key = (image.member_ous_uid.clone(), image.source.clone());
            match by_source.get(&key) {
                Some(&j) if info[j].plane == "continuum" || image.plane != "continuum" => {}
                _ => {
                    by_source.insert(key, i);
                }
            }
        }
        ImageSet {
            index,
            info,
            by_name,
            by_source,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.info.len()
    }
}

/// The image index the endpoints answer from (None until first loaded).
#[derive(Clone, Default)]
pub struct SimilarImages {
    set: Arc<RwLock<Option<Arc<ImageSet>>>>,
}

impl SimilarImages {
    pub(crate) fn replace(&self, set: ImageSet) {
        *self.set.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(set));
    }

    fn current(&self) -> Option<Arc<ImageSet>> {
        self.set.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The most images one answer lists.
pub const MOST: usize = 1000;
/// The groups an answer shows, out of how many found.
const GROUPS: usize = 5;
const CLUSTERS: usize = 8;
/// The most images one may select together.
const MOST_SELECTED: usize = 20;
/// Thumbnails per row of a contact sheet.
pub const SHEET_COLUMNS: usize = 25;

/// A ranking asked for: the selected images and how many to list.
struct Ask {
    selected: Vec<usize>,
    n: usize,
    /// `RESPONSEFORMAT=votable` rather than JSON.
    votable: bool,
}

/// Reads `id=…` (one or several; or `mous=…&source=…`, an observation's image), `n=…` and
/// `RESPONSEFORMAT` against the set; or the JSON refusal.
#[allow(clippy::result_large_err)]
fn ask(request: &HttpRequest, set: &ImageSet) -> Result<Ask, HttpResponse> {
    let params = json_query_params(request)?;
    let mut names: Vec<String> = params
        .all("id")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    // an observation (member OUS and source), as the page's rows know it: its image
    if let (Some(mous), Some(source)) = (params.get("mous"), params.get("source")) {
        match set.by_source.get(&(mous.trim().to_string(), source.trim().to_string())) {
            Some(&i) => names.push(set.info[i].name.clone()),
            None => {
                return Err(json_failure(
                    StatusCode::NOT_FOUND,
                    format!(
                        "no image of source {source:?} in member OUS {mous:?} is in the similarity index: it holds released science images once measured"
                    ),
                ))
            }
        }
    }
    if names.is_empty() {
        return Err(json_failure(
            StatusCode::BAD_REQUEST,
            "give the image: /similar/images?id=member.uid___A001_X1_X2.NGC253_sci.spw16_18_20_22.cont.I.pbcor.fits (several id= rank by their joint similarity), or an observation: ?mous=uid://A001/X1/X2&source=NGC253",
        ));
    }
    if names.len() > MOST_SELECTED {
        return Err(json_failure(
            StatusCode::BAD_REQUEST,
            format!(
                "at most {MOST_SELECTED} images can be selected together; this asks for {}",
                names.len()
            ),
        ));
    }
    let mut selected = Vec::new();
    for name in &names {
        match set.by_name.get(name) {
            Some(&i) if !selected.contains(&i) => selected.push(i),
            Some(_) => {}
            None => {
                return Err(json_failure(
                    StatusCode::NOT_FOUND,
                    format!(
                        "no image called {name:?} is in the similarity index ({} images): it holds the released science images (continuum images and cubes' peak maps) once measured",
                        set.len()
                    ),
                ))
            }
        }
    }
    let n = match params.get("n").map(|n| n.trim().parse::<usize>()) {
        None => MOST,
        Some(Ok(n)) if (1..=MOST).contains(&n) => n,
        Some(_) => {
            return Err(json_failure(
                StatusCode::BAD_REQUEST,
                format!("n must be a whole number from 1 to {MOST}"),
            ))
        }
    };
    let votable = match params
        .get("RESPONSEFORMAT")
        .map(|f| Format::parse(f.trim()))
    {
        None => false,
        Some(Ok(Format::VotableTabledata)) => true,
        Some(_) => {
            return Err(json_failure(
                StatusCode::BAD_REQUEST,
                "RESPONSEFORMAT is json (the default) or votable",
            ))
        }
    };
    Ok(Ask {
        selected,
        n,
        votable,
    })
}

/// The loaded images and the question asked of them; or the refusal (not loaded yet, or a
/// question that cannot be read).
#[allow(clippy::result_large_err)]
fn question(
    request: &HttpRequest,
    images: &SimilarImages,
) -> Result<(Arc<ImageSet>, Ask), HttpResponse> {
    let set = images.current().ok_or_else(|| {
        json_failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "the images are being measured for similarity; try again in a few seconds",
        )
    })?;
    let asked = ask(request, &set)?;
    Ok((set, asked))
}

/// The selected images first (score 1), then the ranked ones: (index, score, selected).
fn listing(set: &ImageSet, ask: &Ask) -> Vec<(usize, f32, bool)> {
    ask.selected
        .iter()
        .map(|&i| (i, 1.0, true))
        .chain(
            set.index
                .similar(&ask.selected, ask.n)
                .into_iter()
                .map(|(i, s)| (i, s, false)),
        )
        .collect()
}

fn query_string(set: &ImageSet, ask: &Ask) -> String {
    let mut q: Vec<String> = ask
        .selected
        .iter()
        .map(|&i| {
            format!(
                "id={}",
                percent_encoding::utf8_percent_encode(
                    &set.info[i].name,
                    percent_encoding::NON_ALPHANUMERIC
                )
            )
        })
        .collect();
    q.push(format!("n={}", ask.n));
    q.join("&")
}

/// `GET /similar/images?id=NAME[&id=NAME…]&n=N[&RESPONSEFORMAT=votable]`.
pub async fn similar_images(
    request: HttpRequest,
    images: web::Data<SimilarImages>,
) -> HttpResponse {
    let (set, ask) = match question(&request, &images) {
        Ok(asked) => asked,
        Err(refusal) => return refusal,
    };
    let votable = ask.votable;
    let shown = set.clone();
    let answer = web::block(move || {
        let list = listing(&shown, &ask);
        let units: Vec<Unit> = list.iter().map(|(i, _, _)| shown.index.unit(*i)).collect();
        // groups among the ranked images (not the selection itself)
        let first_ranked = ask.selected.len();
        let found = groups(&units[first_ranked..], CLUSTERS, GROUPS);
        (ask, list, units, found, first_ranked)
    })
    .await;
    let Ok((ask, list, units, found, first_ranked)) = answer else {
        return json_failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "ranking images failed; try again",
        );
    };
    let mut group_of = vec![None; list.len()];
    for (g, group) in found.iter().enumerate() {
        for &m in &group.members {
            group_of[first_ranked + m] = Some(g + 1);
        }
    }
    if votable {
        return votable_answer(&set, &list, &group_of);
    }
    let query = query_string(&set, &ask);
    let mous: Vec<&str> = {
        let mut seen = std::collections::HashSet::new();
        list.iter()
            .map(|(i, _, _)| set.info[*i].member_ous_uid.as_str())
            .filter(|m| seen.insert(*m))
            .collect()
    };
    json_response(
        StatusCode::OK,
        serde_json::json!({
            "selected": ask.selected.iter().map(|&i| set.info[i].name.as_str()).collect::<Vec<_>>(),
            "indexed": set.len(),
            "images": list.iter().zip(&units).zip(&group_of).map(|(((i, score, selected), unit), group)| {
                let info = &set.info[*i];
                serde_json::json!({
                    "name": info.name,
                    "score": (*score as f64 * 1e4).round() / 1e4,
                    "selected": selected,
                    "plane": info.plane,
                    "member_ous_uid": info.member_ous_uid,
                    "project_code": info.project_code,
                    "source": info.source,
                    "group": group,
                    // the standardised unit vector: the page re-ranks the set by it
                    "vector": unit.iter().map(|x| (*x as f64 * 1e4).round() / 1e4).collect::<Vec<_>>(),
                })
            }).collect::<Vec<_>>(),
            "groups": found.iter().map(|g| serde_json::json!({
                "representative": first_ranked + g.representative,
                "size": g.members.len(),
                "members": g.members.iter().map(|m| first_ranked + m).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            // the thumbnails of `images`, in their order, SHEET_COLUMNS to a row
            "sheet": format!("{}/images/sheet.png?{query}", vo_catalogue::routes::SIMILAR),
            "sheet_columns": SHEET_COLUMNS,
            "thumbnail_pixels": crate::measure::THUMBNAIL,
            // the page's share link: these images' observations as a new query
            "query_link": format!("/#mous={}", percent_encoding::utf8_percent_encode(&mous.join(" | "), percent_encoding::NON_ALPHANUMERIC)),
        }),
    )
}

fn votable_answer(
    set: &ImageSet,
    list: &[(usize, f32, bool)],
    group_of: &[Option<usize>],
) -> HttpResponse {
    let mut fields = vec![
        Field::new("file_name", Datatype::Char, Some("*")),
        Field::new("similarity", Datatype::Double, None),
        Field::new("selected", Datatype::Boolean, None),
        Field::new("image_plane", Datatype::Char, Some("*")),
        Field::new("member_ous_uid", Datatype::Char, Some("*")),
        Field::new("proposal_id", Datatype::Char, Some("*")),
        Field::new("target_name", Datatype::Char, Some("*")),
        Field::new("similar_group", Datatype::Int, None),
    ];
    fields[0].ucd = Some("meta.id;meta.file".into());
    fields[1].description = Some(
        "Joint similarity to the selected images: the mean of the cosines of the standardised morphology vectors (1 for a selected image)"
            .into(),
    );
    fields[3].description =
        Some("continuum (an image) or peak (a cube's peak map, moment 8)".into());
    fields[7].description = Some(
        "Which of the five largest groups among the ranked images it is in (1 the largest)".into(),
    );
    let mut writer = writer_for(
        Format::VotableTabledata,
        ResultMeta {
            fields,
            infos: Vec::new(),
            trailing_resources: Vec::new(),
        },
    );
    let mut out = Vec::new();
    writer.begin(&mut out);
    for ((i, score, selected), group) in list.iter().zip(group_of) {
        let info = &set.info[*i];
        writer.row(
            &mut out,
            &[
                Cell::Text(info.name.as_str().into()),
                Cell::Float(*score as f64),
                Cell::Bool(*selected),
                Cell::Text(info.plane.as_str().into()),
                Cell::Text(info.member_ous_uid.as_str().into()),
                Cell::Text(info.project_code.as_str().into()),
                Cell::Text(info.source.as_str().into()),
                group.map_or(Cell::Null, |g| Cell::Int(g as i64)),
            ],
        );
    }
    writer.end(&mut out, &Ending::Complete);
    HttpResponse::Ok()
        .content_type(Format::VotableTabledata.content_type())
        .body(out)
}

/// `GET /similar/images/sheet.png?id=…&n=…`: the thumbnails of what `/similar/images`
/// lists for the same question, in its order.
pub async fn sheet(
    request: HttpRequest,
    images: web::Data<SimilarImages>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let (set, ask) = match question(&request, &images) {
        Ok(asked) => asked,
        Err(refusal) => return refusal,
    };
    let names: Vec<String> = listing(&set, &ask)
        .iter()
        .map(|(i, _, _)| set.info[*i].name.clone())
        .collect();
    let client = match pool.get().await {
        Ok(client) => client,
        Err(e) => {
            return json_failure(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the database did not answer: {e}"),
            )
        }
    };
    let rows = match client
        .query(
            "SELECT name, thumbnail FROM archive.image_feature WHERE name = ANY ($1)",
            &[&names],
        )
        .await
    {
        Ok(rows) => rows,
        Err(e) => {
            return json_failure(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("reading thumbnails: {e}"),
            )
        }
    };
    let mut thumbnails: HashMap<String, Vec<u8>> =
        rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let ordered: Vec<Option<Vec<u8>>> = names.iter().map(|n| thumbnails.remove(n)).collect();
    let drawn = web::block(move || {
        vo_preview::contact_sheet(&ordered, crate::measure::THUMBNAIL, SHEET_COLUMNS)
    })
    .await;
    match drawn {
        Ok(Ok(png)) => HttpResponse::Ok()
            .content_type(vo_preview::CONTENT_TYPE)
            // only released images are indexed: a shared cache may keep the sheet
            .insert_header(("Cache-Control", "public, max-age=3600"))
            .body(png),
        Ok(Err(e)) => json_failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("drawing thumbnails: {e}"),
        ),
        Err(_) => json_failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "drawing thumbnails failed; try again",
        ),
    }
}
