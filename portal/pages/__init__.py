"""The site's own pages: the home page and the browse lists of qualifications, organisations and fields."""
