"""The yearly XLSX checked as the city checks it: opened and printed to PDF by
LibreOffice (`soffice --headless --convert-to pdf`), read back with `pdftotext`. Every line
of every 実績 cell must be in the PDF (a row one line high printed only its first line),
and the page count must be the one expected.

The 実績 column is cut out of each page by its header's position (`pdftotext -bbox`), so
the text read is that column's alone, and whitespace is ignored: where a printed line
wraps is LibreOffice's business, not the test's. Needs libreoffice-calc and poppler-utils
(CI installs them); without them the test is skipped, except under CI."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_yearly_report import year_2025  # noqa: F401

from eventsapp.extensions import db
from eventsapp.reports.yearly_document import yearly_document
from eventsapp.reports.yearly_xlsx import yearly_xlsx

TOOLS = ("soffice", "pdftotext", "pdfinfo")
missing = [tool for tool in TOOLS if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(bool(missing) and os.environ.get("CI") != "true",
                                reason=f"needs LibreOffice and poppler-utils ({', '.join(missing)} missing)")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def to_pdf(xlsx: bytes, folder: Path) -> Path:
    source = folder / "yearly.xlsx"
    source.write_bytes(xlsx)
    # A profile of its own: a running LibreOffice of the user would otherwise take the job.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return folder / "yearly.pdf"


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def result_column_text(pdf: Path, header: str) -> str:
    """The text right of the 実績 header on every page (all of it on a page without the
    header), without whitespace."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = []
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        left = next((float(x) for x, word in WORD.findall(page) if word == header), 0.0)
        text.append(subprocess.run(
            ["pdftotext", "-r", "72", "-f", str(number), "-l", str(number), "-x", str(int(left) - 1), "-y", "0",
             "-W", str(int(width - left) + 2), "-H", str(int(height) + 1), str(pdf), "-"],
            check=True, capture_output=True, text=True).stdout)
    return re.sub(r"\s", "", "".join(text))


def assert_every_result_line_printed(document: dict, pdf: Path) -> None:
    printed = result_column_text(pdf, f"{document['label']}実績")
    lines = [line for row in document["rows"] for line in row["result"].splitlines() if line.strip()]
    assert lines
    missing_lines = [line for line in lines if re.sub(r"\s", "", line) not in printed]
    assert missing_lines == []


def test_every_line_of_the_small_year_is_printed_on_one_page(year_2025, tmp_path):
    document = yearly_document(db.session, 2025)
    pdf = to_pdf(yearly_xlsx(document), tmp_path)
    assert page_count(pdf) == 1  # three rows, no front matter
    assert_every_result_line_printed(document, pdf)


@pytest.mark.slow
def test_the_demo_year_prints_whole_on_five_pages(app, tmp_path):
    """Seed 001's year: 32 rows, the longest 実績 (the つむぐ会 block) 24 lines high."""
    from eventsapp.demo.programme import load_demo

    load_demo(db.session)
    document = yearly_document(db.session, 2025)
    pdf = to_pdf(yearly_xlsx(document), tmp_path)
    assert_every_result_line_printed(document, pdf)
    assert page_count(pdf) == 5
