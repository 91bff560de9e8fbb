"""The English catalogue: complete, up to date with the sources, and faithful to the placeholders.

No database: the catalogue is read with Babel, and the strings are extracted in-process exactly as
`make messages` does (babel.cfg, the same keywords, eventsapp/ and templates/ only).
"""
import os
import re
from collections import Counter
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "eventsapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
SOURCES = ("eventsapp", "templates")

# %(name)s, %(count)d, %s, %% and a stray % (which would break the %-formatting of a template's
# _()), and the {name} / {n} / {time} ... placeholders that the check-in page's JavaScript fills in.
PLACEHOLDER = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%%|%[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%|\{\w*\}")


def read_catalog():
    with PO_FILE.open("rb") as fileobj:
        return read_po(fileobj)


def messages():
    return [m for m in read_catalog() if m.id]


def makefile_keywords() -> list[str]:
    """The -k options of `make messages`, so that the test and the Makefile cannot drift apart."""
    recipe = re.search(r"^messages:.*?(?=^\S|\Z)", (ROOT / "Makefile").read_text(), re.M | re.S)
    assert recipe, "the Makefile has no `messages` target"
    keywords = re.findall(r"-k\s+(\S+)", recipe.group(0))
    assert keywords, "`make messages` passes no -k keyword"
    return keywords


def only_sources(path: str) -> bool:
    """Walk eventsapp/ and templates/ only (never .venv, node_modules, static/, tests/...)."""
    parts = Path(os.path.relpath(path, ROOT)).parts
    return parts[0] in SOURCES and not any(part.startswith(".") for part in parts)


def extracted_msgids() -> set:
    with (ROOT / "babel.cfg").open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename="babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(makefile_keywords())}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords, directory_filter=only_sources,
    ):
        found.add((context, message))
    return found


def show(keys) -> str:
    return "\n".join(f"  {msgid!r}" + (f" (context {context!r})" if context else "") for context, msgid in sorted(keys, key=repr))


def test_english_catalogue_is_complete_and_has_no_fuzzy_entries():
    catalog = messages()
    assert catalog, f"{PO_FILE} holds no messages"
    untranslated = [m.id for m in catalog if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated msgids in {PO_FILE.name}:\n" + "\n".join(f"  {i!r}" for i in untranslated)
    assert not fuzzy, f"{len(fuzzy)} fuzzy msgids in {PO_FILE.name}:\n" + "\n".join(f"  {i!r}" for i in fuzzy)
    assert not read_catalog().obsolete, "obsolete (#~) entries remain: run `make messages`"


def test_english_catalogue_matches_the_strings_of_the_sources():
    in_sources = extracted_msgids()
    in_catalog = {(m.context, m.id) for m in messages()}
    missing = in_sources - in_catalog
    stale = in_catalog - in_sources
    assert not missing, (
        f"{len(missing)} msgids of the sources are missing from {PO_FILE.name}; "
        "run `make messages`, translate them, then `make translations`:\n" + show(missing)
    )
    assert not stale, f"{len(stale)} msgids of {PO_FILE.name} are no longer in the sources; run `make messages`:\n" + show(stale)


def test_translations_keep_the_placeholders_of_their_msgid():
    wrong = []
    for m in messages():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for n, string in enumerate(strings):
            msgid = ids[min(n, len(ids) - 1)]  # the singular for form 0, the plural for the others
            expected, got = Counter(PLACEHOLDER.findall(msgid)), Counter(PLACEHOLDER.findall(string))
            if string and expected != got:
                wrong.append(f"  {msgid!r} -> {string!r}: expected {sorted(expected.elements())}, got {sorted(got.elements())}")
    assert not wrong, f"{len(wrong)} translations change the placeholders of their msgid:\n" + "\n".join(wrong)


def test_the_page_says_its_language_from_the_first_request_that_chooses_it(client):
    """<html lang> follows Babel's choice, also on the very request that carries ?lang=en."""
    assert '<html lang="en">' in client.get("/?lang=en").text
    assert '<html lang="en">' in client.get("/").text  # kept in the session
    assert '<html lang="ja">' in client.get("/?lang=ja").text
