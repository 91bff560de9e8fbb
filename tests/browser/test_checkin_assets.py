"""The scanner's decoder as `make assets` serves it: the WebAssembly file must be exactly the
one barcode-detector was built against (a mismatch shows in the browser only as a misleading
"Barcode detection service unavailable"), and the service worker must precache files that exist."""
import hashlib
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "barcode-detector"


@pytest.fixture
def vendor() -> Path:
    if not (VENDOR / "ponyfill.js").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("static/vendor is missing: `make assets` must run before the tests")
        pytest.skip("static/vendor is missing: run `make assets`")
    return VENDOR


def test_the_served_wasm_is_the_one_the_ponyfill_expects(vendor):
    script = (vendor / "ponyfill.js").read_text(encoding="utf-8")
    expected = set(re.findall(r"\b[0-9a-f]{64}\b", script))
    actual = hashlib.sha256((vendor / "zxing_reader.wasm").read_bytes()).hexdigest()
    assert actual in expected, f"zxing_reader.wasm {actual} is not the build barcode-detector pins"


def test_the_service_worker_precaches_files_that_exist(vendor):
    worker = (ROOT / "static" / "js" / "sw.js").read_text(encoding="utf-8")
    listed = re.findall(r"'(/static/[^']+)'", worker)
    assert listed, "no precached files found in sw.js"
    missing = [path for path in listed if not (ROOT / path.lstrip("/")).exists()]
    assert missing == []
    door_scripts = [*(ROOT / "static" / "js").glob("checkin-*.js"), ROOT / "static/js/scanner.js",
                    ROOT / "static/js/live-count.js"]
    scripts = {f"/static/js/{path.name}" for path in door_scripts}
    assert scripts <= set(listed), f"scripts the scanner may need offline but sw.js does not precache: {scripts - set(listed)}"
