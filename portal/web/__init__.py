"""What every page and endpoint of the portal shares: settings, the store per request, content negotiation,
RFC 9457 problems, security headers, link safety, languages and UI text, and the WSGI server.

Imports `store` only, never a blueprint package.
"""
