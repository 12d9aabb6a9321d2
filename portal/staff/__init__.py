"""The staff area under /staff (issue 11): sign-in with a server-side session, the dashboard, the account page.

`session` turns the `nqdb_session` cookie into a principal (`current_principal`), guards views
(`staff_required`), checks the CSRF token of every unsafe request and sets the cookies; `views` are the
pages. The record pages of the register slot in here later, behind `staff_required`. Accounts and sessions
themselves live in `store.registry`; this package only speaks HTTP and HTML. A blueprint package: imports
`portal.web`, the blueprint packages below it and `store`, nothing above it.
"""
