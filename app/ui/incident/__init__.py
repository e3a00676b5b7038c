"""The incident window: record, sign and confirm an incident, amend or void it, return items.

``window.IncidentWindow`` is what the main window opens (Ctrl+N, a double-click in the incident
list, unfinished drafts after unlock); ``drafts.unfinished_drafts`` lists the drafts to reopen.
"""
