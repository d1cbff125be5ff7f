"""Build static/vendor/lucide-<version>/sprite.svg from the npm package lucide-static (ISC).

    cd /tmp && npm pack lucide-static@1.62.0 && tar xzf lucide-static-1.62.0.tgz
    python scripts/build_icon_sprite.py /tmp/package

Only the icons listed in ICONS are kept (a few kilobytes). To add one, append its Lucide name
and run the script again; templates use it as {% icon "name" %} (backoffice/templatetags/ui.py).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ICONS = """
house folder-open file-text users user-round wallet banknote calendar calculator settings key-round scale
receipt chart-column list-checks inbox building-2 layout-dashboard shield-check history log-out chevron-down
graduation-cap handshake briefcase chart-pie file-spreadsheet upload download circle-check triangle-alert
clock circle-x plus search landmark info file-check lock arrow-right bell mail eye pencil trash-2 coins
book-open award send repeat-2 table-2 sliders-horizontal layers arrow-left-right check x circle-user
file-plus hourglass
""".split()

ROOT = Path(__file__).resolve().parent.parent


def main(package: Path) -> None:
    version = json.loads((package / "package.json").read_text())["version"]
    out_dir = ROOT / "static" / "vendor" / f"lucide-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)
    symbols = []
    for name in ICONS:
        svg = (package / "icons" / f"{name}.svg").read_text()
        body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
        body = re.sub(r"\s+", " ", body).strip()
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
                       f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{body}</symbol>')
    (out_dir / "sprite.svg").write_text(
        f"<!-- Lucide {version} (ISC licence, see LICENSE beside this file); built by "
        f"scripts/build_icon_sprite.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n")
    shutil.copy(package / "LICENSE", out_dir / "LICENSE")
    print(f"{len(symbols)} icons -> {out_dir / 'sprite.svg'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
