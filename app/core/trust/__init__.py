"""Trust between the institution and its exam sites: the institution's keys and root
certificate, site certificates, device certificates, and which devices are accepted or revoked."""
