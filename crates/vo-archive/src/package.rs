//! A package tar assembled from the files it holds, when it is downloaded: the archive keeps
//! each file once (the products that SODA cuts and previews read), and the tar around them
//! is laid out on demand — byte for byte the tar the `tar` crate writes for the same files
//! (GNU headers, mode 0644, owner 0, time 0), so its size and checksum are known when it is
//! registered and any byte range can be served.
//!
//! A file stored at `<top>/<project>/science_goal.…/…/name` sits in the tar at the path below
//! its top directory, as in ALMA's packages.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// One file of a package: where it is stored (relative to the data directory) and its size.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageEntry {
    pub path: PathBuf,
    pub size: u64,
}

impl PackageEntry {
    /// The path the file has inside the tar: its stored path below the top directory.
    pub fn name_in_tar(&self) -> String {
        let mut parts = self.path.components();
        parts.next();
        parts.as_path().to_string_lossy().into_owned()
    }
}

/// A run of the tar's bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Header bytes, made in memory.
    Bytes(Vec<u8>),
    /// `len` bytes of a stored file (relative to the data directory) from `offset`.
    File {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
    /// Zero bytes: the padding after a file and the end of the archive.
    Zeros(u64),
}

impl Piece {
    fn len(&self) -> u64 {
        match self {
            Piece::Bytes(b) => b.len() as u64,
            Piece::File { len, .. } | Piece::Zeros(len) => *len,
        }
    }

    /// The part `skip..skip+take` of this piece.
    fn part(&self, skip: u64, take: u64) -> Piece {
        match self {
            Piece::Bytes(b) => Piece::Bytes(b[skip as usize..(skip + take) as usize].to_vec()),
            Piece::File { path, offset, .. } => Piece::File {
                path: path.clone(),
                offset: offset + skip,
                len: take,
            },
            Piece::Zeros(_) => Piece::Zeros(take),
        }
    }
}

/// The layout of a package tar: its pieces in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageLayout {
    pieces: Vec<Piece>,
    len: u64,
}

const BLOCK: u64 = 512;

impl PackageLayout {
    /// The tar of these files, in the order of their names in the tar.
    pub fn new(mut entries: Vec<PackageEntry>) -> PackageLayout {
        entries.sort_by_key(PackageEntry::name_in_tar);
        let mut pieces = Vec::with_capacity(entries.len() * 3 + 1);
        for entry in entries {
            pieces.push(Piece::Bytes(header(&entry.name_in_tar(), entry.size)));
            pieces.push(Piece::File {
                path: entry.path,
                offset: 0,
                len: entry.size,
            });
            let padding = (BLOCK - entry.size % BLOCK) % BLOCK;
            if padding > 0 {
                pieces.push(Piece::Zeros(padding));
            }
        }
        // the end of the archive: two empty blocks
        pieces.push(Piece::Zeros(2 * BLOCK));
        let len = pieces.iter().map(Piece::len).sum();
        PackageLayout { pieces, len }
    }

    /// The tar's size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pieces that make the bytes `start..start+count` (clamped to the tar).
    pub fn pieces(&self, start: u64, count: u64) -> Vec<Piece> {
        let end = start.saturating_add(count).min(self.len);
        let mut out = Vec::new();
        let mut at = 0u64;
        for piece in &self.pieces {
            let (from, to) = (at, at + piece.len());
            at = to;
            if to <= start {
                continue;
            }
            if from >= end {
                break;
            }
            let skip = start.saturating_sub(from);
            let take = to.min(end) - from - skip;
            out.push(piece.part(skip, take));
        }
        out
    }

