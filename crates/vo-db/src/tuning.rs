//! PostgreSQL's settings for the machine it runs on: memory, cores and disks decide the
//! buffers, the per-sort memory, the parallel workers and the planner's costs. The private
//! cluster starts with them (the operator's `[database] settings` override any one); for an
//! external database they are printed as recommendations (`voarchive db status`).
//!
//! The rules are the usual ones for a dedicated server (PostgreSQL's manual, "Resource
//! Consumption" and "Query Planning"): a quarter of the memory as shared buffers, three
//! quarters as the planner's cache estimate, sort and hash memory split among the
//! connections, SSD costs when no disk spins. JIT is off: the archive's queries are short,
//! and its compile time costs more than it saves (see the README's figures).

use std::collections::BTreeMap;

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

/// What the settings are derived from.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    pub memory_bytes: u64,
    pub cores: usize,
    /// No disk of the machine spins (or none could be seen).
    pub ssd: bool,
}

impl Machine {
    /// This machine: its memory (or its cgroup's limit, when lower), its cores, its disks.
    pub fn detect() -> Machine {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let total = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(4 * GIB, |kib| kib * 1024);
        let limit = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok());
        Machine {
            memory_bytes: limit.map_or(total, |l| l.min(total)),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            ssd: !any_disk_spins(),
        }
    }
}

/// Whether a real block device (not loop, RAM or device-mapper) reports rotation.
fn any_disk_spins() -> bool {
    let Ok(devices) = std::fs::read_dir("/sys/block") else {
        return false;
    };
    devices.flatten().any(|d| {
        let name = d.file_name().to_string_lossy().into_owned();
        let virtual_device = ["loop", "ram", "zram", "dm-", "sr"]
            .iter()
            .any(|p| name.starts_with(p));
        !virtual_device
            && std::fs::read_to_string(d.path().join("queue/rotational"))
                .is_ok_and(|v| v.trim() == "1")
    })
}

/// One setting as PostgreSQL spells it.
fn size(bytes: u64) -> String {
    if bytes >= GIB && bytes % GIB == 0 {
        format!("{}GB", bytes / GIB)
    } else {
        format!("{}MB", (bytes / MIB).max(1))
    }
}

/// The settings for `machine` serving up to `max_connections` connections, by name.
pub fn recommended(machine: &Machine, max_connections: u32) -> BTreeMap<&'static str, String> {
    let memory = machine.memory_bytes;
    let shared_buffers = (memory / 4).clamp(128 * MIB, 32 * GIB) / MIB * MIB;
    // what sorts and hashes may use: the memory left, over a few operations per connection
    let work_mem = ((memory - shared_buffers.min(memory))
        / (4 * u64::from(max_connections.max(1))))
    .clamp(4 * MIB, 256 * MIB)
        / MIB
        * MIB;
    let cores = machine.cores.max(1);
    let mut s = BTreeMap::new();
    s.insert("max_connections", max_connections.to_string());
    s.insert("shared_buffers", size(shared_buffers));
    s.insert("effective_cache_size", size(memory / 4 * 3 / MIB * MIB));
    s.insert("work_mem", size(work_mem));
    s.insert(
        "maintenance_work_mem",
        size((memory / 16).clamp(64 * MIB, 2 * GIB) / MIB * MIB),
    );
    s.insert("max_worker_processes", (cores + 4).to_string());
    s.insert("max_parallel_workers", cores.to_string());
    s.insert(
        "max_parallel_workers_per_gather",
        (cores / 2).clamp(1, 4).to_string(),
    );
    s.insert(
        "max_parallel_maintenance_workers",
        (cores / 2).clamp(1, 4).to_string(),
    );
    s.insert(
        "random_page_cost",
        if machine.ssd { "1.1" } else { "4" }.into(),
    );
    s.insert(
        "effective_io_concurrency",
        if machine.ssd { "200" } else { "2" }.into(),
    );
    s.insert("jit", "off".into());
    // bulk loads write much WAL at once: fewer forced checkpoints
    s.insert("max_wal_size", "4GB".into());
    s.insert("checkpoint_completion_target", "0.9".into());
    // a query whose client is gone (a node killed while its jobs ran) stops within 2 s
    // instead of running to its end for nobody
    s.insert("client_connection_check_interval", "2s".into());
    // on a streaming replica: long reads are not cancelled because the primary removed row
    // versions they still see (the primary keeps them while the replica's reads need them)
    s.insert("hot_standby_feedback", "on".into());
    s
}

