"""Map national registers kept as spreadsheets (CSV/XLSX) to ELM v3.1 with a declarative mapping file."""
