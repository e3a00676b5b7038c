"""Records travelling between sites and the institution: bundle export from a laptop's records,
import into the institution's database, import receipts and purge."""
