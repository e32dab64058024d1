//! The .docx package: a zip archive of XML parts and media. Everything read from it is bounded
//! (the file, each part, all parts together), so a zip bomb is refused instead of filling memory,
//! and part names are only ever looked up, never used as paths on disk.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// The largest .docx read at all.
const FILE_LIMIT: u64 = 256 << 20;
/// The largest XML part, uncompressed.
const PART_LIMIT: u64 = 64 << 20;
/// The largest image, uncompressed.
const MEDIA_LIMIT: u64 = 64 << 20;
/// Everything read from one package together, uncompressed.
const TOTAL_LIMIT: u64 = 512 << 20;
/// Entries in the archive's directory.
const ENTRY_LIMIT: usize = 50_000;

/// What went wrong with a package, and what to do about it.
#[derive(Debug)]
pub(super) struct Problem {
    pub message: String,
    pub hint: &'static str,
}

fn problem(message: impl Into<String>, hint: &'static str) -> Problem {
    Problem {
        message: message.into(),
        hint,
    }
}

const SAVE_AS_DOCX: &str = "open it in Word or LibreOffice and save it as a Word document (.docx)";

pub(super) struct Package {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    read_so_far: u64,
}

/// A relationship of a part: its type (the last segment of the type URI), its target resolved
/// to a part name (or the URL as written when external).
#[derive(Debug, Clone)]
pub(super) struct Relationship {
    pub kind: String,
    pub target: String,
    pub external: bool,
}

impl Package {
    pub(super) fn open(path: &Path) -> Result<Package, Problem> {
        let size = std::fs::metadata(path)
            .map_err(|err| problem(format!("cannot read the file: {err}"), "check the path"))?
            .len();
        if size > FILE_LIMIT {
            return Err(problem(
                format!(
                    "the file is {} MB, more than the {} MB dossier reads",
                    size >> 20,
                    FILE_LIMIT >> 20
                ),
                "compress the document's pictures in Word (File > Compress Pictures) and save again",
            ));
        }
        let bytes = std::fs::read(path)
            .map_err(|err| problem(format!("cannot read the file: {err}"), "check the path"))?;
        Self::from_bytes(bytes)
    }

