"""What comes into the store: RDF parsing with its safety guards (`rdfinput`, `xmlguard`, `credentials`),
personal-data screening, the transactional importer, vocabularies, file validation, the bootstrap of a new
store with demo data, and spreadsheets through declarative mappings (`mapping`).

The top of the store layers: may import every other store package.
"""
