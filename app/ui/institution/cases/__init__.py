"""The institution's casework windows: the list of cases and one case walked through its steps."""
