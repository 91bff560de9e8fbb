"""The typed 受付番号: one shape for the door, the venue survey, search and imports, and the
scanner page's script holding the same bound."""
import re
from pathlib import Path

from eventsapp.registration.numbers import NUMBER_MAX_DIGITS, parse_registration_number

SCANNER_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "scanner.js"


def test_a_typed_number_is_one_to_nine_digits_full_width_too():
    assert parse_registration_number("42") == 42
    assert parse_registration_number(" ４２ ") == 42  # full-width, as a Japanese keyboard types it
    assert parse_registration_number("999999999") == 999_999_999  # nine digits
    for text in (None, "", "  ", "1234567890", "-1", "4.2", "12a", "١٢"):
        assert parse_registration_number(text) is None, text


def test_the_scanner_script_states_the_same_bound():
    script = SCANNER_JS.read_text(encoding="utf-8")
    bounds = re.findall(r"const NUMBER_MAX_DIGITS = (\d+);", script)
    assert bounds == [str(NUMBER_MAX_DIGITS)]
    assert "{1,9}" not in script  # the bound is not typed a second time
