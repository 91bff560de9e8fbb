"""Synthetic participants of the demo, planned so that the system's own indicators give seed
001's figures (docs/architecture.md, *The demo programme*).

`build_plan()` is pure and deterministic (one random.Random with a fixed seed). It walks every
demo event in order of time and picks its attendees: `returning` ones among those who attended
an earlier event of its primary series, first-timers for the rest. That is what the series
new share counts, so the report's 29 % and 38 % come out by construction. The plan also holds
the registrations that did not end in attendance (no-shows, cancellations, a waitlist), the
check-ins and the survey answers. `writer.write_plan()` puts it in the database.

Everything here is invented: names are common family and given names combined, every
address is demo.<n>@example.jp, nobody has a phone number, and comments come from a fixed list.
"""
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..dates import tokyo_datetime
from ..people.professions import CITIZEN
from ..surveys.defaults import AGE_BANDS, PROFESSIONS as SURVEY_PROFESSIONS
from . import data as dd

SEED = 20250401
IMPORTED_AT = tokyo_datetime(date(2025, 4, 15), time(10, 0))  # FY2024 paper lists typed in
AREAS = ("東部", "南部", "中部", "北部")

FAMILY_NAMES = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
    ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
    ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
    ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"), ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
)
GIVEN_NAMES = (
    ("花子", "ハナコ"), ("美咲", "ミサキ"), ("陽子", "ヨウコ"), ("恵子", "ケイコ"), ("由美", "ユミ"),
    ("裕子", "ユウコ"), ("真由美", "マユミ"), ("久美子", "クミコ"), ("直美", "ナオミ"), ("明美", "アケミ"),
    ("幸子", "サチコ"), ("和子", "カズコ"), ("節子", "セツコ"), ("智子", "トモコ"), ("愛", "アイ"),
    ("彩", "アヤ"), ("葵", "アオイ"), ("結衣", "ユイ"), ("太郎", "タロウ"), ("一郎", "イチロウ"),
    ("健一", "ケンイチ"), ("誠", "マコト"), ("浩", "ヒロシ"), ("隆", "タカシ"), ("大輔", "ダイスケ"),
    ("翔太", "ショウタ"), ("拓也", "タクヤ"), ("健太", "ケンタ"), ("剛", "ツヨシ"), ("修", "オサム"),
    ("茂", "シゲル"), ("勇", "イサム"), ("正和", "マサカズ"), ("直樹", "ナオキ"), ("亮", "リョウ"), ("悠斗", "ユウト"),
)
PREFIXES = ("あおば", "さくら", "けやき", "ひだまり", "みどり", "つばさ", "はなみずき", "ひまわり", "こもれび",
            "やまぶき", "すずかけ", "かえで", "ゆりのき", "あかね", "しらかば", "いちょう")
