"""How the audit log reads on the admin screen: each action and detail in words, times in 和暦
(the rows keep the codes, which scripts and the filter use)."""
from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..dates import format_moment

ACTION_LABELS = {
    "login": _l("ログイン"),
    "login_failed": _l("ログイン失敗"),
    "logout": _l("ログアウト"),
    "account_locked": _l("アカウントのロック"),
    "account_unlocked": _l("ロックの解除"),
    "password_changed": _l("パスワードの変更"),
    "token_issued": _l("APIトークンの発行"),
    "token_revoked": _l("APIトークンの無効化"),
    "undo_checkin": _l("受付の取り消し"),
    "person_merged": _l("参加者の統合"),
    "person_split": _l("参加者の分割"),
    "privacy_erase": _l("個人情報の消去"),
    "export_person": _l("個人の記録の書き出し"),
    "export_attendance": _l("名簿の書き出し"),
    "print_reception_list": _l("受付名簿の印刷"),
    "print_name_cards": _l("名札の印刷"),
    "import_attendance": _l("出欠の取り込み"),
    "export_responses": _l("アンケート回答の書き出し"),
    "import_responses": _l("アンケート回答の取り込み"),
    "export_report": _l("集計の書き出し"),
    "send_org_survey": _l("事業所アンケートの送付"),
}

DETAIL_LABELS = {
    "reason": _l("理由"),
    "failures": _l("失敗回数"),
    "until": _l("ロック期限"),
    "was_locked_until": _l("解除前のロック期限"),
    "token_id": _l("トークン番号"),
    "label": _l("名前"),
    "format": _l("形式"),
    "rows": _l("件数"),
    "absorbed": _l("統合された参加者"),
    "moved": _l("移した申込"),
    "method": _l("受付方法"),
    "checked_in_at": _l("受付時刻"),
    "nonce": _l("端末の送信番号"),
    "person_ids": _l("参加者番号"),
    "into": _l("移した先の参加者"),
    "restored": _l("統合の取り消し"),
    "registration_ids": _l("申込番号"),
    "addressed": _l("新たな送付先"),
    "mailed": _l("メール送付"),
    "without_email": _l("メールなし（郵送）"),
}

REASON_LABELS = {
    "wrong_password": _l("ユーザー名またはパスワードの誤り"),
    "slowed_down": _l("待ち時間中の再試行"),
    "locked": _l("ロック中"),
}


# The words for the coded values of a detail, by detail key. A floor above auth adds its own
# (check-in adds its methods under "method") from its register(app), so that auth imports
# nothing built on it.
VALUE_LABELS: dict[str, Mapping] = {"reason": REASON_LABELS}


def label_detail_values(key: str, labels: Mapping) -> None:
    """Show the values of detail `key` through `labels` (code → label) on the audit screen."""
    VALUE_LABELS[key] = labels


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _value_text(key: str, value) -> str:
    labels = VALUE_LABELS.get(key, {})
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return format_moment(moment)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "—" if value is None else str(value)


def detail_text(detail: dict | None) -> str:
    """The detail of a row as 「理由: … ／ 件数: 3」."""
    return " ／ ".join(f"{DETAIL_LABELS.get(key, key)}: {_value_text(key, value)}" for key, value in (detail or {}).items())
