"""CSV and spreadsheet files of exactly the suppressed tables on screen, with the filters
and the suppression rule written in the file. Pure: plain rows in, bytes out."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook


def to_csv(preamble: list[tuple[str, str]], tables: list[tuple[str, list[list]]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for label, value in preamble:
        writer.writerow([label, value])
    for title, rows in tables:
        writer.writerow([])
        writer.writerow([title])
        writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(preamble: list[tuple[str, str]], tables: list[tuple[str, list[list]]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    for label, value in preamble:
        sheet.append([label, value])
    for title, rows in tables:
        sheet.append([])
        sheet.append([title])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
