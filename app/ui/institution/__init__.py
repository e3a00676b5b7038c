"""The institution's mode of the app: it opens on the accounts' sign-in (never on a laptop's
device set-up), then on the institution's home (imported sessions, bundle import, devices)."""
