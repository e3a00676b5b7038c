"""Bundle import at the institution: pick many files, import them off the GUI thread, see a
status per file."""
