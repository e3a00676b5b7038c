"""Sync bundles on a site laptop: exporting a session's records for the institution."""