# (事業所種別 as in people.organizations.ORGANIZATION_TYPES, name pattern, how many)
ORGANIZATION_SPECS = (
    ("病院", "{}総合病院", 5), ("診療所", "{}クリニック", 8), ("歯科診療所", "{}歯科", 3), ("薬局", "{}薬局", 6),
    ("訪問看護ステーション", "訪問看護ステーション{}", 8), ("居宅介護支援事業所", "{}ケアプランセンター", 10),
    ("訪問介護", "{}ヘルパーステーション", 5), ("通所介護", "デイサービス{}", 4),
    ("訪問・通所リハビリテーション", "{}リハビリテーションセンター", 3), ("福祉用具", "{}福祉用具サービス", 2),
    ("入所施設（特養・老健・GH等）", "特別養護老人ホーム{}", 6), ("その他", "{}福祉会", 2),
)
FIXED_ORGANIZATIONS = (
    *((f"{area}地域包括支援センター", "地域包括支援センター") for area in AREAS),
    ("市消防本部", "消防"), ("市役所 介護支援課", "行政"),
)
# Offices opened in fiscal 2025 (the last one generated of each kind), whose staff the city
# wants to see at つむぐ会.
OPENED_IN_FY2025 = {
    "訪問看護ステーション": date(2025, 5, 1), "居宅介護支援事業所": date(2025, 6, 1), "訪問介護": date(2025, 9, 1),
}
ORGANIZATION_TYPES_BY_PROFESSION = {
    "医師": ("病院", "診療所"), "歯科医師": ("歯科診療所",), "薬剤師": ("薬局",), "看護師": ("病院", "入所施設（特養・老健・GH等）"),
    "訪問看護師": ("訪問看護ステーション",), "介護支援専門員": ("居宅介護支援事業所", "地域包括支援センター"),
    "MSW・社会福祉士": ("病院", "地域包括支援センター"), "介護福祉士・訪問介護員": ("訪問介護", "通所介護", "入所施設（特養・老健・GH等）"),
    "PT・OT・ST": ("訪問・通所リハビリテーション", "病院"), "管理栄養士": ("病院", "入所施設（特養・老健・GH等）"),
    "歯科衛生士": ("歯科診療所",), "消防・救急": ("消防",), "行政": ("行政",), "その他": ("福祉用具", "その他"),
}
PROFESSION_WEIGHTS = {
    "default": {"介護支援専門員": 25, "訪問看護師": 12, "看護師": 10, "MSW・社会福祉士": 8, "介護福祉士・訪問介護員": 12,
                "薬剤師": 6, "医師": 5, "歯科医師": 2, "PT・OT・ST": 7, "管理栄養士": 3, "歯科衛生士": 2,
                "消防・救急": 3, "行政": 3, "その他": 2},
    dd.MITORI_CARE: {"介護福祉士・訪問介護員": 10, "看護師": 5, "介護支援専門員": 2, "管理栄養士": 1, "その他": 1},
    dd.SOUDANIN: {"MSW・社会福祉士": 8, "看護師": 2, "行政": 1},
    dd.RENKEI: {"医師": 2, "歯科医師": 1, "薬剤師": 1, "訪問看護師": 2, "介護支援専門員": 3, "MSW・社会福祉士": 2,
                "消防・救急": 1, "行政": 2},
    dd.ICT: {"介護支援専門員": 5, "介護福祉士・訪問介護員": 3, "訪問看護師": 2, "PT・OT・ST": 1, "その他": 1},
    dd.NINCHISHO: {"医師": 1, "看護師": 2, "MSW・社会福祉士": 2, "介護支援専門員": 2, "行政": 1},
}
AGE_WEIGHTS = {dd.DEMAE: {"50代": 1, "60代": 3, "70代": 5, "80歳以上": 3},
               "default": {"40歳未満": 1, "40代": 2, "50代": 3, "60代": 4, "70代": 4, "80歳以上": 1}}
CHANNEL_WEIGHTS = {dd.PROFESSIONALS: {"mail": 45, "homepage": 20, "flyer": 15, "line": 10, "other": 10},
                   dd.CITIZENS: {"flyer": 30, "line": 20, "homepage": 15, "signage": 15, "mail": 10, "other": 10}}
# Synthetic new shares (the report states only つむぐ会 第1回 and 第2回); the third was held in
# the daytime and drew many first-timers. First events of a series have no one to return.
NEW_SHARE = {"tsumugu-3": 0.33, "tsumugu-4": 0.2, "renkei-extra-1": 0.0}
NEW_SHARE_BY_SERIES = {dd.TSUMUGU: 0.35, dd.KOUKAI: 0.7, dd.DEMAE: 0.9, dd.MITORI_CASE: 0.45, dd.MITORI_CARE: 0.7,
                       dd.ICT: 0.8, dd.SOUDANIN: 0.3, dd.RENKEI: 0.1, dd.NINCHISHO: 0.2}
WAITLISTED = {"ict-1": 2}
# Responses not given through the mailed link: answered on a phone at the venue (the event's QR).
# Paper sheets ("paper") would be as plausible, but tests/browser/test_survey_flow.py counts every
# paper response in the database as typed by its own test, so the demo leaves paper to staff.
SHEET_SOURCE = "venue"  # the system training's 20 seats filled up
POSITIVE = {dd.PROFESSIONALS: {"satisfaction": 0.92, "collaboration": 0.8, "applicability": 0.9},
            dd.CITIZENS: {"satisfaction": 0.92, "acp_share": 0.92}}
