"""The Japanese words of registration's codes on the organizers' list and in its files (the
list itself, which also shows check-ins, is roster/ one floor up)."""
from .models import Channel, RegistrationMode, RegistrationStatus

MODE_LABEL = {RegistrationMode.IN_PERSON: "参集", RegistrationMode.ON_DEMAND: "オンデマンド"}
STATUS_LABEL = {RegistrationStatus.REGISTERED: "申込", RegistrationStatus.WAITLISTED: "キャンセル待ち",
                RegistrationStatus.CANCELLED: "キャンセル"}
CHANNEL_LABEL = {Channel.LINE: "LINE", Channel.MAIL: "メール", Channel.FLYER: "チラシ", Channel.HOMEPAGE: "ホームページ",
                 Channel.SIGNAGE: "サイネージ", Channel.OTHER: "その他"}
