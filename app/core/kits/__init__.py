"""Site kits: what the institution sends an exam site before the exam (session plan, rosters,
rulebook, its public keys and root certificate, and a site signing certificate), signed by
the institution. Format: docs/site-kit.md."""
