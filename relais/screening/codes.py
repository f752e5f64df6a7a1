"""Pre-registration codes: short, readable aloud, and not guessable.

8 characters from a 32-symbol alphabet (Crockford's base 32: no I, L, O, U) carry 40 bits:
about 1.1 * 10¹² codes. Why that is enough:
- A code is only ever *tried* by signed-in staff of the pharmacy that issued it (pickup is a
  staff action, scoped to their own pharmacy, audited); the public page never accepts one,
  so there is nothing to enumerate from the Internet.
- A code lives 48 hours. Even with 10,000 live codes in one pharmacy (ten times the busiest
  day) an insider trying one code per second for the full 48 hours (172,800 tries, every
  failure audited) hits any live code with probability 172,800 * 10⁴ / 2⁴⁰ ≈ 1.6 * 10⁻³;
  at the rate any counter could sustain by hand it is below 10⁻⁶.
- Codes are drawn with `secrets` (the OS CSPRNG) and stored only as an HMAC keyed per
  pharmacy, so a database copy reveals no code.
Typing is forgiving: case, spaces, hyphens and the look-alikes O→0, I/L→1 are folded.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
_FOLDS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: object) -> str | None:
    """The canonical code typed or scanned at the counter, or None if it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 4 * CODE_LENGTH:
        return None
    compact = "".join(c for c in raw.upper() if c not in " -\t").translate(_FOLDS)
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return compact


def display_code(code: str) -> str:
    """ "ABCD-EFGH": two groups are easier to read out at a counter."""
    return f"{code[:4]}-{code[4:]}"
