"""Cut the raw tables the scale catalogue needs out of the published workbooks.

Usage: python scripts/prepare_scale_source.py ONET_XLSX_DIR UK_CODING_INDEX.xlsx UK_VOLUME1.xlsx
       [--out tests/relevance/scale/source]

Reads the O*NET 29.3 database in its Excel form (one workbook per table) and the ONS SOC 2020
coding index and Volume 1 workbooks, and writes the columns the catalogue builder reads as
gzipped TSV files (csv quoting, header row). Nothing is reworded: rows are filtered and columns
dropped, that is all. tests/relevance/scale/source/README.md says where the workbooks came from.

The workbooks are read with the standard library (an .xlsx file is a zip of XML parts), so the
project needs no spreadsheet dependency for a step that runs once per source release.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OUT = Path(__file__).resolve().parents[1] / "tests" / "relevance" / "scale" / "source"


def _column(ref: str) -> int:
    match = re.match(r"[A-Z]+", ref)
    if match is None:
        raise ValueError(f"bad cell reference {ref!r}")
    n = 0
    for ch in match.group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_rows(path: Path, sheet: str | None = None) -> Iterator[list[str]]:
    """Rows of one worksheet as lists of strings (missing cells are "")."""
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): str(r.get("Target")) for r in rels}
    parts: dict[str, str] = {}
    sheets = workbook.find(f"{{{MAIN}}}sheets")
    for node in sheets if sheets is not None else []:
        target = targets[node.get(f"{{{RELS}}}id")].lstrip("/")
        parts[str(node.get("name"))] = target if target.startswith("xl/") else f"xl/{target}"
    part = next(iter(parts.values())) if sheet is None else parts[sheet]
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        for item in strings.findall(f"{{{MAIN}}}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{{{MAIN}}}t")))
    for _, element in ElementTree.iterparse(archive.open(part)):
        if element.tag != f"{{{MAIN}}}row":
            continue
        cells: dict[int, str] = {}
        for cell in element.findall(f"{{{MAIN}}}c"):
            kind = cell.get("t")
            value = cell.find(f"{{{MAIN}}}v")
            if kind == "s" and value is not None and value.text is not None:
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{MAIN}}}t"))
            else:
                text = value.text if value is not None and value.text is not None else ""
            cells[_column(str(cell.get("r")))] = text
        element.clear()
        if cells:
            yield [cells.get(i, "") for i in range(max(cells) + 1)]


def write_tsv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0: the same rows always give the same bytes, so a re-run shows no git diff.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    print(f"{path.name}: {len(rows)} rows")


def table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(sheet_rows(path))
    header = [h.strip() for h in rows[0]]
    width = len(header)
    return header, [(r + [""] * width)[:width] for r in rows[1:]]


def pick(header: list[str], rows: list[list[str]], columns: Sequence[str]) -> list[list[str]]:
    index = [header.index(c) for c in columns]
    return [[row[i].strip() for i in index] for row in rows]


def prepare_onet(folder: Path, out: Path) -> None:
    header, rows = table(folder / "Occupation Data.xlsx")
    columns = ["O*NET-SOC Code", "Title", "Description"]
    write_tsv(out / "onet_occupation_data.tsv.gz", columns, pick(header, rows, columns))

    header, rows = table(folder / "Alternate Titles.xlsx")
    columns = ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"]
    write_tsv(out / "onet_alternate_titles.tsv.gz", columns, pick(header, rows, columns))

    header, rows = table(folder / "Task Statements.xlsx")
    columns = ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding"]
    write_tsv(out / "onet_task_statements.tsv.gz", columns, pick(header, rows, columns))

    header, rows = table(folder / "Related Occupations.xlsx")
    columns = ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"]
    write_tsv(out / "onet_related_occupations.tsv.gz", columns, pick(header, rows, columns))

    # Only the scales the builder reads: occupational interest (OI) and skill importance (IM).
    header, rows = table(folder / "Interests.xlsx")
    scale = header.index("Scale ID")
    columns = ["O*NET-SOC Code", "Element Name", "Data Value"]
    kept = [r for r in rows if r[scale] == "OI"]
    write_tsv(out / "onet_interests.tsv.gz", columns, pick(header, kept, columns))

    header, rows = table(folder / "Skills.xlsx")
    scale = header.index("Scale ID")
    kept = [r for r in rows if r[scale] == "IM"]
    write_tsv(out / "onet_skills.tsv.gz", columns, pick(header, kept, columns))


def prepare_uk(index: Path, volume1: Path, out: Path) -> None:
    rows = list(sheet_rows(index, "SOC2020 coding index"))
    header = [h.strip() for h in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    columns = [
        "SOC_2020",
        "SOC_2020_ext",
        "INDEXOCC_-_natural_word_order",
        "ADD",
        "IND",
        "SOC2020_unit_group_title",
        "SOC2020_ext_SUG_title",
    ]
    write_tsv(out / "uk_soc2020_coding_index.tsv.gz", columns, pick(header, body, columns))

    rows = list(sheet_rows(volume1, "SOC2020 descriptions"))
    width = len(rows[0])
    columns = [
        "major",
        "sub_major",
        "minor",
        "unit",
        "title",
        "description",
        "entry_routes",
        "tasks",
        "related_job_titles",
    ]
    keep = [0, 1, 2, 3, 4, 6, 7, 8, 9]  # column 5 lists the groups inside a group: derivable
    body = []
    for row in rows[1:]:
        cells = [(row + [""] * width)[i].strip() for i in keep]
        body.append(["" if c == "<blank>" else c for c in cells])
    write_tsv(out / "uk_soc2020_descriptions.tsv.gz", columns, body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("onet_dir", type=Path, help="folder with the O*NET 29.3 .xlsx files")
    parser.add_argument("uk_index", type=Path, help="soc2020volume2thecodingindexexcel*.xlsx")
    parser.add_argument("uk_volume1", type=Path, help="soc2020volume1structureand*.xlsx")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    prepare_onet(args.onet_dir, args.out)
    prepare_uk(args.uk_index, args.uk_volume1, args.out)


if __name__ == "__main__":
    main()
