"""The password rules, after NIST SP 800-63B (5.1.1.2): long enough, any characters, nothing easy to guess.

- At least 10 characters and up to 200; spaces, punctuation and any script are allowed. No "a digit and a capital"
  rule and no forced change every few months: the guideline advises against both.
- Refused when it is easy to guess, as the guideline's blocklist asks: a password common in public leaks, a word
  of a dictionary or a list of names, the account's own username or name, the Pemda's name, the app's name (and
  the demo password printed in the README), or a pattern: repeats, sequences, keyboard rows, dates.

The lists and the estimate come from zxcvbn (MIT licence; its password list holds the 30,000 most frequent
passwords of public leaks, which include Indonesian ones such as "rahasia", "bismillah", "sayangku"). A password
is accepted when zxcvbn estimates at least 10^8 guesses for it (its score 3, "safely unguessable"), both as
typed and with its spaces, hyphens, dots and underscores taken out (zxcvbn reads "1234 5678 90" or "q w e r t y"
as random characters otherwise), counted on the first 64 characters: zxcvbn's work grows quickly with length,
and a strong start makes the whole strong.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from zxcvbn import zxcvbn

from ..domain.models import PemdaSettings, User
from ..extensions import db

MIN_LENGTH, MAX_LENGTH = 10, 200
SCORED_PREFIX = 64
SEPARATORS = re.compile(r"[\s\-_.]+")
MIN_GUESSES = 10**8
APP_WORDS = ("pekppp", "penilaian mandiri", "pelayanan publik", "demo-pekppp")  # the last: the demo accounts' password
# zxcvbn keeps the words of the current check in a module-level dictionary: one check at a time per process.
_zxcvbn_lock = threading.Lock()

TOO_SHORT = f"Kata sandi minimal {MIN_LENGTH} karakter."
SAME_AS_USERNAME = "Kata sandi tidak boleh sama dengan nama pengguna."
CONTAINS_OWN_WORD = ("Kata sandi ini mudah ditebak karena memuat “{word}” (nama Anda, nama pengguna, nama Pemda atau nama "
                     "aplikasi). Pilih yang lain.")
COMMON = "Kata sandi ini termasuk yang paling sering dipakai orang; pilih yang lain."
TOO_EASY = ("Kata sandi ini terlalu mudah ditebak (kata umum, pola berulang atau berurutan, tanggal, deretan tombol "
            "papan ketik). Gunakan beberapa kata yang tidak berhubungan, misalnya empat kata dengan tanda hubung.")


def password_problem(password: str, username: str, words: Iterable[str] = ()) -> str | None:
    """Why ``password`` may not be chosen for the account ``username``, or None.

    ``words`` are more context-specific words to refuse (the user's name, the Pemda's name; see ``context_words``).
    """
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return f"Kata sandi paling banyak {MAX_LENGTH} karakter."
    if password.strip().casefold() == username.strip().casefold():
        return SAME_AS_USERNAME
    inputs = [username, *_split(words), *APP_WORDS]
    forms = {password[:SCORED_PREFIX], SEPARATORS.sub("", password)[:SCORED_PREFIX]} - {""}
    with _zxcvbn_lock:
        estimate = min((zxcvbn(form, user_inputs=inputs, max_length=SCORED_PREFIX) for form in forms),
                       key=lambda result: result["guesses"])
    if estimate["guesses"] >= MIN_GUESSES:
        return None
    matches = estimate["sequence"]
    own = next((m["token"] for m in matches if m.get("dictionary_name") == "user_inputs"), None)
    if own is not None:
        return CONTAINS_OWN_WORD.format(word=own)
    if any(m.get("dictionary_name") == "passwords" for m in matches):
        return COMMON
    return TOO_EASY


def context_words(user: User | None = None, full_name: str | None = None) -> list[str]:
    """The words a password of this account may not lean on: its owner's name and the Pemda's name and city."""
    words = [current_app.config["PEMDA_NAME"], full_name or (user.full_name if user else "")]
    saved = db.session.execute(sa.select(PemdaSettings.pemda_name, PemdaSettings.city).limit(1)).first()
    if saved is not None:
        words.extend(saved)
    return [word for word in words if word]


def _split(words: Iterable[str]) -> list[str]:
    """Each name whole (spaces and dots removed) and word by word: "Pemerintah Kota Cilegon" is three words too."""
    parts = []
    for text in words:
        pieces = [piece for piece in re.findall(r"\w+", text.casefold()) if len(piece) >= 3]
        parts.extend(["".join(pieces), *pieces])
    return parts
