"""Run the official EN 16931 CII Schematron (published as XSLT by ConnectingEurope/
eInvoicing-EN16931, file cii/xslt/EN16931-CII-validation.xslt) on a CII XML with saxonche.

The XSLT is not shipped with the project: point MUTUALISE_EN16931_CII_XSLT at it, or put it
in var/schematron/. Used by the tests and by whoever checks invoices while building.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"


def schematron_xslt() -> Path | None:
    path = Path(os.environ.get("MUTUALISE_EN16931_CII_XSLT")
                or settings.BASE_DIR / "var" / "schematron" / "EN16931-CII-validation.xslt")
    return path if path.is_file() else None


def schematron_failures(xmls: list[bytes], xslt: Path) -> list[list[str]]:
    """For each XML, the failed assertions of the official rules ("[BR-xx] text"), fatal
    ones only (the stylesheet is compiled once: it takes seconds)."""
    from saxonche import PySaxonProcessor

    out = []
    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt))
        for xml in xmls:
            document = processor.parse_xml(xml_text=xml.decode("utf-8"))
            report = etree.fromstring(executable.transform_to_string(xdm_node=document).encode("utf-8"))
            out.append([f"[{failed.get('id')}] {' '.join(''.join(failed.itertext()).split())}"
                        for failed in report.iter(f"{{{SVRL}}}failed-assert")
                        if failed.get("flag", "fatal") == "fatal"])
    return out
