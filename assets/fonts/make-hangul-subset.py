"""Makes assets/fonts/DossierHangulSerif-{Regular,Bold}.ttf from Debian's fonts-nanum.

    apt-get install fonts-nanum python3-fonttools
    python3 assets/fonts/make-hangul-subset.py

NanumMyeongjo is under the SIL Open Font License 1.1 with reserved font names ("Nanum",
"NanumMyeongjo", ...): a subset is a Modified Version, so it is renamed. Kept: Hangul Jamo,
Hangul Compatibility Jamo, Hangul Syllables, CJK symbols and punctuation, full-width forms.
Hinting is dropped (a PDF viewer does not use it): about 1.8 MB a weight instead of 3.2 MB.
"""

import pathlib

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = pathlib.Path("/usr/share/fonts/truetype/nanum")
HERE = pathlib.Path(__file__).parent
FAMILY = "Dossier Hangul Serif"
RANGES = "U+1100-11FF,U+3000-303F,U+3130-318F,U+AC00-D7A3,U+FF01-FF60"

for source, style in [("NanumMyeongjo.ttf", "Regular"), ("NanumMyeongjoBold.ttf", "Bold")]:
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    font = TTFont(SOURCE / source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(RANGES))
    subsetter.subset(font)
    postscript = "DossierHangulSerif-" + style
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    names = font["name"]
    # Keep the copyright, licence and licence URL; every name record goes.
    names.names = [r for r in names.names if r.nameID in (0, 13, 14)]
    for name_id, value in [
        (1, FAMILY),
        (2, style),
        (3, "dossier:" + postscript),
        (4, full),
        (5, "Version 1.0; Hangul subset of NanumMyeongjo (SIL OFL 1.1)"),
        (6, postscript),
    ]:
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    font["OS/2"].usWeightClass = 700 if style == "Bold" else 400
    font.save(HERE / f"{postscript}.ttf")
