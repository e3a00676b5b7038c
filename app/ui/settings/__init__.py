"""The settings page: device identity, code and key, data folder, idle lock, language."""
