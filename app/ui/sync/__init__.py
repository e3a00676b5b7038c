"""Sync bundles in the app: exporting a session's records on a site laptop
(``export_dialog``), and importing many bundles at the institution off the GUI thread, with a
status per file (``import_dialog``)."""
