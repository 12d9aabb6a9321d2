"""Dereferenceable IRIs: each resource as an HTML page (en/fr) or in every RDF format, by negotiation."""
