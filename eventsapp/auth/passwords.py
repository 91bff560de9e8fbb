"""The password rule, for every path that sets a password (CLI, change page, admin reset).

As NIST SP 800-63B asks: at least 12 characters, not the user name, not a common or
guessable password; no composition rules (no "one digit, one capital"). zxcvbn ships
30,000 common passwords from breaches and scores repeats (aaaa…), sequences and keyboard
walks; a password it rates below 3 of 4 would fall to an online guesser too soon."""
import secrets

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MIN_ZXCVBN_SCORE = 3


def password_problem(password: str, *, username: str) -> str | None:
    """The code of the first rule the password breaks (an AuthError code), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if username and username.casefold() in password.casefold():
        return "password_contains_username"
    if zxcvbn(password, user_inputs=[username])["score"] < MIN_ZXCVBN_SCORE:
        return "password_too_common"
    return None


def generate_password() -> str:
    """A random password for a new account or a reset: 20 characters, 120 bits."""
    return secrets.token_urlsafe(15)
