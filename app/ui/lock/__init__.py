"""The lock screen (first-run device setup and unlocking by PIN) and the idle watcher."""
