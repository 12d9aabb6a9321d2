"""The `nqdb` command line: serve, load, validate, dump, stats and the table commands, with their console
output (progress bars, summaries, --json). Uses `portal` (to serve) and `store`; neither imports it.
"""
