"""Display preferences the windows read while they draw, set from the saved settings.

The main window sets them when the settings load and whenever they are saved; a window drawn
afterwards follows. Only how things are shown lives here, never what is recorded.
"""

from __future__ import annotations

from app.core.records.app_state import AppSettings

# The English rendering of an outcome's explanation, also in the Chinese interface.
english_explanation = False


def apply(settings: AppSettings) -> None:
    global english_explanation
    english_explanation = settings.english_explanation