POSITIVE_BY_SERIES = {dd.DEMAE: {"satisfaction": 0.95, "acp_share": 0.9}}  # the report: 9割以上が「満足」
TEMPLATE_KEYS = {dd.PROFESSIONALS: ("satisfaction", "collaboration", "applicability"),
                 dd.CITIZENS: ("satisfaction", "acp_share")}
OPTIONS = {"satisfaction": (("very_satisfied", "satisfied"), ("neutral", "dissatisfied", "very_dissatisfied")),
           "four_point": (("yes", "rather_yes"), ("rather_no", "no"))}
COMMENTS = {
    dd.PROFESSIONALS: ("グループワークで他職種の考えを聞けてよかった。", "顔の見える関係づくりに役立った。",
                       "事例検討をもっと増やしてほしい。", "夜間の開催は参加しやすい。", "次回は入退院支援をテーマにしてほしい。"),
    dd.CITIZENS: ("人生の最期について考える機会になった。", "家に帰って家族と話したい。",
                  "もしバナゲームが楽しかった。", "また参加したい。"),
}
PROFESSION_CODES = {label: code for code, label in SURVEY_PROFESSIONS}
AGE_CODES = {label: code for code, label in AGE_BANDS}


@dataclass(frozen=True)
class OrganizationRow:
    name: str
    type: str
    opened_on: date | None


@dataclass(frozen=True)
class PersonRow:
    n: int
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    profession: str
    organization: str | None
    age_band: str = ""
    residential_area: str = ""

    @property
    def email(self) -> str:
        return f"demo.{self.n}@example.jp"


@dataclass(frozen=True)
class RegistrationRow:
    person: int
    mode: str
    status: str
    source: str
    channel: str | None
    created_at: datetime
    cancelled_at: datetime | None = None
    checkin: str | None = None  # the check-in method, None when not checked in
    scanned_at: datetime | None = None
    checked_in_at: datetime | None = None  # the server's time of the check-in


@dataclass(frozen=True)
class ResponseRow:
    person: int
    source: str  # link: tied to the registration; SHEET_SOURCE: anonymous
    created_at: datetime
    answers: tuple[tuple[str, str | None, str | None], ...]  # (question key, option code, text)
    audience: str | None = None  # the questions asked, at a joint event of both audiences


@dataclass
class EventPlan:
    key: str
    history: bool
    invited_at: datetime  # the survey mail, the morning after the event
    registrations: list[RegistrationRow] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)


@dataclass
class Plan:
    organizations: list[OrganizationRow]
    persons: list[PersonRow]
    events: list[EventPlan]


def build_plan() -> Plan:
    """The whole synthetic demo; the same on every call."""
    return _Generator().build()


def event_start(row: dict) -> datetime:
    return tokyo_datetime(date.fromisoformat(row["day"]), time.fromisoformat(row["start"]))


def event_end(row: dict) -> datetime:
    return tokyo_datetime(date.fromisoformat(row["day"]), time.fromisoformat(row["end"]))


def audience_of(series_name: str) -> str:
    return next(s["audience"] for s in dd.SERIES if s["name"] == series_name)


def attendance_target(row: dict) -> tuple[int, int, int | None]:
    """(in person, on demand, new) for an event; new is None where the report states no share."""
    counts = row["attended"]
    in_person = counts["in_person"] if counts["in_person"] is not None else dd.SYNTHETIC_ATTENDED[row["key"]]
    on_demand = counts["on_demand"] or 0
    if row["new_share"] is None:
        return in_person, on_demand, None
    new = round((in_person + on_demand) * row["new_share"])  # 13 of 45 is 28.9 %, printed "29%"
    if round(100 * new / (in_person + on_demand)) != round(100 * row["new_share"]):
        raise ValueError(f"{row['key']}: no count of new attendees gives {row['new_share']:.0%}")
    return in_person, on_demand, new


