//! The product a request names, found under the access rules and opened from its memory
//! map on a blocking thread, with the caching its release allows.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::path::PathBuf;
use vo_cube::Cube;
use vo_endpoint::{json_failure, stored_archive_file, Failure};

use crate::ViewerService;

/// A FITS product the caller may read.
pub(crate) struct Product {
    pub name: String,
    pub path: PathBuf,
    pub released: bool,
}

impl Product {
    /// Who may cache an answer about it: anyone for released data, only the caller else.
    pub fn cache_control(&self) -> &'static str {
        if self.released {
            "public, max-age=86400"
        } else {
            "private, no-store"
        }
    }

    /// Runs `read` on the opened cube on a blocking thread; errors name the product, not
    /// where it is on the server.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Cube) -> Result<T, vo_cube::ViewError> + Send + 'static,
    ) -> Result<T, HttpResponse> {
        let path = self.path.clone();
        let (shown, hidden) = (self.name.clone(), self.path.display().to_string());
        let done = web::block(move || match Cube::open(&path) {
            Ok(cube) => read(&cube).map_err(|e| (StatusCode::BAD_REQUEST, e.to_string())),
            Err(e) => Err((
                StatusCode::NOT_FOUND,
                format!("{shown} cannot be viewed: {e}"),
            )),
        })
        .await;
        match done {
            Ok(Ok(value)) => Ok(value),
            Ok(Err((status, message))) => {
                Err(json_failure(status, message.replace(&hidden, &self.name)))
            }
            Err(e) => Err(json_failure(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the cube could not be read now: {e}"),
            )),
        }
    }
}

/// The FITS product called `name`, if the caller may read it.
pub(crate) async fn product(
    request: &HttpRequest,
    pool: &vo_db::Pool,
    service: &ViewerService,
    name: &str,
) -> Result<Product, HttpResponse> {
    let reader = vo_endpoint::reader(request, pool)
        .await
        .map_err(|f| f.json_response())?;
    let (file, path) = stored_archive_file(pool, &service.data_dir, name, &reader)
        .await
        .map_err(|f| f.json_response())?;
    if file.content_type != "application/fits" {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("{name} is not an image or cube: the viewer shows FITS products"),
        )
        .json_response());
    }
    Ok(Product {
        name: file.name.clone(),
        path,
        released: file.released,
    })
}