    /// Writes the whole tar, reading the files under `data_dir`.
    pub fn write(&self, data_dir: &Path, out: &mut impl Write) -> std::io::Result<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Bytes(b) => out.write_all(b)?,
                Piece::Zeros(n) => {
                    std::io::copy(&mut std::io::repeat(0).take(*n), out).map(|_| ())?
                }
                Piece::File { path, offset, len } => {
                    let mut file = std::fs::File::open(data_dir.join(path))?;
                    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(*offset))?;
                    let copied = std::io::copy(&mut file.take(*len), out)?;
                    if copied != *len {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            format!("{} is shorter than registered", path.display()),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Writes a tar of files held in memory (name in the tar, bytes), in the layout of the tars
/// assembled on download: for packages whose files are kept only inside them.
pub fn write_tar(out: &mut impl Write, entries: &[(String, &[u8])]) -> std::io::Result<()> {
    for (name, bytes) in entries {
        out.write_all(&header(name, bytes.len() as u64))?;
        out.write_all(bytes)?;
        let padding = (BLOCK - bytes.len() as u64 % BLOCK) % BLOCK;
        out.write_all(&vec![0u8; padding as usize])?;
    }
    out.write_all(&[0u8; 2 * BLOCK as usize])
}

/// The header blocks of one file (a GNU long-name entry first when the name needs it), as
/// the `tar` crate writes them.
fn header(name: &str, size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Regular);
    let mut builder = tar::Builder::new(Vec::new());
    // with no data, the builder writes exactly the header blocks
    builder
        .append_data(&mut header, name, std::io::empty())
        .expect("writing a tar header to memory");
    let bytes = builder.get_ref().clone();
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files under a temporary data directory, and the tar the `tar` crate writes of them.
    fn fixture() -> (tempfile::TempDir, Vec<PackageEntry>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let long = format!(
            "products/2019.1.00123.S/science_goal.uid___A001_X1234_X5a/group.uid___A001_X1234_X5b/member.uid___A001_X1234_X5c/product/{}.fits",
            "x".repeat(120)
        );
        let files: Vec<(String, Vec<u8>)> = vec![
            ("products/p/b.txt".into(), b"hello".to_vec()),
            (
                "products/p/a.bin".into(),
                (0..1300u32).map(|i| i as u8).collect(),
            ),
            (long, vec![7u8; 512]),
            ("products/p/empty".into(), Vec::new()),
        ];
        let mut entries = Vec::new();
        for (path, bytes) in &files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, bytes).unwrap();
            entries.push(PackageEntry {
                path: PathBuf::from(path),
                size: bytes.len() as u64,
            });
        }
        let mut sorted = files.clone();
        sorted.sort_by_key(|(p, _)| p.split_once('/').unwrap().1.to_string());
        let mut builder = tar::Builder::new(Vec::new());
        for (path, bytes) in &sorted {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_uid(0);
            header.set_gid(0);
            header.set_entry_type(tar::EntryType::Regular);
            builder
                .append_data(
                    &mut header,
                    path.split_once('/').unwrap().1,
                    bytes.as_slice(),
                )
                .unwrap();
        }
        (dir, entries, builder.into_inner().unwrap())
    }

    #[test]
    fn the_assembled_tar_is_the_tar_crates_byte_for_byte() {
        let (dir, entries, expected) = fixture();
        let layout = PackageLayout::new(entries);
        assert_eq!(layout.len(), expected.len() as u64);
        let mut written = Vec::new();
        layout.write(dir.path(), &mut written).unwrap();
        assert_eq!(written, expected);
        // and it reads back as a tar, long name and all
        let mut archive = tar::Archive::new(written.as_slice());
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names.len(), 4);
        assert!(
            names[0].ends_with(".fits") && names[0].len() > 100,
            "{names:?}"
        );
    }

    #[test]
    fn a_tar_written_from_memory_is_the_same_layout() {
        let (dir, entries, expected) = fixture();
        let mut from_memory: Vec<(String, Vec<u8>)> = entries
            .iter()
            .map(|e| {
                (
                    e.name_in_tar(),
                    std::fs::read(dir.path().join(&e.path)).unwrap(),
                )
            })
            .collect();
        from_memory.sort();
        let borrowed: Vec<(String, &[u8])> = from_memory
            .iter()
            .map(|(n, b)| (n.clone(), b.as_slice()))
            .collect();
        let mut written = Vec::new();
        write_tar(&mut written, &borrowed).unwrap();
        assert_eq!(written, expected);
    }

    #[test]
    fn any_range_is_the_same_bytes_as_the_whole() {
        let (dir, entries, expected) = fixture();
        let layout = PackageLayout::new(entries);
        let read = |start: u64, count: u64| -> Vec<u8> {
            let mut out = Vec::new();
            for piece in layout.pieces(start, count) {
                match piece {
                    Piece::Bytes(b) => out.extend(b),
                    Piece::Zeros(n) => out.extend(std::iter::repeat_n(0u8, n as usize)),
                    Piece::File { path, offset, len } => {
                        let bytes = std::fs::read(dir.path().join(path)).unwrap();
                        out.extend(&bytes[offset as usize..(offset + len) as usize]);
                    }
                }
            }
            out
        };
        let n = expected.len() as u64;
        let mut state = 12345u64;
        for _ in 0..500 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let start = (state >> 33) % n;
            let count = (state >> 13) % (n - start + 1);
            assert_eq!(
                read(start, count),
                expected[start as usize..(start + count) as usize],
                "{start}+{count}"
            );
        }
        assert_eq!(read(0, n), expected);
        assert_eq!(read(n - 1, 100), expected[n as usize - 1..]);
        assert!(read(n, 10).is_empty());
    }
}
