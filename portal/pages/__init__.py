"""The site's own pages: home, about, and browsing lists of qualifications and organisations."""