/// The recommended settings with the operator's overrides over them, each marked with where
/// it comes from ("machine" or "configured").
pub fn with_overrides(
    recommended: BTreeMap<&'static str, String>,
    overrides: &BTreeMap<String, String>,
) -> Vec<(String, String, &'static str)> {
    let mut out: BTreeMap<String, (String, &'static str)> = recommended
        .into_iter()
        .map(|(k, v)| (k.to_string(), (v, "machine")))
        .collect();
    for (k, v) in overrides {
        out.insert(k.clone(), (v.clone(), "configured"));
    }
    out.into_iter().map(|(k, (v, from))| (k, v, from)).collect()
}

/// Whether `name` = `value` can go on PostgreSQL's command line as it is (a setting's name,
/// and a value without quotes or spaces that could carry another option).
pub fn is_plain_setting(name: &str, value: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+:/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_24_gib_two_core_ssd_machine() {
        let s = recommended(
            &Machine {
                memory_bytes: 24 * GIB,
                cores: 2,
                ssd: true,
            },
            100,
        );
        assert_eq!(s["shared_buffers"], "6GB");
        assert_eq!(s["effective_cache_size"], "18GB");
        assert_eq!(s["work_mem"], "46MB");
        assert_eq!(s["maintenance_work_mem"], "1536MB");
        assert_eq!(s["max_parallel_workers_per_gather"], "1");
        assert_eq!(s["random_page_cost"], "1.1");
        assert_eq!(s["jit"], "off");
    }

    #[test]
    fn a_small_spinning_machine_keeps_floors() {
        let s = recommended(
            &Machine {
                memory_bytes: 512 * MIB,
                cores: 1,
                ssd: false,
            },
            100,
        );
        assert_eq!(s["shared_buffers"], "128MB");
        assert_eq!(s["work_mem"], "4MB");
        assert_eq!(s["maintenance_work_mem"], "64MB");
        assert_eq!(s["random_page_cost"], "4");
    }

    #[test]
    fn overrides_win_and_say_so() {
        let machine = Machine {
            memory_bytes: 8 * GIB,
            cores: 4,
            ssd: true,
        };
        let mut overrides = BTreeMap::new();
        overrides.insert("shared_buffers".to_string(), "1GB".to_string());
        overrides.insert("jit".to_string(), "on".to_string());
        let merged = with_overrides(recommended(&machine, 100), &overrides);
        let get = |n: &str| merged.iter().find(|(k, _, _)| k == n).cloned().unwrap();
        assert_eq!(
            get("shared_buffers"),
            ("shared_buffers".into(), "1GB".into(), "configured")
        );
        assert_eq!(get("jit").1, "on");
        assert_eq!(get("work_mem").2, "machine");
    }

    #[test]
    fn only_plain_settings_reach_the_command_line() {
        assert!(is_plain_setting("shared_buffers", "6GB"));
        assert!(is_plain_setting("random_page_cost", "1.1"));
        assert!(!is_plain_setting("shared_buffers", "6GB -c fsync=off"));
        assert!(!is_plain_setting("x'; y", "1"));
        assert!(!is_plain_setting("work_mem", ""));
    }

    #[test]
    fn this_machine_is_seen() {
        let m = Machine::detect();
        assert!(m.memory_bytes >= 64 * MIB && m.cores >= 1, "{m:?}");
    }
}
