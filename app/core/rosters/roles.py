"""Staff roles as they appear in a roster: the code or the Chinese name of the role."""

from __future__ import annotations

from app.core.rosters.text import fold
from app.core.rulebook.model import ROLE_LABELS_ZH, StaffRole

# The names of the roles as the guideline (Art. 9–11, 16) and the site staff write them.
ROLE_LABELS: dict[StaffRole, str] = ROLE_LABELS_ZH

_EXTRA_NAMES: dict[str, StaffRole] = {
    "质量督导人员": StaffRole.SUPERVISOR,
    "考评员": StaffRole.ASSESSOR,
}

_BY_NAME: dict[str, StaffRole] = {
    **{fold(label): role for role, label in ROLE_LABELS.items()},
    **{fold(role.value): role for role in StaffRole},
    **{fold(name): role for name, role in _EXTRA_NAMES.items()},
}


def parse_role(text: str) -> StaffRole | None:
    """The role named by ``text`` (code or Chinese name, any case or width), or None."""
    return _BY_NAME.get(fold(text))
