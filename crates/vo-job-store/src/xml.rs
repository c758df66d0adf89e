//! The UWS 1.1 documents: a job, its parts, and the job list. Result links are absolute
//! (pyvo joins relative ones against the job URL and loses the job id).

use crate::{Job, Phase};
use chrono::{DateTime, SecondsFormat, Utc};
use vo_results::escape_xml;

const NAMESPACES: &str = "xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" \
xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

/// Where a job lives, for the links in its documents.
pub struct JobUrls {
    /// The job list, e.g. `http://host/tap/async`.
    pub list: String,
}

impl JobUrls {
    pub fn job(&self, job_id: &str) -> String {
        format!("{}/{job_id}", self.list)
    }
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn optional(out: &mut String, name: &str, value: Option<String>) {
    match value {
        Some(v) => out.push_str(&format!("<uws:{name}>{}</uws:{name}>", escape_xml(&v))),
        None => out.push_str(&format!("<uws:{name} xsi:nil=\"true\"/>")),
    }
}

fn parameters_body(out: &mut String, job: &Job) {
    out.push_str("<uws:parameters>");
    for (name, value) in &job.parameters {
        out.push_str(&format!(
            "<uws:parameter id=\"{}\">{}</uws:parameter>",
            escape_xml(&name.to_uppercase()),
            escape_xml(value)
        ));
    }
    out.push_str("</uws:parameters>");
}

fn results_body(out: &mut String, job: &Job, urls: &JobUrls) {
    out.push_str("<uws:results>");
    if job.phase == Phase::Completed {
        for result in &job.results {
            out.push_str(&format!(
                "<uws:result id=\"{id}\" xlink:type=\"simple\" xlink:href=\"{job}/results/{id}\" \
                 mime-type=\"{mime}\" size=\"{size}\"/>",
                id = escape_xml(&result.id),
                job = escape_xml(&urls.job(&job.job_id)),
                mime = escape_xml(&result.content_type),
                size = result.size,
            ));
        }
    }
    out.push_str("</uws:results>");
}

/// The job document (UWS 1.1 §2.2.3.1).
pub fn job_xml(job: &Job, urls: &JobUrls) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<uws:job {NAMESPACES} version=\"1.1\">"
    );
    out.push_str(&format!(
        "<uws:jobId>{}</uws:jobId>",
        escape_xml(&job.job_id)
    ));
    if let Some(run_id) = &job.run_id {
        out.push_str(&format!("<uws:runId>{}</uws:runId>", escape_xml(run_id)));
    }
    optional(&mut out, "ownerId", job.owner_id.clone());
    out.push_str(&format!("<uws:phase>{}</uws:phase>", job.phase.name()));
    out.push_str("<uws:quote xsi:nil=\"true\"/>");
    out.push_str(&format!(
        "<uws:creationTime>{}</uws:creationTime>",
        time(&job.creation_time)
    ));
    optional(&mut out, "startTime", job.start_time.as_ref().map(time));
    optional(&mut out, "endTime", job.end_time.as_ref().map(time));
    out.push_str(&format!(
        "<uws:executionDuration>{}</uws:executionDuration>",
        job.execution_duration
    ));
    out.push_str(&format!(
        "<uws:destruction>{}</uws:destruction>",
        time(&job.destruction)
    ));
    parameters_body(&mut out, job);
    results_body(&mut out, job, urls);
    if let (Phase::Error, Some(message)) = (job.phase, &job.error_message) {
        out.push_str(&format!(
            "<uws:errorSummary type=\"fatal\" hasDetail=\"true\"><uws:message>{}</uws:message></uws:errorSummary>",
            escape_xml(message)
        ));
    }
    out.push_str("</uws:job>\n");
    out
}

pub fn parameters_xml(job: &Job) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    parameters_body(&mut out, job);
    out.replacen(
        "<uws:parameters>",
        &format!("<uws:parameters {NAMESPACES}>"),
        1,
    ) + "\n"
}

pub fn results_xml(job: &Job, urls: &JobUrls) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    results_body(&mut out, job, urls);
    out.replacen("<uws:results>", &format!("<uws:results {NAMESPACES}>"), 1) + "\n"
}

/// The job list (UWS 1.1 §2.2.2.1).
pub fn job_list_xml(jobs: &[Job], urls: &JobUrls) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<uws:jobs {NAMESPACES} version=\"1.1\">"
    );
    for job in jobs {
        out.push_str(&format!(
            "<uws:jobref id=\"{}\" xlink:type=\"simple\" xlink:href=\"{}\"><uws:phase>{}</uws:phase>",
            escape_xml(&job.job_id),
            escape_xml(&urls.job(&job.job_id)),
            job.phase.name()
        ));
        if let Some(run_id) = &job.run_id {
            out.push_str(&format!("<uws:runId>{}</uws:runId>", escape_xml(run_id)));
        }
        optional(&mut out, "ownerId", job.owner_id.clone());
        out.push_str(&format!(
            "<uws:creationTime>{}</uws:creationTime></uws:jobref>",
            time(&job.creation_time)
        ));
    }
    out.push_str("</uws:jobs>\n");
    out
}
