"""Cell values in common register formats -> RDF-ready text: dates, durations, credits, booleans, codes.

Each parser returns the value, or raises CellProblem with a sentence saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from store.ingest.mapping import lookups


class CellProblem(ValueError):
    """A cell value that cannot be used; the message is plain words for the register's editor."""


LOOKUP_PROBLEMS = {
    "eqf": "unknown EQF level (expected 1 to 8, e.g. '5' or 'Niveau 5')",
    "isced-f": "unknown ISCED-F 2013 field code (expected e.g. '0732')",
    "country": "unknown country code (expected ISO 3166, e.g. 'IE' or 'IRL')",
    "language": "unknown language code (expected e.g. 'fr' or 'FRA')",
    "nqf": "unknown NQF level (expected a QDR code such as 'c_cf6bd5a1' or a label such as 'CFC Level 5')",
    "credit-system": "unknown credit system (expected 'ECTS' or 'ECVET')",
    "outcome-type": "unknown learning-outcome type (expected knowledge, skill or autonomy)",
    "reuse-level": "unknown skill reusability level (expected transversal, cross-sector, sector-specific "
                   "or occupation-specific)",
    "esco-skill": "not an ESCO skill (expected its UUID or IRI)",
    "accreditation-type": "unknown accreditation type (expected a Europass accreditation type label or code)",
}


def look_up(lookup: str, text: str) -> str:
    """The vocabulary IRI `text` names in vocabulary `lookup`."""
    iri = lookups.LOOKUPS[lookup](text)
    if iri is None:
        raise CellProblem(LOOKUP_PROBLEMS[lookup])
    return iri


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


def parse_date(text: str) -> str:
    """An xsd:dateTime from ISO 8601 (date or date-time), dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy or yyyy/mm/dd."""
    value = text.strip()
    try:
        if "T" in value:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = _numeric_date(value)
    return f"{day.isoformat()}T00:00:00Z"


def _numeric_date(value: str) -> dt.date:
    found = _DAY_FIRST.match(value)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    found = _YEAR_FIRST.match(value)
    parts = (found.group(1), found.group(2), found.group(3)) if found else parts
    if parts is None:
        raise CellProblem("not a date (write e.g. 2025-01-15 or 15/01/2025)")
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as error:
        raise CellProblem(f"not a date ({error})") from error


_UNITS = {
    "h": "H", "hr": "H", "hrs": "H", "hour": "H", "hours": "H", "heure": "H", "heures": "H",
    "d": "D", "day": "D", "days": "D", "jour": "D", "jours": "D",
    "w": "W", "wk": "W", "week": "W", "weeks": "W", "semaine": "W", "semaines": "W",
    "m": "M", "month": "M", "months": "M", "mois": "M",
    "y": "Y", "yr": "Y", "year": "Y", "years": "Y", "an": "Y", "ans": "Y", "annee": "Y", "annees": "Y",
}
_DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([^\d\s]+)$")
_XSD_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def parse_duration(text: str, default_unit: str | None = None) -> str:
    """An xsd:duration from 'P2Y', 'PT1200H', '1200 h', '1200 heures', '2 years', '18 mois', '6 weeks'."""
    value = text.strip()
    if _XSD_DURATION.match(value.upper()):
        return value.upper()
    if default_unit and re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        value = f"{value} {default_unit}"
    found = _DURATION.match(value)
    unit = _UNITS.get(lookups.normalise(found.group(2)).rstrip(".")) if found else None
    if found is None or unit is None:
        raise CellProblem("not a duration (write e.g. '1200 h', '2 years', '18 mois' or 'P2Y')")
    amount = Decimal(found.group(1).replace(",", "."))
    if unit == "W":
        unit, amount = "D", amount * 7  # xsd:duration has no weeks
    if unit == "Y" and amount != amount.to_integral():
        unit, amount = "M", amount * 12
    if amount != amount.to_integral():
        raise CellProblem("not a whole number of hours, days, months or years")
    return f"PT{int(amount)}H" if unit == "H" else f"P{int(amount)}{unit}"


_CREDITS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(.*)$")


def parse_credits(text: str) -> tuple[str, str | None]:
    """Credit points and, when the cell names it ('180 ECTS'), the credit system's IRI."""
    found = _CREDITS.match(text.strip())
    if found is None:
        raise CellProblem("not a number of credit points (write e.g. '180' or '180 ECTS')")
    try:
        points = Decimal(found.group(1).replace(",", "."))
    except InvalidOperation as error:
        raise CellProblem("not a number of credit points") from error
    system = look_up("credit-system", found.group(2)) if found.group(2) else None
    return (str(int(points)) if points == points.to_integral() else str(points)), system


_BOOLEANS = {"true": True, "yes": True, "y": True, "oui": True, "1": True, "x": True,
             "false": False, "no": False, "n": False, "non": False, "0": False}


def parse_boolean(text: str) -> bool:
    """A yes/no cell: true/false, yes/no, oui/non, 1/0."""
    value = _BOOLEANS.get(lookups.normalise(text))
    if value is None:
        raise CellProblem("not yes or no (write e.g. 'yes', 'no', 'oui', 'non', 'true' or 'false')")
    return value


_HOST_FIRST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?$")


def lacks_url_scheme(text: str) -> bool:
    """True for a web address written without its scheme: 'www.example.org', 'example.org/courses'."""
    return "://" not in text and bool(_HOST_FIRST.match(text.strip()))


def parse_url(text: str) -> str:
    """A web address (http or https)."""
    value = text.strip()
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise CellProblem("not a web address (expected one starting with http:// or https://)")
    return value
