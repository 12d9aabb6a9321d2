"""Every portal setting with its default. Override with NQDB_<KEY> environment variables
(e.g. NQDB_STORE=/srv/nqdb, NQDB_PUBLIC_BASE_URL=https://nqdb.example.gov) or a test config."""

from __future__ import annotations


class Defaults:
    """Defaults for every setting; README.md documents each (a test checks it)."""

    # -- core ---------------------------------------------------------------------------------------
    STORE = "nqdb-store"               # directory of the on-disk store (same as the CLI's --store / NQDB_STORE)
    PUBLIC_BASE_URL = ""               # base of minted IRIs; empty = the server's own address (http://host:port)
    TRUSTED_PROXIES = 0                # number of reverse proxies whose X-Forwarded-* headers are trusted
    SITE_NAME = "National Qualifications Database"
    COUNTRY_CODE = ""                  # ISO 3166 alpha-3 of the publishing country, e.g. "BEL" (optional)
    LANGUAGES = "en,fr"                # interface and content languages offered, first is the default
    PAGE_SIZE = 50                     # rows per page on browse pages
    # -- web server (`nqdb serve`; issue 9 case 4, docs/security.md "The web server and the pages") ---------
    SERVER_CONNECTION_LIMIT = 1000     # open connections the server accepts in all
    SERVER_CONNECTIONS_PER_CLIENT = 32 # open connections per client address; 0 = no cap (off with TRUSTED_PROXIES)
    SERVER_HEADER_TIMEOUT = 10.0       # seconds from a request's first byte until its headers are complete; 0 = none
    SERVER_REQUEST_TIMEOUT = 60.0      # seconds from a request's first byte until it is complete (body too); 0 = none
    SERVER_IDLE_TIMEOUT = 20           # seconds a connection may sit idle between requests before it is closed
    # -- open data ----------------------------------------------------------------------------------
    PUBLISHER_NAME = "National Qualifications Authority"
    PUBLISHER_URL = ""                 # homepage of the publisher (DCAT-AP dct:publisher foaf:homepage)
    CONTACT_EMAIL = "info@example.org" # DCAT-AP contact point
    LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"  # licence of the published data
    DUMPS_DIR = ""                     # where dumps are written; empty = <STORE>/dumps
    DUMPS_WATCH_SECONDS = 10.0         # how often the server checks for new data to dump; 0 = never (use `nqdb dump`)
    DUMPS_RETRY_MAX_SECONDS = 600.0    # issue 9 case 20: longest wait between retries of a failing generation
    # -- sparql -------------------------------------------------------------------------------------
    SPARQL_TIMEOUT = 30.0              # seconds before a query is stopped and the client gets a timeout error
    SPARQL_WORKERS = 2                 # worker processes that evaluate queries
    SPARQL_MAX_WAITING = 8             # queries allowed to wait for a worker before 503 + Retry-After
    SPARQL_ROW_LIMIT = 0               # cap on SELECT rows (0 = none); a capped result says so, never silently
    # issue 9 cases 1 and 3 (docs/security.md "The public SPARQL endpoint"):
    SPARQL_FEDERATION_ALLOW = ""       # comma-separated SERVICE endpoint IRIs a query may call; empty = none (refused)
    SPARQL_WORKER_MEMORY = "1GiB"      # heap cap per SPARQL worker (RLIMIT_DATA): bytes or e.g. 512MiB; 0 = none
    # -- register (issue 11: staff logins, README "Running the register") ---------------------------
    LOGIN_MAX_FAILURES = 5             # wrong passwords in a row that lock an account; 0 = never lock
    LOGIN_LOCKOUT_SECONDS = 900        # how long a locked account refuses every login, even the right password
    SESSION_LIFETIME_SECONDS = 28800   # a staff session ends this long after login (8 hours), whatever its use
    # -- api (issue 11: /api/v1, docs/api.md) ---------------------------------------------------------
    API_PAGE_LIMIT = 100               # most records one page of GET /api/v1/records lists (also the default limit)
    API_RATE_LIMIT = 600               # requests an API token may make per window, per server process; 0 = no limit
    API_RATE_WINDOW_SECONDS = 60.0     # the window API_RATE_LIMIT counts over (a token bucket refilled evenly)
    API_MAX_BODY_BYTES = 16777216      # largest request body the API reads (16 MiB); more gets 413
