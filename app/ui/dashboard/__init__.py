"""The session dashboard: header, roster, incident list, what needs signatures, rulebook."""
