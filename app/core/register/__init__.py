"""The register of barred candidates (``docs/register.md``): every ban decided in casework,
brought up to date from the casework steps, screened against rosters, and the flags a site
kit carries for its own rostered candidates."""
