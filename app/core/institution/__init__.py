"""The institution's side of Proctor Desk, beside the laptop's ``Workspace``: which devices it
accepts (one policy, the import's), the admin's acts on them, and what the command line and the
app show of them. Builds on ``sync`` (imports and their checks) and ``trust`` (its identity)."""
