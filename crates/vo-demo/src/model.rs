//! The demo archive as a model: projects down to execution blocks, drawn from a seed.

use crate::fields::{
    Field, Systemic, CALIBRATORS, FIELDS, FIRST_NAMES, JOURNALS, LAST_NAMES, SCIENCE,
};
use crate::lines::{observed_ghz, rest_ghz};
use chrono::{DateTime, Datelike, Duration, SubsecRound, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vo_ingest::{alma_band, release_date_for, ALMA_BANDS};
use vo_region::{angular_distance_deg, Piece, Region, Shape};

use vo_fits::SPEED_OF_LIGHT;

#[derive(Debug, Clone)]
pub struct DemoConfig {
    pub seed: u64,
    /// Approximate number of ObsCore rows (generation stops at the first project past it).
    pub rows: usize,
    /// How many member OUSes get large FITS products (the others get small ones).
    pub file_mous: usize,
    /// Whether every other delivered member OUS has its files too, with small products,
    /// and when they are made.
    pub small_files: SmallFiles,
    /// The reference time: decides what is still proprietary. Fixed → reproducible.
    pub now: DateTime<Utc>,
    /// Prefix of access URLs in the rows.
    pub public_url: String,
}

/// The small files of the member OUSes that do not get large ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallFiles {
    /// Written when the archive is loaded.
    Written,
    /// Registered when the archive is loaded (names, sizes), and made from the seed when
    /// first asked for: the same bytes, their checksums recorded then (for archives of a
    /// million rows, whose files would take hours to write).
    OnFirstAccess,
    /// None: only the `file_mous` member OUSes have files; the others have metadata only.
    Absent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub bibcode: String,
    pub title: String,
    pub first_author: String,
    pub authors: String,
    pub abstract_text: String,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: String,
    pub ra: f64,
    pub dec: f64,
    pub region: Region,
    /// Diameter of the covered area, degrees.
    pub fov: f64,
    /// What the source is, as SIMBAD's object types name it (ObsCore's `target_class`).
    pub class: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spw {
    pub id: u32,
    pub lo_ghz: f64,
    pub hi_ghz: f64,
    pub channel_khz: f64,
    pub resolution_khz: f64,
    /// mJy/beam in 10 km/s, and at the native resolution.
    pub sens_10kms: f64,
    pub sens_native: f64,
    /// The targeted line, if this is the line window.
    pub line: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ebs {
    pub uid: String,
    pub start_mjd: f64,
    pub end_mjd: f64,
    /// QA0: Pass, or SemiPass (kept, but not used for the products).
    pub qa0: &'static str,
}

/// Where a member OUS's data are, as ALMA's Release date column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Observed in part, or being reduced and quality-assessed: no files, no release date.
    InProgress,
    /// A problem found after delivery is being resolved: no files for now.
    InQa3,
}

impl Delivery {
    /// As `archive.member_ous.delivery` and the Release date column write it.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Delivered => "Delivered",
            Delivery::InProgress => "In progress",
            Delivery::InQa3 => "In QA3",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberOus {
    pub uid: String,
    pub group_uid: String,
    pub goal_uid: String,
    pub array: &'static str,
    pub band: u8,
    pub sources: Vec<Source>,
    pub spws: Vec<Spw>,
    pub ebs: Vec<Ebs>,
    pub is_mosaic: bool,
    pub full_pol: bool,
    pub schedblock_name: String,
    pub qa2_passed: bool,
    pub pwv: f32,
    pub resolution_arcsec: f64,
    pub mrs_arcsec: f64,
    pub antennas: String,
    pub cont_sens: f64,
    pub release: DateTime<Utc>,
    pub delivery: Delivery,
    pub last_modified: DateTime<Utc>,
    pub calibrator: Option<(&'static str, f64, f64)>,
    /// The redshift of its sources (its science goal's): their lines are observed at
    /// rest / (1 + z).
    pub redshift: f64,
    /// The width (FWHM, km/s) of its sources' lines.
    pub line_width_kms: f64,
    /// Whether it has files on disk, and whether they are the large ones.
    pub has_files: bool,
    pub large_files: bool,
}

impl MemberOus {
    /// Its phase calibrator as an observed source: a circle of the primary beam (at most
    /// 0.02°) around the calibrator.
    pub fn calibrator_source(&self) -> Option<Source> {
        let (name, ra, dec) = self.calibrator?;
        let pb = self.sources[0].region.bounding_circle().2.min(0.02);
        Some(Source {
            name: name.to_string(),
            ra,
            dec,
            region: Region::single(Shape::Circle {
                ra,
                dec,
                radius: (pb * 1e6).round() / 1e6,
            }),
            fov: 2.0 * pb,
            // ALMA's calibrators are bright quasars
            class: "QSO",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub uid: String,
    pub name: String,
    /// The systemic redshift of its sources, and the velocity c·z it stands for (km/s).
    pub redshift: f64,
    pub groups: Vec<(String, Vec<MemberOus>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub code: String,
    pub title: String,
    pub pi_name: String,
    pub co_investigators: String,
    pub abstract_text: String,
    pub keywords: String,
    pub category: &'static str,
    pub proposal_type: &'static str,
    pub cycle: String,
    pub is_ddt: bool,
    pub goals: Vec<Goal>,
    pub publications: Vec<Publication>,
}

impl Project {
    pub fn members(&self) -> impl Iterator<Item = &MemberOus> {
        self.goals
            .iter()
            .flat_map(|g| g.groups.iter().flat_map(|(_, m)| m.iter()))
    }

    pub fn is_cycle0(&self) -> bool {
        self.cycle.ends_with(".0")
    }
}

#[derive(Debug, Clone)]
pub struct Archive {
    pub config: DemoConfig,
    pub projects: Vec<Project>,
    /// Where each project's draw started (in the order of `projects`).
    pub origins: Vec<Origin>,
    /// Families of related projects (resubmissions and follow-ups of one programme): each
    /// member's abstract carries its family's paragraph. Project codes.
    pub families: Vec<Vec<String>>,
    family_paragraphs: std::collections::HashMap<String, String>,
}

impl Archive {
    pub fn members(&self) -> impl Iterator<Item = (&Project, &MemberOus)> {
        self.projects
            .iter()
            .flat_map(|p| p.members().map(move |m| (p, m)))
    }
}

fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}, {}",
        LAST_NAMES.choose(rng).unwrap(),
        FIRST_NAMES.choose(rng).unwrap()
    )
}

fn log_uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    (rng.gen_range(lo.ln()..hi.ln())).exp()
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

/// The spectral setup of one tuning: a line window centred on the target line where the
/// source puts it (observed GHz) and three more, two sidebands apart, all inside the band.
fn tuning(
    rng: &mut ChaCha8Rng,
    band: u8,
    line: Option<(&str, f64)>,
    line_width_kms: f64,
    tdm_only: bool,
    spw_base: u32,
) -> Vec<Spw> {
    let &(_, band_lo, band_hi) = ALMA_BANDS.iter().find(|b| b.0 == band).unwrap();
    let line_freq = match line {
        Some((_, f)) if f > band_lo + 1.0 && f < band_hi - 1.0 => f,
        _ => rng.gen_range(band_lo + 1.5..band_hi - 1.5),
    };
    // put the other sideband 12 GHz away, on whichever side stays in the band
    let side = if line_freq + 12.0 < band_hi - 1.0 {
        1.0
    } else {
        -1.0
    };
    let centres = [
        line_freq,
        line_freq + side * 1.9,
        line_freq + side * 11.0,
        line_freq + side * 13.0,
    ];
    let mut spws = Vec::new();
    for (i, &centre) in centres.iter().enumerate() {
        let centre = centre.clamp(band_lo + 1.0, band_hi - 1.0);
        let (bw_ghz, channels, factor) = if i == 0 && !tdm_only {
            // a line window at least three line widths wide, with line-free channels
            let least = 3.0 * centre * line_width_kms * 1000.0 / SPEED_OF_LIGHT;
            let setups = [
                (0.46875, 1920.0, 2.0),
                (0.9375, 1920.0, 2.0),
                (0.234375, 1920.0, 2.0),
                (1.875, 3840.0, 2.0),
            ];
            let wide: Vec<_> = setups.iter().filter(|s| s.0 >= least).collect();
            **wide.choose(rng).unwrap_or(&&setups[3])
        } else {
            (1.875, 128.0, 1.0)
        };
        let lo = round_to(centre - bw_ghz / 2.0, 0.01);
        let hi = round_to(lo + bw_ghz, 0.01);
        let channel_khz = bw_ghz * 1e6 / channels;
        let sens_10kms = log_uniform(rng, 0.4, 12.0);
        let velocity_kms = SPEED_OF_LIGHT * channel_khz * factor * 1e3 / (centre * 1e9) / 1e3;
        spws.push(Spw {
            id: spw_base + 2 * i as u32,
            lo_ghz: lo,
            hi_ghz: hi,
            channel_khz,
            resolution_khz: round_to(channel_khz * factor, 0.01),
            sens_10kms,
            sens_native: sens_10kms * (10.0 / velocity_kms).sqrt(),
            line: if i == 0 && !tdm_only {
                line.map(|l| l.0.to_string())
            } else {
                None
            },
        });
    }
    spws
}

/// A mosaic outline: a rectangle with chamfered corners, rotated, centred on (ra, dec).
fn mosaic_polygon(ra: f64, dec: f64, width: f64, height: f64, angle: f64) -> Shape {
    let (w, h) = (width / 2.0, height / 2.0);
    let c = 0.25 * w.min(h);
    let outline = [
        (-w + c, -h),
        (w - c, -h),
        (w, -h + c),
        (w, h - c),
        (w - c, h),
        (-w + c, h),
        (-w, h - c),
        (-w, -h + c),
    ];
    let (s, co) = angle.sin_cos();
    let cos_dec = dec.to_radians().cos();
    Shape::Polygon(
        outline
            .iter()
            .map(|&(x, y)| {
                let (xr, yr) = (x * co - y * s, x * s + y * co);
                (
                    round_to((ra + xr / cos_dec).rem_euclid(360.0), 1e-6),
                    round_to(dec + yr, 1e-6),
                )
            })
            .collect(),
    )
}

fn footprint(rng: &mut ChaCha8Rng, ra: f64, dec: f64, pb_fwhm: f64, mosaic: bool) -> (Region, f64) {
    if !mosaic {
        let radius = round_to(pb_fwhm / 2.0, 1e-6);
        return (
            Region::single(Shape::Circle {
                ra: round_to(ra, 1e-6),
                dec: round_to(dec, 1e-6),
                radius,
            }),
            pb_fwhm,
        );
    }
    let angle = rng.gen_range(0.0..std::f64::consts::PI);
    let (w, h) = (
        pb_fwhm * rng.gen_range(2.0..6.0),
        pb_fwhm * rng.gen_range(1.5..4.0),
    );
    let roll: f64 = rng.gen();
    let region = if roll < 0.08 {
        // a source observed as disjoint fields: a union
        let n = rng.gen_range(2..=3);
        let pieces = (0..n)
            .map(|i| {
                let off = i as f64 * (w + pb_fwhm * rng.gen_range(1.0..3.0));
                Piece {
                    outer: mosaic_polygon(
                        ra + off / dec.to_radians().cos(),
                        dec + off * 0.3,
                        w,
                        h,
                        angle,
                    ),
                    holes: Vec::new(),
                }
            })
            .collect();
        Region { pieces }
    } else if roll < 0.14 {
        // a mosaic with a flagged pointing cut out
        let hole = mosaic_polygon(ra, dec, pb_fwhm * 0.4, pb_fwhm * 0.4, angle);
        Region {
            pieces: vec![Piece {
                outer: mosaic_polygon(ra, dec, w, h, angle),
                holes: vec![hole],
            }],
        }
    } else {
        Region::single(mosaic_polygon(ra, dec, w, h, angle))
    };
    let (bra, bdec, r) = region.bounding_circle();
    let _ = (bra, bdec);
    (region, 2.0 * r)
}

/// The redshift of a science goal's sources: the field's systemic velocity (give or take
/// a few km/s), or for a deep field a redshift in its range at which the targeted line
/// falls in one of the science's bands.
fn systemic_redshift(rng: &mut ChaCha8Rng, systemic: &Systemic, rest: f64, bands: &[u8]) -> f64 {
    let c_kms = SPEED_OF_LIGHT / 1000.0;
    match *systemic {
        Systemic::Velocity(v) => (v + rng.gen_range(-5.0..5.0)) / c_kms,
        Systemic::Redshift(lo, hi) if hi > lo => {
            let mut z = lo;
            for _ in 0..30 {
                z = rng.gen_range(lo..hi);
                if alma_band(observed_ghz(rest, z)).is_some_and(|b| bands.contains(&b)) {
                    break;
                }
            }
            z
        }
        Systemic::Redshift(z, _) => z,
    }
}

/// Draws the whole archive. Deterministic for (seed, rows, file_mous, now).
pub fn generate(mut config: DemoConfig) -> Archive {
    config.now = config.now.trunc_subsecs(0);
    let (mut projects, mut origins) = (Vec::new(), Vec::new());
    for (project, origin) in draws(&config) {
        projects.push(project);
        origins.push(origin);
    }
    let mut delivered: Vec<&mut MemberOus> = projects
        .iter_mut()
        .flat_map(|p| p.goals.iter_mut())
        .flat_map(|g| g.groups.iter_mut())
        .flat_map(|(_, members)| members.iter_mut())
        .filter(|m| m.delivery == Delivery::Delivered)
        .collect();
    let proprietary: Vec<bool> = delivered.iter().map(|m| m.release > config.now).collect();
    for i in large_file_choice(&proprietary, config.file_mous) {
        delivered[i].has_files = true;
        delivered[i].large_files = true;
    }
    let (families, family_paragraphs) = plant_families(&projects, config.seed);
    Archive {
        config,
        projects,
        origins,
        families,
        family_paragraphs,
    }
}

/// Rare words a programme's proposals share (for planting families of related projects).
const PROGRAMME_WORDS: &[&str] = &[
    "isotopologue",
    "deuteration",
    "magnetorotational",
    "photodissociation",
    "cosmic-ray",
    "ambipolar",
    "thermochemistry",
    "streamers",
    "accretion-bursts",
    "episodic",
    "envelope-disk",
    "grain-growth",
    "snowline",
    "vortices",
    "eccentric",
    "warped",
    "shadows",
    "spirals",
    "circumbinary",
    "polarimetry",
    "self-scattering",
    "zeeman",
    "hot-corino",
    "complex-organics",
    "shock-chemistry",
    "jets",
    "protobinary",
    "fragmentation",
    "hub-filament",
    "infall",
    "feedback",
    "quenching",
    "outflows",
    "molecular-winds",
    "starburst",
    "nuclear-rings",
    "bars",
    "gravitational-lensing",
    "dust-temperature",
    "gas-fraction",
    "kinematics",
    "rotation-curves",
    "mergers",
    "tidal-tails",
    "clumps",
    "turbulence",
    "magnetic-fields",
    "maser",
    "evolved-stars",
    "mass-loss",
    "circumstellar",
    "asteroids",
    "comets",
    "atmospheres",
    "exoplanets",
    "debris-belts",
    "planetesimals",
    "cold-fronts",
    "sunyaev-zeldovich",
    "reionization",
];

/// About 6% of the projects in families of three, drawn from the seed apart from the
/// projects' own draws (so no project changes): each family's members get one paragraph
/// naming its programme and six of its rare words.
fn plant_families(
    projects: &[Project],
    seed: u64,
) -> (Vec<Vec<String>>, std::collections::HashMap<String, String>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_fa31_1e5);
    let mut order: Vec<usize> = (0..projects.len()).collect();
    order.shuffle(&mut rng);
    let mut families = Vec::new();
    let mut paragraphs = std::collections::HashMap::new();
    for (k, members) in order.chunks(3).take(projects.len() / 50).enumerate() {
        if members.len() < 3 {
            break;
        }
        let words: Vec<&str> = PROGRAMME_WORDS
            .choose_multiple(&mut rng, 6)
            .copied()
            .collect();
        let name = format!("{}-{:03}", words[0].to_uppercase(), k + 1);
        let paragraph = format!(
            " It belongs to the {name} programme, which combines {}, {}, {}, {}, {} and {}.",
            words[0], words[1], words[2], words[3], words[4], words[5]
        );
        let codes: Vec<String> = members.iter().map(|&i| projects[i].code.clone()).collect();
        for code in &codes {
            paragraphs.insert(code.clone(), paragraph.clone());
        }
        families.push(codes);
    }
    (families, paragraphs)
}

impl Archive {
    /// A project's abstract as the archive holds it: as drawn, with its family's paragraph.
    pub fn abstract_of(&self, p: &Project) -> String {
        match self.family_paragraphs.get(&p.code) {
            Some(paragraph) => format!("{}{paragraph}", p.abstract_text),
            None => p.abstract_text.clone(),
        }
    }
}

/// Where each project's draw starts and which member OUSes get large files: what making a
/// member OUS's files again needs, found without keeping the archive (a few MB at a million
/// rows, where the archive takes half a GB).
pub struct DrawIndex {
    pub origins: std::collections::HashMap<String, Origin>,
    pub large: std::collections::HashSet<String>,
}

/// The [`DrawIndex`] of the archive [`generate`] draws under `config`.
pub fn draw_index(config: &DemoConfig) -> DrawIndex {
    let mut config = config.clone();
    config.now = config.now.trunc_subsecs(0);
    let mut origins = std::collections::HashMap::new();
    let mut delivered: Vec<(String, bool)> = Vec::new();
    for (project, origin) in draws(&config) {
        delivered.extend(
            project
                .members()
                .filter(|m| m.delivery == Delivery::Delivered)
                .map(|m| (m.uid.clone(), m.release > config.now)),
        );
        origins.insert(project.code, origin);
    }
    let proprietary: Vec<bool> = delivered.iter().map(|(_, p)| *p).collect();
    let large = large_file_choice(&proprietary, config.file_mous)
        .into_iter()
        .map(|i| std::mem::take(&mut delivered[i].0))
        .collect();
    DrawIndex { origins, large }
}

/// The projects in the order drawn, each with its origin, until they hold `config.rows`
/// ObsCore rows (`config.now` in whole seconds).
fn draws(config: &DemoConfig) -> impl Iterator<Item = (Project, Origin)> + '_ {
    let mut drawer = Drawer::new(config.seed);
    let mut rows = 0usize;
    std::iter::from_fn(move || {
        if rows >= config.rows {
            return None;
        }
        let mut origin = drawer.origin();
        let (project, counter) = drawer.draw(config);
        origin.cycle = project.cycle.clone();
        origin.counter = counter;
        rows += project
            .members()
            .map(|m| m.sources.len() * m.spws.len() + usize::from(m.calibrator.is_some()))
            .sum::<usize>();
        Some((project, origin))
    })
}

/// Where a project's draw starts: with the seed, enough to draw that project again alone
/// ([`redraw`]) without drawing the ones before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    word_pos: u128,
    uid_block: u32,
    eb_block: u32,
    /// The project's cycle, and that cycle's running number before it.
    cycle: String,
    counter: u32,
}

/// The project drawn from `origin` (one of [`Archive::origins`]) under `config`: the same
/// project [`generate`] drew there, except that no member OUS is marked for large files
/// (those are chosen over the whole archive).
pub fn redraw(config: &DemoConfig, origin: &Origin) -> Project {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_word_pos(origin.word_pos);
    let mut drawer = Drawer {
        rng,
        running: [(origin.cycle.clone(), origin.counter)].into(),
        uid_block: origin.uid_block,
        eb_block: origin.eb_block,
    };
    drawer.draw(config).0
}

/// The generator between two projects.
struct Drawer {
    rng: ChaCha8Rng,
    /// The last running number of each cycle's project codes.
    running: std::collections::BTreeMap<String, u32>,
    uid_block: u32,
    eb_block: u32,
}

impl Drawer {
    fn new(seed: u64) -> Drawer {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let uid_block = 0x1000u32 + rng.gen_range(0..0x100);
        let eb_block = 0xa0000u32 + rng.gen_range(0..0x1000);
        Drawer {
            rng,
            running: Default::default(),
            uid_block,
            eb_block,
        }
    }

    fn origin(&self) -> Origin {
        Origin {
            word_pos: self.rng.get_word_pos(),
            uid_block: self.uid_block,
            eb_block: self.eb_block,
            cycle: String::new(),
            counter: 0,
        }
    }

    /// The next project, and its cycle's running number before it.
    fn draw(&mut self, config: &DemoConfig) -> (Project, u32) {
        let last_year = config.now.year().max(2013);
        let rng = &mut self.rng;
        let running = &mut self.running;
        let mut uid_block = self.uid_block;
        let mut eb_block = self.eb_block;
        let year = if rng.gen_bool(0.03) {
            2011
        } else {
            rng.gen_range(2012..=last_year)
        };
        let is_ddt = year > 2011 && rng.gen_bool(0.06);
        let cycle_char = if year == 2011 {
            "0".to_string()
        } else if is_ddt {
            "A".to_string()
        } else {
            "1".to_string()
        };
        let kind = if year == 2011 {
            "S"
        } else {
            [("S", 88), ("T", 8), ("L", 4)]
                .choose_weighted(rng, |k| k.1)
                .unwrap()
                .0
        };
        let key = format!("{year}.{cycle_char}");
        let counter = running.entry(key.clone()).or_insert(rng.gen_range(1..60));
        let counter_before = *counter;
        *counter += rng.gen_range(1..25);
        let code = format!("{year}.{cycle_char}.{:05}.{kind}", *counter % 100_000);
        let field: &Field = FIELDS.choose(rng).unwrap();
        let science = &SCIENCE[field.science];
        let pi_name = person(rng);
        let co_investigators = (0..rng.gen_range(2..12))
            .map(|_| person(rng))
            .collect::<Vec<_>>()
            .join("; ")
            + ";";
        let line = *science.lines.choose(rng).unwrap();
        let line_rest = rest_ghz(line).expect("the science lines are in lines::LINES");
        let keyword_count = rng.gen_range(1..=2);
        let mut keywords: Vec<&str> = science
            .keywords
            .choose_multiple(rng, keyword_count)
            .copied()
            .collect();
        keywords.sort();
        let title = match rng.gen_range(0..3) {
            0 => format!(
                "Resolving {} in {}",
                science.topic,
                field.name.replace('_', " ")
            ),
            1 => format!(
                "{} observations of {}: {}",
                line,
                field.name.replace('_', " "),
                science.topic
            ),
            _ => format!(
                "A survey of {} toward {}",
                science.topic,
                field.name.replace('_', " ")
            ),
        };
        let abstract_text = format!(
            "We propose ALMA observations of {} in {} to study {}. The {} line and the underlying dust continuum trace the gas at the scales \
             where the physics changes. Combined with existing data, these observations will test current models and provide a legacy data set \
             for the community.",
            field.name.replace('_', " "),
            line,
            science.topic,
            line
        );
        let mut project = Project {
            code: code.clone(),
            title,
            pi_name,
            co_investigators,
            abstract_text,
            keywords: keywords.join(", "),
            category: science.category,
            proposal_type: kind,
            cycle: key,
            is_ddt,
            goals: Vec::new(),
            publications: Vec::new(),
        };
        uid_block += rng.gen_range(1..40);
        let mut next_entity = rng.gen_range(0x10..0x80u32);
        let mut uid = |rng: &mut ChaCha8Rng| {
            next_entity += rng.gen_range(1..3);
            format!("uid://A001/X{uid_block:x}/X{next_entity:x}")
        };
        let goals = *[1, 1, 1, 2, 2, 3].choose(rng).unwrap();
        for g in 0..goals {
            let goal_uid = uid(rng);
            let redshift = systemic_redshift(rng, &field.systemic, line_rest, science.bands);
            let observed = observed_ghz(line_rest, redshift);
            let band = match alma_band(observed) {
                Some(b) if g == 0 && science.bands.contains(&b) => b,
                _ => *science.bands.choose(rng).unwrap(),
            };
            let tdm_only = rng.gen_bool(0.15);
            let line_width_kms = rng.gen_range(science.line_width_kms.0..science.line_width_kms.1);
            // the targeted line, where this source puts it (observed GHz), if in the band
            let goal_line = if g == 0 && alma_band(observed) == Some(band) {
                Some((line, observed))
            } else {
                science
                    .lines
                    .iter()
                    .map(|&name| (name, observed_ghz(rest_ghz(name).unwrap(), redshift)))
                    .find(|l| alma_band(l.1) == Some(band))
            };
            let mut goal = Goal {
                uid: goal_uid.clone(),
                redshift,
                name: format!(
                    "{} {} b{band}",
                    field.name,
                    goal_line.map(|l| l.0).unwrap_or("continuum")
                ),
                groups: Vec::new(),
            };
            let groups = if rng.gen_bool(0.1) { 2 } else { 1 };
            let centre_ra = field.ra
                + rng.gen_range(-field.spread..field.spread) / field.dec.to_radians().cos();
            let centre_dec = field.dec + rng.gen_range(-field.spread..field.spread);
            let obs_start = Utc.with_ymd_and_hms(year, 10, 1, 0, 0, 0).unwrap()
                + Duration::hours(rng.gen_range(0..24 * 330));
            for epoch in 0..groups {
                let group_uid = uid(rng);
                let mut arrays = vec!["12m"];
                if rng.gen_bool(0.3) {
                    arrays.push("7m");
                    if rng.gen_bool(0.5) {
                        arrays.push("TP");
                    }
                }
                let mosaic = rng.gen_bool(0.25);
                let nsources = *[1, 1, 1, 2, 2, 3].choose(rng).unwrap();
                let mut members = Vec::new();
                for array in arrays {
                    let member_uid = uid(rng);
                    let (dish, spw_base) = match array {
                        "12m" => (12.0, 25),
                        "7m" => (7.0, 16),
                        _ => (12.0, 17),
                    };
                    let spws = tuning(rng, band, goal_line, line_width_kms, tdm_only, spw_base);
                    let freq = (spws[0].lo_ghz + spws[0].hi_ghz) / 2.0;
                    let pb_fwhm = (1.13 * SPEED_OF_LIGHT / (freq * 1e9) / dish).to_degrees();
                    let mut sources = Vec::new();
                    for s in 0..nsources {
                        let (ra, dec) = if s == 0 {
                            (centre_ra, centre_dec)
                        } else {
                            (
                                centre_ra
                                    + rng.gen_range(-0.05..0.05) / centre_dec.to_radians().cos(),
                                centre_dec + rng.gen_range(-0.05..0.05),
                            )
                        };
                        let (region, fov) = footprint(
                            rng,
                            ra.rem_euclid(360.0),
                            dec.clamp(-89.0, 89.0),
                            pb_fwhm,
                            mosaic || array == "TP",
                        );
                        let (cra, cdec, _) = region.bounding_circle();
                        let name = if s == 0 {
                            field.name.to_string()
                        } else {
                            format!("{}_{}", field.name, (b'a' + s as u8 - 1) as char)
                        };
                        sources.push(Source {
                            name,
                            ra: cra,
                            dec: cdec,
                            region,
                            fov,
                            class: field.class,
                        });
                    }
                    let mut t = obs_start + Duration::days(epoch as i64 * rng.gen_range(20..60));
                    if t > config.now - Duration::days(3) {
                        t = config.now - Duration::days(rng.gen_range(3..300));
                    }
                    let mut ebs = Vec::new();
                    for _ in 0..rng.gen_range(1..=4) {
                        let start = t.timestamp() as f64 / 86400.0 + 40587.0;
                        let end = start + rng.gen_range(35.0..85.0) / 1440.0;
                        eb_block += rng.gen_range(1..500);
                        ebs.push(Ebs {
                            uid: format!(
                                "uid://A002/X{eb_block:x}/X{:x}",
                                rng.gen_range(0x10..0x3fff)
                            ),
                            start_mjd: start,
                            end_mjd: end,
                            qa0: if rng.gen_bool(0.08) {
                                "SemiPass"
                            } else {
                                "Pass"
                            },
                        });
                        t += Duration::hours(rng.gen_range(20..200));
                    }
                    let last_end = DateTime::from_timestamp(
                        ((ebs.last().unwrap().end_mjd - 40587.0) * 86400.0) as i64,
                        0,
                    )
                    .unwrap();
                    let release = release_date_for(&code, last_end, None);
                    // observed in the last four months: often not delivered yet; rarely,
                    // delivered data are back in QA3
                    let delivery =
                        if config.now - last_end < Duration::days(120) && rng.gen_bool(0.6) {
                            Delivery::InProgress
                        } else if rng.gen_bool(0.015) {
                            Delivery::InQa3
                        } else {
                            Delivery::Delivered
                        };
                    let mut last_modified = last_end + Duration::days(rng.gen_range(20..120));
                    if last_modified > config.now {
                        last_modified = config.now - Duration::hours(rng.gen_range(1..48));
                    }
                    let scale = 100.0 / freq;
                    let (resolution, mrs, antennas) = match array {
                        "12m" => {
                            let config_index = rng.gen_range(0..8);
                            let res =
                                [3.4, 2.3, 1.4, 0.9, 0.55, 0.3, 0.2, 0.12][config_index] * scale;
                            let mrs =
                                [28.5, 22.6, 16.2, 11.2, 6.7, 4.1, 2.6, 1.4][config_index] * scale;
                            let n = rng.gen_range(38..50);
                            let ants = (0..n)
                                .map(|i| {
                                    format!(
                                        "A{:03}:D{}{:02}",
                                        rng.gen_range(1..140),
                                        if i % 2 == 0 { "A" } else { "V" },
                                        rng.gen_range(1..66)
                                    )
                                })
                                .collect::<Vec<_>>();
                            (res, mrs, ants.join(" "))
                        }
                        "7m" => (
                            12.5 * scale,
                            66.7 * scale,
                            (1..=rng.gen_range(9..12))
                                .map(|i| format!("J{:03}:CM{i:02}", 500 + i))
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                        _ => (
                            56.6 * scale,
                            56.6 * scale * 3.0,
                            (1..=rng.gen_range(2..5))
                                .map(|i| format!("T70{i}:PM{i:02}"))
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                    };
                    let pwv = match band {
                        1..=4 => rng.gen_range(1.0..4.5),
                        5..=7 => rng.gen_range(0.5..2.2),
                        _ => rng.gen_range(0.2..0.8),
                    };
                    let calibrator = if rng.gen_bool(0.3) {
                        CALIBRATORS
                            .iter()
                            .min_by(|a, b| {
                                angular_distance_deg(centre_ra, centre_dec, a.1, a.2).total_cmp(
                                    &angular_distance_deg(centre_ra, centre_dec, b.1, b.2),
                                )
                            })
                            .copied()
                    } else {
                        None
                    };
                    let array_code = match array {
                        "12m" => "TM1",
                        "7m" => "7M",
                        _ => "TP",
                    };
                    members.push(MemberOus {
                        uid: member_uid,
                        group_uid: group_uid.clone(),
                        goal_uid: goal_uid.clone(),
                        array,
                        band,
                        schedblock_name: format!(
                            "{}_{}_{:02}_{array_code}",
                            field.name,
                            ['a', 'b', 'c', 'd', 'e'][band as usize % 5],
                            rng.gen_range(1..20)
                        ),
                        sources,
                        spws,
                        ebs,
                        is_mosaic: mosaic || array == "TP",
                        full_pol: array != "TP" && rng.gen_bool(0.08),
                        qa2_passed: rng.gen_bool(0.95),
                        pwv,
                        resolution_arcsec: resolution,
                        mrs_arcsec: mrs,
                        antennas,
                        cont_sens: log_uniform(rng, 0.01, 0.4),
                        release,
                        delivery,
                        last_modified,
                        calibrator,
                        redshift,
                        line_width_kms,
                        has_files: config.small_files != SmallFiles::Absent
                            && delivery == Delivery::Delivered,
                        large_files: false,
                    });
                }
                goal.groups.push((group_uid, members));
            }
            project.goals.push(goal);
        }
        let public = project.members().any(|m| m.release <= config.now);
        if public && rng.gen_bool(0.42) {
            for _ in 0..rng.gen_range(1..=3) {
                let pub_year = (year + rng.gen_range(2..5)).min(config.now.year());
                let first = person(rng);
                let surname_initial = first.chars().next().unwrap_or('X');
                let journal = JOURNALS.choose(rng).unwrap();
                let bibcode = format!(
                    "{pub_year}{journal:.<5}{:.>4}{:.>5}{surname_initial}",
                    rng.gen_range(100..999),
                    rng.gen_range(1..300)
                );
                let others = (0..rng.gen_range(1..8))
                    .map(|_| person(rng))
                    .collect::<Vec<_>>()
                    .join("; ");
                project.publications.push(Publication {
                    title: format!(
                        "ALMA reveals {} in {}",
                        science.topic,
                        field.name.replace('_', " ")
                    ),
                    authors: format!("{first}; {others}"),
                    first_author: first,
                    abstract_text: format!(
                        "We present ALMA {} observations of {}. {}",
                        line,
                        field.name.replace('_', " "),
                        science.topic
                    ),
                    year: pub_year,
                    bibcode,
                });
            }
        }
        self.uid_block = uid_block;
        self.eb_block = eb_block;
        (project, counter_before)
    }
}

/// Which of the delivered member OUSes (whether each is still proprietary, in archive order)
/// get large files: `file_mous` of them spread evenly over the released ones and the
/// proprietary ones (half of them, rounded down, for the proprietary, as far as there are
/// such). Indices into `proprietary`.
fn large_file_choice(proprietary: &[bool], file_mous: usize) -> Vec<usize> {
    let in_proprietary = proprietary.iter().filter(|p| **p).count();
    let released = proprietary.len() - in_proprietary;
    let from_released = file_mous.div_ceil(2).min(released);
    let from_proprietary = (file_mous - from_released).min(in_proprietary);
    let mut chosen = Vec::new();
    for (wanted, is_proprietary) in [(from_proprietary, true), (from_released, false)] {
        if wanted == 0 {
            continue;
        }
        let pool: Vec<usize> = (0..proprietary.len())
            .filter(|&i| proprietary[i] == is_proprietary)
            .collect();
        let step = (pool.len() / wanted).max(1);
        chosen.extend(pool.iter().skip(step / 2).step_by(step).take(wanted));
    }
    chosen
}
