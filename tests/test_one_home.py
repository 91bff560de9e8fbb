"""Labels with one home: the indicator items' names (surveys/defaults.py) and the professions
(people/professions.py) are typed once in the application; demo/ only uses them as data."""
import ast
from collections import Counter
from pathlib import Path

from eventsapp.people.professions import PROFESSIONS
from eventsapp.surveys.defaults import INDICATOR_LABELS, PROFESSIONS as SURVEY_PROFESSIONS, indicator_label

PACKAGE = Path(__file__).resolve().parent.parent / "eventsapp"
# Long enough not to be a word of ordinary text (その他, 行政 and 満足度 are).
LABELS = {"気軽に連携できるようになった", "今後の支援に活かせる", "人生会議の重要性を周囲に伝えたい",
          "MSW・社会福祉士", "介護福祉士・訪問介護員", "PT・OT・ST", "消防・救急"}


def string_constants() -> Counter:
    found = Counter()
    for path in PACKAGE.rglob("*.py"):
        if "demo" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in LABELS:
                found[node.value, str(path.relative_to(PACKAGE))] += 1
    return found


def test_each_label_is_typed_in_one_place():
    places = Counter(label for label, _ in string_constants())
    assert places == Counter({label: 1 for label in LABELS})


def test_the_lists_read_from_their_home():
    assert len(PROFESSIONS) == 15 and PROFESSIONS[-2:] == ("市民", "その他")
    # the professionals' survey: the same professions and order, without 市民
    assert [label for _, label in SURVEY_PROFESSIONS] == [p for p in PROFESSIONS if p != "市民"]
    assert indicator_label("collaboration") == "気軽に連携できるようになった" == INDICATOR_LABELS["collaboration"]
    assert indicator_label("custom_key") == "custom_key"
