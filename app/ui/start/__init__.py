"""The start screen: choose, create or import a session, open the demo; the clock check."""