class _Generator:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.organizations = self._organizations()
        self.persons: list[PersonRow] = []
        self.seen: dict[str, set[int]] = {}  # series → persons who attended one of its events
        names = [(f, g) for f in FAMILY_NAMES for g in GIVEN_NAMES]
        self.rng.shuffle(names)
        self.names = iter(names)

    def build(self) -> Plan:
        rows = sorted([*dd.HISTORY_EVENTS, *dd.EVENTS], key=event_start)
        events = [self.event(row, history=row in dd.HISTORY_EVENTS) for row in rows]
        return Plan(self.organizations, self.persons, events)

    def _organizations(self) -> list[OrganizationRow]:
        rows, prefixes = [], iter(self.rng.sample(PREFIXES * 5, len(PREFIXES) * 5))
        names = set()
        for kind, pattern, count in ORGANIZATION_SPECS:
            while sum(row.type == kind for row in rows) < count:
                name = pattern.format(next(prefixes))
                if name not in names:
                    names.add(name)
                    last = sum(row.type == kind for row in rows) == count - 1
                    rows.append(OrganizationRow(name, kind, OPENED_IN_FY2025.get(kind) if last else None))
        rows += [OrganizationRow(name, kind, None) for name, kind in FIXED_ORGANIZATIONS]
        return rows

    # --- persons ---------------------------------------------------------------------

    def weighted(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def new_person(self, *, citizen: bool, series: str, day: date) -> int:
        (family, family_kana), (given, given_kana) = next(self.names)
        fields = {"family_name": family, "given_name": given, "family_kana": family_kana, "given_kana": given_kana}
        if citizen:
            age = self.weighted(AGE_WEIGHTS.get(series, AGE_WEIGHTS["default"]))
            row = PersonRow(len(self.persons) + 1, **fields, profession=CITIZEN, organization=None,
                            age_band=age, residential_area=self.rng.choice(AREAS))
        else:
            profession = self.weighted(PROFESSION_WEIGHTS.get(series, PROFESSION_WEIGHTS["default"]))
            row = PersonRow(len(self.persons) + 1, **fields, profession=profession,
                            organization=self.organization_for(profession, day))
        self.persons.append(row)
        return row.n

    def organization_for(self, profession: str, day: date) -> str:
        """An office of a kind that employs the profession, open by that day; an office opened
        in fiscal 2025 is preferred now and then, as the city hopes."""
        kinds = ORGANIZATION_TYPES_BY_PROFESSION[profession]
        open_ones = [o for o in self.organizations if o.type in kinds and (o.opened_on is None or o.opened_on <= day)]
        newly = [o for o in open_ones if o.opened_on is not None]
        return self.rng.choice(newly if newly and self.rng.random() < 0.3 else open_ones).name

    def pick(self, *, k: int, citizen_share: float, series: str, day: date, exclude: set[int],
             reuse: float) -> list[int]:
        """k persons outside `exclude`: existing ones (with probability `reuse`) or new ones."""
        weights = PROFESSION_WEIGHTS.get(series, PROFESSION_WEIGHTS["default"])
        chosen: list[int] = []
        for _ in range(k):
            citizen = self.rng.random() < citizen_share
            if self.rng.random() < reuse:
                pool = [p.n for p in self.persons if p.n not in exclude and p.n not in chosen
                        and (p.profession == CITIZEN if citizen else p.profession in weights)]
                if pool:
                    chosen.append(self.rng.choice(pool))
                    continue
            chosen.append(self.new_person(citizen=citizen, series=series, day=day))
        return chosen

    # --- events ----------------------------------------------------------------------

    def event(self, row: dict, *, history: bool) -> EventPlan:
        series, day = row["series"], date.fromisoformat(row["day"])
        in_person, on_demand, new = attendance_target(row)
        total = in_person + on_demand
        seen = self.seen.setdefault(series, set())
        if new is None:
            new = total - min(len(seen), round(total * (1 - NEW_SHARE.get(row["key"], NEW_SHARE_BY_SERIES[series]))))
        if total - new > len(seen):
            raise ValueError(f"{row['key']}: {total - new} returning attendees wanted, {len(seen)} known")
        audiences = {audience_of(name) for name in (series, *row["joint_series"])}
        citizen_share = 0.0 if audiences == {dd.PROFESSIONALS} else 0.92 if len(audiences) == 1 else 0.7
        attendees = self.rng.sample(sorted(seen), total - new)
        attendees += self.pick(k=new, citizen_share=citizen_share, series=series, day=day,
                               exclude=seen | set(attendees), reuse=0.3)
        self.rng.shuffle(attendees)
        for name in (series, *row["joint_series"]):
            self.seen.setdefault(name, set()).update(attendees)
        plan = EventPlan(row["key"], history, invited_at=(event_end(row) + timedelta(days=1)).replace(hour=9, minute=0))
        on_demand_ones, present = attendees[:on_demand], attendees[on_demand:]
        if history:
            plan.registrations = self.imported(present, on_demand_ones)
        else:
            plan.registrations = self.live(row, present, on_demand_ones, citizen_share=citizen_share)
            plan.responses = self.responses(row, present, on_demand_ones, invited_at=plan.invited_at)
        return plan

    def imported(self, present: list[int], on_demand: list[int]) -> list[RegistrationRow]:
        """A past paper list, as the attendance import writes it: registered and checked in."""
        rows = []
        for index, person in enumerate(present + on_demand):
            at = IMPORTED_AT + timedelta(seconds=index)
            if person in on_demand:
                rows.append(RegistrationRow(person, "on_demand", "registered", "import", None, at))
            else:
                rows.append(RegistrationRow(person, "in_person", "registered", "import", None, at,
                                            checkin="import", checked_in_at=at))
        return rows

    def live(self, row: dict, present: list[int], on_demand: list[int], *,
             citizen_share: float) -> list[RegistrationRow]:
        """FY2025: pre-registrations checked in near the start, walk-ins, on-demand viewers,
        and the registrations that came to nothing (no-shows, cancellations, a waitlist)."""
        series, start = row["series"], event_start(row)
        audience = dd.CITIZENS if citizen_share > 0.5 else dd.PROFESSIONALS
        waitlisted = WAITLISTED.get(row["key"], 0)
        walk_rate = 0 if waitlisted else 0.15 if series == dd.DEMAE else 0.08 if audience == dd.CITIZENS else 0.05
        walk_ins = round(len(present) * walk_rate)
        rows = [self.pre_registered(person, series=series, audience=audience, start=start)
                for person in present[walk_ins:]]
        rows += [self.walk_in(person, start=start) for person in present[:walk_ins]]
        rows += [RegistrationRow(person, "on_demand", "registered", "public", self.channel(dd.CITIZENS),
                                 self.before(start, 0, 30)) for person in on_demand]
        pre = len(present) - walk_ins
        no_shows = row["capacity"] - len(present) if waitlisted else round(pre * 0.07)
        cancelled = 0 if waitlisted else round((len(present) + len(on_demand)) * 0.04)
        others = self.pick(k=no_shows + cancelled + waitlisted, citizen_share=citizen_share, series=series,
                           day=start.date(), exclude=set(present) | set(on_demand), reuse=0.6)
        for index, person in enumerate(others):
            created = self.before(start, 2, 40)
            source, channel = ("staff", None) if series == dd.DEMAE else ("public", self.channel(audience))
            if index < no_shows:
                rows.append(RegistrationRow(person, "in_person", "registered", source, channel, created))
            elif index < no_shows + cancelled:
                cancelled_at = min(created + timedelta(days=self.rng.randint(1, 5)), start - timedelta(hours=3))
                rows.append(RegistrationRow(person, "in_person", "cancelled", source, channel, created,
                                            cancelled_at=cancelled_at))
            else:  # after every seat was taken (the others registered two days or more before)
                rows.append(RegistrationRow(person, "in_person", "waitlisted", source, channel,
                                            start - timedelta(hours=self.rng.randint(24, 40))))
        seats = sum(r.mode == "in_person" and r.status == "registered" for r in rows)
        if row["capacity"] is not None and seats > row["capacity"]:
            raise ValueError(f"{row['key']}: {seats} seats taken, capacity {row['capacity']}")
        return rows

    def before(self, start: datetime, low: int, high: int) -> datetime:
        """A moment `low` to `high` days before the start, in waking hours."""
        day = start - timedelta(days=self.rng.randint(low, high))
        moment = day.replace(hour=self.rng.randint(7, 22), minute=self.rng.randint(0, 59),
                             second=self.rng.randint(0, 59))
        return min(moment, start - timedelta(hours=1))

    def channel(self, audience: str) -> str:
        return self.weighted(CHANNEL_WEIGHTS[audience])

    def door_time(self, start: datetime) -> datetime:
        """When someone came in: 20 minutes before to 15 minutes after the start."""
        return start + timedelta(seconds=self.rng.randint(-20 * 60, 15 * 60))

    def pre_registered(self, person: int, *, series: str, audience: str, start: datetime) -> RegistrationRow:
        scanned = self.door_time(start)
        if series == dd.DEMAE:  # the group sends its list; elderly members are found by name
            source, channel, method = "staff", None, "search"
        else:
            staff = self.rng.random() < 0.1
            source, channel = ("staff", None) if staff else ("public", self.channel(audience))
            method = "qr" if self.rng.random() < 0.85 else "number"
        return RegistrationRow(person, "in_person", "registered", source, channel, self.before(start, 2, 40),
                               checkin=method, scanned_at=scanned,
                               checked_in_at=scanned + timedelta(seconds=self.rng.randint(0, 4)))

    def walk_in(self, person: int, *, start: datetime) -> RegistrationRow:
        scanned = self.door_time(start)
        return RegistrationRow(person, "in_person", "registered", "walk_in", None, scanned, checkin="walk_in",
                               scanned_at=scanned, checked_in_at=scanned + timedelta(seconds=1))

    # --- survey answers --------------------------------------------------------------

    def responses(self, row: dict, present: list[int], on_demand: list[int], *,
                  invited_at: datetime) -> list[ResponseRow]:
        """60–80 % of the attendees answer; each indicator's positive count is set, not drawn
        (d − round(d·(1−p))), so pooled rates stay near p: 出前講座 satisfaction above 90 %.
        At a joint event of both audiences each respondent answers their own audience's items
        (surveys/editing.py joint_questions), the citizens 人生会議の… as the seed reports it."""
        attendees = present + on_demand
        responders = sorted(self.rng.sample(attendees, round(len(attendees) * self.rng.uniform(0.6, 0.8))))
        answers: dict[int, list] = {person: [] for person in responders}
        persons = {p.n: p for p in self.persons}
        audiences = {audience_of(name) for name in (row["series"], *row["joint_series"])}
        split = len(audiences) > 1
        audience_by_person = {
            person: (dd.CITIZENS if persons[person].profession == CITIZEN else dd.PROFESSIONALS)
            if split else audience_of(row["series"])
            for person in responders
        }
        for audience in sorted(set(audience_by_person.values()), reverse=True):  # professionals first
            group = [p for p in responders if audience_by_person[p] == audience]
            self.indicator_answers(group, answers, keys=TEMPLATE_KEYS[audience],
                                   rates=POSITIVE[audience] | POSITIVE_BY_SERIES.get(row["series"], {}))
        end, result = event_end(row), []
        for person in responders:
            profile, audience = persons[person], audience_by_person[person]
            if audience == dd.PROFESSIONALS and profile.profession in PROFESSION_CODES:
                answers[person].append(("profession", PROFESSION_CODES[profile.profession], None))
            if audience == dd.CITIZENS and profile.age_band:
                answers[person].append(("age", AGE_CODES[profile.age_band], None))
            if self.rng.random() < 0.15:
                answers[person].append(("comments", None, self.rng.choice(COMMENTS[audience])))
            # on-demand viewers only have the mailed link
            sheet = person not in on_demand and self.rng.random() < (0.7 if audience == dd.CITIZENS else 0.3)
            if sheet:
                created = end + timedelta(minutes=self.rng.randint(-10, 30))
            else:
                created = invited_at + timedelta(minutes=self.rng.randint(10, 4 * 24 * 60))
            result.append(ResponseRow(person, SHEET_SOURCE if sheet else "link", created, tuple(answers[person]),
                                      audience=audience if split else None))
        return result

    def indicator_answers(self, group: list[int], answers: dict[int, list], *, keys: tuple[str, ...],
                          rates: dict[str, float]) -> None:
        """The indicator items of one audience's respondents; 8 % leave 人生会議の… blank."""
        for key in keys:
            answering = [p for p in group if key != "acp_share" or self.rng.random() >= 0.08]
            d = len(answering)
            positive = set(self.rng.sample(answering, d - round(d * (1 - rates[key]))))
            good, bad = OPTIONS["satisfaction" if key == "satisfaction" else "four_point"]
            for person in answering:
                code = self.rng.choices(good, (6, 4))[0] if person in positive else self.rng.choice(bad)
                answers[person].append((key, code, None))
