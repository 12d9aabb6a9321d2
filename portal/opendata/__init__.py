"""Bulk open data over HTTP: the DCAT-AP catalogue and VoID, dump downloads, the Activity Streams feed."""
