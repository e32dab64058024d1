//! The Typst `World` of one brief: its markup, its images, the bundled fonts and a fixed "today".
//! Nothing is read from the system (no font search, no package download): the same brief gives
//! the same PDF on any machine.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The families the PDF sets text in, in fallback order: Latin (and Greek, Cyrillic) first, then
/// Hangul; code in a monospace face.
pub const SERIF: &[&str] = &["Libertinus Serif", "Dossier Hangul Serif"];
pub const MONO: &[&str] = &["DejaVu Sans Mono", "Dossier Hangul Serif"];

/// The Hangul faces: a subset of NanumMyeongjo (SIL Open Font License 1.1, see assets/fonts/).
const HANGUL: [&[u8]; 2] = [
    include_bytes!("../../assets/fonts/DossierHangulSerif-Regular.ttf"),
    include_bytes!("../../assets/fonts/DossierHangulSerif-Bold.ttf"),
];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: every brief shares them.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let wanted = |font: &Font| {
        let family = font.info().family.as_str();
        SERIF.contains(&family) || MONO.contains(&family)
    };
    let fonts: Vec<Font> = typst_assets::fonts()
        .chain(HANGUL)
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .filter(wanted)
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Whether some bundled font has a glyph for `c`.
pub fn covered(c: char) -> bool {
    FONTS
        .fonts
        .iter()
        .any(|font| font.info().coverage.contains(c as u32))
}

/// The file names the markup refers to. Every brief uses the same few names, because Typst
/// interns file ids process-wide (at most 65,535): ids made per brief would run out.
pub fn main_id() -> FileId {
    file_id("/brief.typ")
}

/// The name of image `n` of a brief, with the extension Typst reads its format from.
pub fn image_path(n: usize, extension: &str) -> String {
    format!("/image-{n}.{extension}")
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/brief.typ").unwrap());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub struct BriefWorld {
    source: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl BriefWorld {
    /// `images` are (path from `image_path`, bytes); `today` is the brief's date, so that
    /// nothing depends on when the PDF is made.
    pub fn new(markup: String, images: Vec<(String, Vec<u8>)>, today: Option<Datetime>) -> Self {
        let files = images
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
            .collect();
        BriefWorld {
            source: Source::new(main_id(), markup),
            files,
            today,
        }
    }

    pub fn source(&self) -> &Source {
        &self.source
    }
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() {
            return Ok(Bytes::from_string(self.source.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