    pub(super) fn from_bytes(bytes: Vec<u8>) -> Result<Package, Problem> {
        const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(OLE) {
            // Word saves a password-protected .docx as a compound file holding "EncryptedPackage".
            let marker: Vec<u8> = "EncryptedPackage"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
                return Err(problem(
                    "the document is encrypted (protected with a password)",
                    "remove the password in Word (File > Info > Protect Document > Encrypt with Password, empty it) and save again",
                ));
            }
            return Err(problem(
                "this is an old Word 97-2003 document (.doc), not a .docx",
                SAVE_AS_DOCX,
            ));
        }
        if !bytes.starts_with(b"PK") {
            let what = if bytes.starts_with(b"{\\rtf") {
                "a Rich Text (RTF) file"
            } else if bytes.starts_with(b"%PDF") {
                "a PDF"
            } else {
                "not a zip archive"
            };
            return Err(problem(
                format!("this is not a Word document (.docx): it is {what}"),
                SAVE_AS_DOCX,
            ));
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
            problem(
                format!("the document is damaged: its zip archive cannot be read ({err})"),
                "open it in Word, which may repair it, and save it again",
            )
        })?;
        if archive.len() > ENTRY_LIMIT {
            return Err(problem(
                format!(
                    "the archive lists {} files, more than a Word document holds",
                    archive.len()
                ),
                SAVE_AS_DOCX,
            ));
        }
        Ok(Package {
            archive,
            read_so_far: 0,
        })
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Part names in the archive.
    pub(super) fn names(&self) -> Vec<String> {
        self.archive.file_names().map(str::to_owned).collect()
    }

    fn read(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, Problem> {
        let mut file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(err) => {
                return Err(problem(
                    format!("cannot read {name} in the document: {err}"),
                    "open the document in Word, which may repair it, and save it again",
                ));
            }
        };
        let too_large = |size: u64| {
            problem(
                format!(
                    "{name} in the document unpacks to more than {} MB (a zip bomb, or a damaged file)",
                    size >> 20
                ),
                "dossier refuses such files; save the document again from Word",
            )
        };
        // The declared size may lie: read at most one byte past the limit and look.
        let budget = limit.min(TOTAL_LIMIT.saturating_sub(self.read_so_far));
        if file.size() > budget {
            return Err(too_large(budget));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        (&mut file)
            .take(budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| {
                problem(
                    format!("cannot unpack {name} in the document: {err}"),
                    "open the document in Word, which may repair it, and save it again",
                )
            })?;
        if bytes.len() as u64 > budget {
            return Err(too_large(budget));
        }
        self.read_so_far += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// An XML part as text, `None` when the package has no such part.
    pub(super) fn xml(&mut self, name: &str) -> Result<Option<String>, Problem> {
        let Some(bytes) = self.read(name, PART_LIMIT)? else {
            return Ok(None);
        };
        let text = match bytes.as_slice() {
            [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
            [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
            _ => String::from_utf8(bytes).ok(),
        };
        text.map(|t| Some(t.trim_start_matches('\u{feff}').to_owned()))
            .ok_or_else(|| {
                problem(
                    format!("{name} in the document is not valid text"),
                    "open the document in Word and save it again",
                )
            })
    }

    /// A media file's bytes.
    pub(super) fn media(&mut self, name: &str) -> Result<Option<Vec<u8>>, Problem> {
        self.read(name, MEDIA_LIMIT)
    }

    /// The relationships of `part` (`word/document.xml` -> `word/_rels/document.xml.rels`),
    /// by id. A target that would lead outside the package is an error.
    pub(super) fn relationships(
        &mut self,
        part: &str,
    ) -> Result<HashMap<String, Relationship>, Problem> {
        let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if folder.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{folder}/_rels/{file}.rels")
        };
        let Some(text) = self.xml(&rels_name)? else {
            return Ok(HashMap::new());
        };
        let doc = parse_xml(&text, &rels_name)?;
        let mut map = HashMap::new();
        for node in doc.descendants().filter(|n| n.has_tag_name(ROOT_RELS)) {
            let (Some(id), Some(target)) = (node.attribute("Id"), node.attribute("Target")) else {
                continue;
            };
            let kind = node
                .attribute("Type")
                .and_then(|t| t.rsplit('/').next())
                .unwrap_or_default()
                .to_owned();
            let external = node.attribute("TargetMode") == Some("External");
            let target = if external {
                target.to_owned()
            } else {
                resolve(folder, target).ok_or_else(|| {
                    problem(
                        format!(
                            "the relationship {id} of {part} points outside the document, to `{target}`"
                        ),
                        "the file was made to escape its folder (path traversal): dossier refuses it; save the document again from Word",
                    )
                })?
            };
            map.insert(
                id.to_owned(),
                Relationship {
                    kind,
                    target,
                    external,
                },
            );
        }
        Ok(map)
    }
}

const ROOT_RELS: (&str, &str) = (
    "http://schemas.openxmlformats.org/package/2006/relationships",
    "Relationship",
);

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Option<String> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| read([c[0], c[1]])).collect();
    String::from_utf16(&units).ok()
}

/// A part name from a relationship target relative to `folder`; `None` when it climbs out of
/// the package or is not a plain name.
pub(super) fn resolve(folder: &str, target: &str) -> Option<String> {
    let target = target.replace('\\', "/");
    let target = percent_encoding::percent_decode_str(&target)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s if s.contains(':') || s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Parses an XML part: no DTD (so no entity expansion), a bounded number of nodes.
pub(super) fn parse_xml<'a>(text: &'a str, name: &str) -> Result<roxmltree::Document<'a>, Problem> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 20_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|err| {
        problem(
            format!("{name} in the document is not well-formed XML: {err}"),
            "open the document in Word, which may repair it, and save it again",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_stay_inside_the_package() {
        assert_eq!(
            resolve("word", "media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            resolve("word", "../media/a.png").as_deref(),
            Some("media/a.png")
        );
        assert_eq!(
            resolve("word", "/word/media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(resolve("word", "../../etc/passwd"), None);
        assert_eq!(resolve("word", "media/%2e%2e/%2e%2e/%2e%2e/x"), None);
        assert_eq!(resolve("word", "C:/x"), None);
    }
}
