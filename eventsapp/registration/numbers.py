"""The 受付番号 as people type it: at the door, at the venue survey link, in search and in an
imported sheet. It is the registration's id; static/js/scanner.js checks the same shape
before sending (its NUMBER_MAX_DIGITS must stay equal to the one here)."""
import unicodedata

# Nine digits stay below the database's INTEGER limit, so a typed number never overflows a query.
NUMBER_MAX_DIGITS = 9


def parse_registration_number(text: str | None) -> int | None:
    """The 受付番号 in a typed text (full-width digits and outer spaces allowed), or None when
    the text is not 1–NUMBER_MAX_DIGITS digits; the caller decides what that means."""
    digits = unicodedata.normalize("NFKC", text or "").strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= NUMBER_MAX_DIGITS):
        return None
    return int(digits)
