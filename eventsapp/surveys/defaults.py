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
    # Surveys of organizations (the office answers): seed 000's 居宅介護支援事業所アンケート.
    "office_collaboration": _l("連携が取れている（事業所）"),
    "office_acp": _l("ACPを取り入れている（事業所）"),
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

# The first questions of a new survey of organizations: seed 000's 居宅介護支援事業所アンケート
# (「連携が取れている」 79.2 %, 「ACPを取り入れている」 70.8 % of 24 offices, the timing and the
# obstacles of ACP). Only the strict answers are positive: the plan counts 「連携が取れている」,
# not 「一部連携が取れている」.
ORGANIZATION_TEMPLATE = {
    "title": "居宅介護支援事業所アンケート",
    "questions": [
        {"key": "office_collaboration", "indicator": "office_collaboration", "kind": "likert", "required": True,
         "text": "医療・介護の多職種との連携は取れていますか。",
         "options": [("yes", "連携が取れている", True), ("partly", "一部連携が取れている", False),
                     ("no", "連携が取れていない", False)]},
        {"key": "office_acp", "indicator": "office_acp", "kind": "single", "required": True,
         "text": "人生会議（ACP）を支援に取り入れていますか。",
         "options": [("yes", "取り入れている", True), ("no", "取り入れていない", False)]},
        {"key": "acp_timing", "indicator": None, "kind": "single", "required": False,
         "text": "取り入れている事業所の方へ：ACPを利用者・家族に初めて確認するのはいつですか。",
         "options": [("care_start", "ケアマネジメントを開始する時", False),
                     ("transition", "入院・退院など状況が変わった時", False),
                     ("worsening", "状態が悪化した時", False),
                     ("asked", "利用者・家族から話があった時", False), ("other", "その他", False)]},
        {"key": "acp_obstacles", "indicator": None, "kind": "multiple", "required": False,
         "text": "人生会議を取り入れるうえで支障になっていることは何ですか。",
         "options": [("not_known", "人生会議の考え方が一般に浸透していない", False),
                     ("reaction", "話を切り出した時の利用者や家族の反応に不安がある", False),
                     ("knowledge", "理解と知識が不足している", False),
                     ("time", "時間が取れない", False), ("other", "その他", False)]},
        {**COMMENTS, "text": "ご意見・ご要望があればご記入ください。"},
    ],
}
