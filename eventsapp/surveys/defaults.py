"""The city's own survey items, as the default templates of each audience (seeds 000/001).

Professionals (つむぐ会, 症例検討会, 研修会): a 5-point 満足度 and the two 4-point items the plan
measures every year, 「気軽に連携できるようになりましたか」 and 「今後の支援に活かすことが
できますか」, each with its top two options positive; then 職種 and free comments.
Citizens (市民公開講座, 出前講座): 満足度, 「人生会議の重要性を周囲に伝えたいですか」 (custom
key acp_share), 年代 and free comments. Option codes are stable identifiers for the API and
imports; labels are what people read.
"""
from flask_babel import lazy_gettext as _l

from ..catalog.models import Audience
from ..people.age_bands import AGE_BANDS
from ..people.professions import PROFESSION_CODES

# How the city's sheets and reports name the survey items (translated on screens); a custom
# key an organizer typed is their own name for it and is written as it is.
INDICATOR_LABELS = {
    "satisfaction": _l("満足度"),
    "collaboration": _l("気軽に連携できるようになった"),
    "applicability": _l("今後の支援に活かせる"),
    "acp_share": _l("人生会議の重要性を周囲に伝えたい"),
}


def indicator_label(key: str):
    """The label of an indicator key (a lazy translation), or the key of a custom indicator."""
    return INDICATOR_LABELS.get(key, key)

SATISFACTION = {
    "key": "satisfaction", "indicator": "satisfaction", "kind": "likert", "required": True,
    "text": "本日の内容について、満足度を教えてください。",
    "options": [
        ("very_satisfied", "とても満足", True),
        ("satisfied", "満足", True),
        ("neutral", "どちらともいえない", False),
        ("dissatisfied", "やや不満", False),
        ("very_dissatisfied", "不満", False),
    ],
}


def four_point(key: str, text: str, labels: tuple[str, str, str, str], *, required: bool = True) -> dict:
    """A 4-point Likert item whose top two options are positive."""
    codes = ("yes", "rather_yes", "rather_no", "no")
    return {
        "key": key, "indicator": key, "kind": "likert", "required": required, "text": text,
        "options": [(code, label, index < 2) for index, (code, label) in enumerate(zip(codes, labels, strict=True))],
    }


# The professionals' survey asks professionals only: every profession but 市民.
PROFESSIONS = tuple((code, label) for code, label in PROFESSION_CODES if code != "citizen")
COMMENTS = {"key": "comments", "indicator": None, "kind": "text", "required": False, "options": [],
            "text": "ご意見・ご感想、今後取り上げてほしいテーマなどがあればご記入ください。"}

# The title of a joint event's survey when its series span both audiences (editing.py).
JOINT_TITLE = "参加者アンケート"

TEMPLATES = {
    Audience.PROFESSIONALS: {
        "title": "参加者アンケート（専門職向け）",
        "questions": [
            SATISFACTION,
            four_point("collaboration", "気軽に連携できるようになりましたか。",
                       ("できるようになった", "ややできるようになった", "あまりできるようになっていない",
                        "できるようになっていない")),
            four_point("applicability", "今後の支援に活かすことができますか。",
                       ("活かすことができる", "やや活かすことができる", "あまり活かすことができない",
                        "活かすことができない")),
            {"key": "profession", "indicator": None, "kind": "single", "required": False, "text": "職種を教えてください。",
             "options": [(code, label, False) for code, label in PROFESSIONS]},
            COMMENTS,
        ],
    },
    Audience.CITIZENS: {
        "title": "参加者アンケート（市民向け）",
        "questions": [
            {**SATISFACTION, "text": "本日の講座の満足度を教えてください。"},
            {**four_point("acp_share", "人生会議の重要性を周囲に伝えたいですか。",
                          ("伝えたい", "やや伝えたい", "あまり伝えたくない", "伝えたくない"), required=False)},
            {"key": "age", "indicator": None, "kind": "single", "required": False, "text": "年代を教えてください。",
             "options": [(code, label, False) for code, label in AGE_BANDS]},
            COMMENTS,
        ],
    },
}
