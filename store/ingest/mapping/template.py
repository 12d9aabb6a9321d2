"""The ready-to-fill register template: CSV files and an XLSX workbook with the default mapping's columns."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from store.ingest.mapping.mapping import DEFAULT_MAPPING, TableMapping, load_mapping

EXAMPLE_QUALIFICATION = {
    "id": "Q-0001", "title_en": "Certificate in Plumbing", "title_fr": "Certificat de plomberie",
    "description_en": "National vocational certificate for plumbing installers.",
    "description_fr": "Certificat professionnel national des installateurs sanitaires.",
    "eqf_level": "4", "nqf_level": "CFC Level 4", "isced_f": "0732", "language": "fr; en",
    "credits": "120", "credit_system": "ECVET", "volume": "1200 h", "awarding_body": "ORG-1",
    "homepage": "https://training.example/plumbing",
    "entry_requirement_en": "Lower secondary education (EQF 2).",
    "entry_requirement_fr": "Enseignement secondaire inférieur (CEC 2).",
    "knowledge_en": "Knows sanitary and heating components.\nKnows the water supply regulations.",
    "knowledge_fr": "Connaît les composants sanitaires et de chauffage.\nConnaît la réglementation de l'eau.",
    "skills_en": "Installs domestic water supply systems.",
    "skills_fr": "Installe des réseaux d'eau domestiques.",
    "autonomy_en": "Works on site without supervision.",
    "autonomy_fr": "Travaille sur chantier sans supervision.",
    "valid_from": "01/09/2025", "modified": "2025-01-15",
}
EXAMPLE_ORGANISATION = {
    "id": "ORG-1", "name_en": "Vocational Training Institute",
    "name_fr": "Institut de formation professionnelle",
    "country": "BE", "city_en": "Charleroi", "city_fr": "Charleroi",
    "address": "Rue de la Science 2, 6000 Charleroi", "homepage": "https://training.example",
}


def template_columns(table: TableMapping) -> list[str]:
    """The header of a table: its key, then every column its fields read, in mapping order."""
    columns = [table.key] if table.key else []
    columns += [c for f in table.fields.values() for c in f.columns().values()]
    return list(dict.fromkeys(columns))


def write_template(folder: Path) -> list[Path]:
    """Write register.csv + organisations.csv, register.xlsx and mapping.yaml into `folder`."""
    import openpyxl

    mapping = load_mapping(DEFAULT_MAPPING)
    assert mapping.organisations is not None
    tables = {"Qualifications": (template_columns(mapping.qualifications), EXAMPLE_QUALIFICATION),
              "Organisations": (template_columns(mapping.organisations), EXAMPLE_ORGANISATION)}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (columns, example) in tables.items():
        path = folder / ("register.csv" if name == "Qualifications" else f"{name.lower()}.csv")
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerows([columns, [example.get(c, "") for c in columns]])
        written.append(path)
        sheet = book.create_sheet(name)
        sheet.append(columns)
        sheet.append([example.get(c, "") for c in columns])
    book.save(folder / "register.xlsx")
    written.append(folder / "register.xlsx")
    written.append(Path(shutil.copyfile(DEFAULT_MAPPING, folder / "mapping.yaml")))
    return written
