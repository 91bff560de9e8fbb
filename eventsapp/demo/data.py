"""The demo programme: seed 001 (令和7年度 在宅医療介護連携推進事業実績報告) made data.

Pure data, no database code; programme.py loads it. Every fiscal-2025 event of the report
is here with its real date, time, theme and the participant counts the report states. What
the report does not say is synthetic and marked so below: venues, capacities, the dates and
citizens' groups of the six outreach talks (出前講座), the two days in September of the system
training, and the themes of events the report names without one.

`attended` keeps the counts the report states (None where it gives none); `new_share` the
share of first-time participants it states. participants.py turns them into registrations,
check-ins and survey answers whose computed indicators give exactly these figures.

`HISTORY_EVENTS` are synthetic fiscal-2024 events (their attendees imported from "past paper
lists") so that fiscal 2025 has first-time and returning participants; `SYNTHETIC_ATTENDED`
gives a plausible count to the FY2025 meetings the report counts nowhere.

`INITIATIVES` are the rows of the report's table in order (position = index + 1). `plan` is
the 計画 as printed, `result_note` the prose of the 実績 that the system cannot compute: the
dates, titles and counts of linked events are left out, since the report writes them itself.
"""

FISCAL_YEAR = 2025

# The report's front matter (seed 001's top), as reports/front_matter.py keeps it.
FRONT_MATTER = {
    "positioning": "高齢者支援計画(第9期:R6-R8年度)",
    "target": "介護保険 要介護・要支援認定者、総合事業対象者、障害者",
    "philosophy": "医療や介護が必要になっても住み慣れた地域で安心・安全に自分らしく生活することができる。"
                  "希望すれば最期を自宅で迎えることができる。",
    "long_term_goal": "在宅療養者を人生の最期まで支える24時間365日緊急対応可能な医療と介護の連携システムの構築を図る。",
}
GOAL_DEFINITIONS = {
    "awareness": "市民が在宅療養や人生会議(ACP)について知ることができる。",
    "acp": "医療・介護の関係者が人生会議(ACP)に関する意思決定支援を実践できる。",
    "sharing": "医療・介護の関係者間でスムーズに情報共有できる。",
    "collaboration": "病院・在宅・施設・消防の関係者間で連携を深めることができる。",
}

PROFESSIONALS = "professionals"
CITIZENS = "citizens"

# How the report writes a meeting's events (catalog/models.py, Series): no survey items and
# no new share, lines the city would never publish for a meeting (seed 001 prints none).
MEETING_REPORT = {"indicators": [], "new_share": False}

SERIES = [
    {
        "name": "介護と医療をつむぐ会",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["daily"],
        "description": "在宅・病院・施設・消防の関係者が集まり、4つの場面に沿ったテーマで講義とグループワークを行う多職種の研修会です。年4回開催。",
    },
    {
        "name": "市民公開講座",
        "audience": CITIZENS,
        "goals": ["awareness", "acp"],
        "scenes": ["daily"],
        "description": "在宅療養や人生会議（ACP）について市民の皆さまに知っていただくための講座です。会場参加のほか、録画の視聴（オンデマンド配信）もできます。",
    },
    {
        "name": "出前講座",
        "audience": CITIZENS,
        "goals": ["awareness", "acp"],
        "scenes": ["daily"],
        "description": "市民の団体からのご依頼に応じて職員が伺い、人生会議（ACP）についてお話しします。もしバナゲームの体験つき。",
    },
    {
        "name": "看取り症例検討会",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["end_of_life"],
        "description": "在宅療養・看取り推進のため、圏域（東部・南部・中部・北部）ごとに症例を検討し、チーム作りを進めます。",
    },
    {
        "name": "高齢者住まい看取りケア研修会",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["end_of_life"],
        "description": "高齢者住まい・入所施設の職員向けに、看取りに対する不安の軽減をめざす研修会です（VR体験あり）。年1回開催。",
    },
    {
        "name": "情報共有システム研修会",
        "audience": PROFESSIONALS,
        "goals": ["sharing"],
        "scenes": ["common"],
        "description": "情報共有システム（カナミック）の概要、申請方法、ケアプランデータ連携機能などの説明と、デモ機を用いた操作体験を行う介護サービス事業所向けの研修会です。",
    },
    {
        "name": "病院相談員連絡会",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["admission"],
        "description": "病院の相談員と市が入退院支援の実態や連携の課題を共有する連絡会です。年3回開催。",
        "report": MEETING_REPORT | {"participant_label": "参加者"},
    },
    {
        "name": "在宅医療介護連携会議",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["common"],
        "description": "医療・介護・福祉の関係者と市が在宅医療・介護連携推進事業の計画と取組を協議する会議です。",
        "report": MEETING_REPORT | {"participant_label": "委員"},
    },
    {
        "name": "認知症初期集中支援チーム検討部会",
        "audience": PROFESSIONALS,
        "goals": ["collaboration"],
        "scenes": ["daily"],
        "description": "認知症初期集中支援チームが支援を行ったケースを振り返る部会です。年1回開催。",
        "report": MEETING_REPORT | {"participant_label": "委員"},
    },
]

_SERIES_BY_NAME = {series["name"]: series for series in SERIES}

TSUMUGU = "介護と医療をつむぐ会"
KOUKAI = "市民公開講座"
DEMAE = "出前講座"
MITORI_CASE = "看取り症例検討会"
MITORI_CARE = "高齢者住まい看取りケア研修会"
ICT = "情報共有システム研修会"
SOUDANIN = "病院相談員連絡会"
RENKEI = "在宅医療介護連携会議"
NINCHISHO = "認知症初期集中支援チーム検討部会"

PUBLISHED = "published"
IN_PERSON = "in_person"
HYBRID = "hybrid"

CITY_HALL = "市役所 第1庁舎3階 第1会議室"  # synthetic
LEARNING_CENTRE = "生涯学習センター 多目的ホール"  # synthetic


def _attended(in_person: int | None, on_demand: int | None = None) -> dict:
    return {"in_person": in_person, "on_demand": on_demand}


def _event(key: str, series: str, title: str, day: str, start: str, end: str, **more) -> dict:
    """An event row: a published, in-person event tagged like its series unless told otherwise."""
    row = {
        "key": key,
        "series": series,
        "joint_series": [],
        "title": title,
        "day": day,
        "start": start,
        "end": end,
        "venue": CITY_HALL,
        "area": None,
        "format": IN_PERSON,
        "capacity": None,
        "goals": list(_SERIES_BY_NAME[series]["goals"]),
        "scenes": list(_SERIES_BY_NAME[series]["scenes"]),
        "description": "",
        "joint_label": "合同開催",
        "attended": _attended(None),
        "new_share": None,
        "status": PUBLISHED,
    }
    unknown = set(more) - set(row)
    if unknown:
        raise KeyError(f"unknown event fields: {sorted(unknown)}")
    row.update(more)
    return row


_TSUMUGU_EVENTS = [
    _event(
        "tsumugu-1", TSUMUGU, "ICTを活用した多職種連携について", "2025-07-11", "18:30", "20:20",
        venue=LEARNING_CENTRE, capacity=100,
        goals=["sharing", "collaboration"], scenes=["daily", "common"],
        description="情報共有システムなどICTを活用した多職種連携について、講義とグループワークで考えます。",
        attended=_attended(45), new_share=0.29,
    ),
    _event(
        "tsumugu-2", TSUMUGU,
        "住み慣れた地域で私らしく生きるために～人生会議とアドバンス・ライフ・プランニングのすすめ～",
        "2025-10-04", "14:00", "16:00",
        joint_series=[KOUKAI], joint_label="同時開催",  # seed 001: 「第2回つむぐ会と同時開催」
        venue="文化会館 大ホール", format=HYBRID, capacity=150,  # synthetic venue
        goals=["awareness", "acp", "collaboration"], scenes=["daily"],
        description=(
            "市民公開講座と合同開催（第2回介護と医療をつむぐ会）。\n"
            "講師:三浦靖彦氏、中村恵氏\n"
            "講義の後に、参加者全員でもしバナゲームを行います。"
            "会場参加のほか、後日の録画視聴（オンデマンド配信）もお申し込みいただけます。"
        ),
        attended=_attended(65, 17), new_share=0.38,
    ),
    _event(
        "tsumugu-3", TSUMUGU, "支援の風の入れ方～離れる・あきらめる勇気も必要な支援～",
        "2025-12-12", "15:00", "17:00",
        venue=LEARNING_CENTRE, capacity=100, goals=["collaboration"], scenes=["daily"],
        description=(
            "夜間に参加しにくい方にもご参加いただけるよう、今回は日中開催です。"
            "認知症の事例をもとにグループワークを行います。"
        ),
        attended=_attended(67),
    ),
    _event(
        "tsumugu-4", TSUMUGU, "災害時対応～在宅療養者への支援～", "2026-02-12", "18:30", "20:30",
        venue=LEARNING_CENTRE, capacity=100, goals=["collaboration"], scenes=["daily", "disaster"],
        description="在宅医療介護連携会議で取り上げた災害対応を受けて、在宅療養者への災害時の支援を多職種で考えます。",
        attended=_attended(74),
    ),
]

# The six outreach talks: the report gives only their number (6) and total (129 people);
# days, groups and the split of 129 are synthetic.
_DEMAE_TALKS = [
    ("2025-06-18", "さくら台自治会", "さくら台自治会集会所", 18),
    ("2025-08-27", "ひまわりサロン", "東部地域包括支援センター 会議室", 24),
    ("2025-10-22", "みどり町老人クラブ", "みどり町会館", 21),
    ("2025-11-19", "けやき地区社会福祉協議会", "けやき地区ふれあいセンター", 27),
    ("2026-01-21", "介護者家族の会「つばさ」", "北部公民館 和室", 16),
    ("2026-03-04", "はなみずき台シニアの会", "はなみずき台集会所", 23),
]

_DEMAE_EVENTS = [
    _event(
        f"demae-{number}", DEMAE, f"人生会議（ACP）ともしバナゲーム（{group}）", day, "10:00", "11:30",
        venue=venue,
        description=f"{group}のご依頼による出前講座です。人生会議（ACP）のお話と、もしバナゲームの体験を行います。",
        attended=_attended(count),
    )
    for number, (day, group, venue, count) in enumerate(_DEMAE_TALKS, start=1)
]

_MITORI_CASE_ROUNDS = [
    ("east", "東部", "2025-09-24", "18:00", "19:30", "東部公民館 講座室", 21),
    ("south", "南部", "2025-10-23", "18:00", "19:30", "南部公民館 講座室", 20),
    ("central", "中部", "2026-02-13", "16:30", "17:50", CITY_HALL, 13),
    ("north", "北部", "2026-02-20", "18:00", "19:20", "北部公民館 講座室", 11),
]

_MITORI_EVENTS = [
    _event(
        "mitori-care-1", MITORI_CARE, "VR体験で学ぶ看取りケア", "2025-07-02", "10:00", "12:00",
        venue=LEARNING_CENTRE, capacity=40,
        description="高齢者住まい・入所施設の職員向けに、VR体験とグループワークで看取りケアを学びます。",
        attended=_attended(23),
    ),
    *(
        _event(
            f"mitori-case-{slug}", MITORI_CASE, f"看取り症例検討会（{area}）", day, start, end,
            venue=venue, area=area, capacity=30,
            description=f"{area}圏域の医療・介護関係者で在宅看取りの症例を検討し、圏域のチーム作りを進めます。",
            attended=_attended(count),
        )
        for slug, area, day, start, end, venue, count in _MITORI_CASE_ROUNDS
    ),
]

_ICT_EVENTS = [
    _event(
        f"ict-{number}", ICT, f"ケアプランデータ連携とデモ機操作体験（第{number}回）", day, "14:00", "15:30",
        capacity=20,
        description=(
            "情報共有システムの概要や申請方法、個人情報の取り扱い、ケアプランデータ連携機能、"
            "連携型BCPにおけるシステムの活用について説明し、デモ機を用いた操作体験を行います。"
        ),
        attended=_attended(count),
    )
    for number, day, count in ((1, "2025-09-10", 16), (2, "2025-09-17", 6))  # days synthetic
]

_MEETING_EVENTS = [
    _event(
        "soudanin-1", SOUDANIN, "ACPについて／ディスカッション～所属機関内・地域での情報共有に向けて～",
        "2025-07-10", "10:00", "11:30",
        goals=["acp", "collaboration"],
        description="年間テーマ:権利擁護。ACPについて学び、所属機関内・地域での情報共有に向けて話し合います。",
    ),
    _event(
        "soudanin-2", SOUDANIN, "シルバー事業者連絡会居宅介護支援事業部会との合同研修会",
        "2025-11-13", "14:00", "15:30",
        venue="生涯学習センター 研修室",  # synthetic
        description="年間テーマ:権利擁護。ケアマネジャーとの合同研修会で、入退院時の連携と地域生活連携シートについて意見を交わします。",
    ),
    _event(
        "soudanin-3", SOUDANIN, "施設紹介仲介業者の役割理解", "2026-03-10", "09:30", "11:00",
        description="年間テーマ:権利擁護。施設紹介仲介業者の役割について理解を深めます。",
    ),
    _event(
        "renkei-extra-1", RENKEI, "地域BCP／災害時対応研修", "2025-12-23", "10:30", "12:00",
        scenes=["disaster"],
        description="災害時における要配慮者の安否確認や福祉避難所への移送などの取組を検討するための臨時会です。議題:地域BCP／災害時対応研修",
        attended=_attended(6),
    ),
    _event(
        "ninchisho-1", NINCHISHO, "支援ケースの振り返り", "2026-03-11", "15:00", "16:00",
        description="認知症初期集中支援チームが今年度支援を行ったケースを振り返ります。",
    ),
]

EVENTS = [*_TSUMUGU_EVENTS, *_DEMAE_EVENTS, *_MITORI_EVENTS, *_ICT_EVENTS, *_MEETING_EVENTS]

TSUMUGU_ALL = ["tsumugu-1", "tsumugu-2", "tsumugu-3", "tsumugu-4"]
DEMAE_ALL = [event["key"] for event in _DEMAE_EVENTS]
MITORI_CASE_ALL = [f"mitori-case-{slug}" for slug, *_ in _MITORI_CASE_ROUNDS]

# Targets (対象) as printed; where a cell holds two on separate lines they are joined with ・.
SELF_FAMILY = "本人・家族"
PROS = "専門職"
EXPERTS = "専門家"


def _initiative(scene: str, goals: list[str], target: str, plan: str, result_note: str = "", events=(),
                *, prose_first: bool = False) -> dict:
    """A plan line; prose_first where seed 001 writes the notes before the event lines."""
    return {
        "scene": scene,
        "goals": goals,
        "target": target,
        "plan": plan,
        "result_note": result_note,
        "events": list(events),
        "prose_first": prose_first,
    }


_RESOURCES = [
    _initiative("common", [], SELF_FAMILY, "GISを活用した介護保険事業者情報を更新する。", "令和7年10月に更新。"),
    _initiative("common", [], SELF_FAMILY, "在宅医療に関する医療機関情報をGISで掲載し、定期的に更新する。"),
    _initiative(
        "common", [], SELF_FAMILY, "医療情報については「医療情報ネット(ナビイ)」を案内する。",
        "在宅医療についてのホームページを再編。",
    ),
    _initiative(
        "common", [], "本人・家族・専門職",
        "在宅療養に関する情報に気軽にアクセスでき、見やすいホームページを目指し、随時更新する。",
    ),
    _initiative(
        "common", [], PROS,
        "ハラスメント防止啓発のリーフレットを作成し、使用実態アンケートを実施。(R7.2月末)"
        "アンケートの結果を踏まえ、使いやすいリーフレットを目指し、内容の見直しや改訂を検討する。",
        "令和7年1月～2月に実施したアンケートをもとに、令和7年11月に改訂版リーフレットを発行。\n"
        "市独自の補助金事業を実施①流山市訪問介護職員等ハラスメント対策機器等導入費用補助金"
        "②流山市訪問介護職員等複数人訪問補助金",
    ),
    _initiative(
        "common", [], PROS,
        "在宅療養支援診療所の実態把握調査を踏まえ作成した在宅医療提供医療機関パンフレットを病院関係者や"
        "ケアマネジャーが活用し、患者紹介に役立てていただく。また、医療機関間の連携においても役立てていただく。",
        "一部情報に変更が生じたため、令和7年5月に改訂版パンフレット(第1.1版)を発行。\n"
        "今後は2年ごとに情報更新や内容の見直しを行う方針。(時期改訂は令和9年度を予定。)",
    ),
]

_COMMON = [
    _initiative(
        "common", ["sharing"], PROS,
        "多職種間での情報共有を円滑にするため、情報共有システムの活用を促進する。\n"
        "たとえば、介護と医療をつむぐ会、看取り症例検討会などで情報共有システムについて周知するなど",
        "第2回連携会議全体会にてカナミックの活用促進のための取り組みについて報告。\n"
        "市職員によるシステムの利用方法などの説明や体験を行う出張相談の周知に伴い、令和7年11月に周知用チラシを改訂。\n"
        "改訂版チラシは、第3回つむぐ会通知への同封や看取り症例検討会での配布、登録率の低い種別の事業所"
        "(訪看、訪介、通介、訪問リハ、通リハ、福祉用具)への郵送などを行った。\n"
        "また、12月9日に訪問看護ステーション連絡会へ説明を行った。",
    ),
    _initiative(
        "common", ["sharing"], PROS,
        "事業所BCPIに基づいた災害時の情報共有のため、市内全介護保険事業所にIDを付与し、介護保険情報や"
        "研修開催情報などを市から随時発信することで情報共有システムを平時から使いこなせるようにする。"
        "(感染症・災害発生時)",
        "流山市連携型BCPIにおける情報共有ツールとして情報共有システム(カナミック)を活用するため、"
        "市内介護保険事業所単位でIDを付与し、令和7年6月より運用を開始。",
    ),
    _initiative(
        "common", ["sharing"], PROS,
        "情報共有システムの機能拡充:居宅・サービス事業所連携機能(ケアプランデータ連携)の導入にむけ"
        "介護サービス事業所向けの研修会を開催する。",
        "令和7年9月に情報共有システム研修会を実施し、システムの概要や申請方法、個人情報の取り扱いやケアプランデータ連携機能、"
        "連携型BCPIにおけるシステムの活用などについて説明を行った。また、デモ機を用いた操作体験も行った。",
        events=["ict-1", "ict-2"], prose_first=True,
    ),
    _initiative(
        "common", ["sharing"], PROS,
        "デモ機を用いて操作する体験会や実際の活用事例紹介などの内容で情報共有システム研修会を開催する。",
        "令和7年4月に利用手引きを改定。\n"
        "(主な改定事項:押印廃止、ケアプランデータ連携手引きの追加、電子証明書インストール手続の変更など)",
    ),
    _initiative(
        "common", ["collaboration"], PROS,
        "在宅・病院・施設・消防の関係者が互いの専門性や支援の視点、認識など職域理解を促進する。",
        events=TSUMUGU_ALL,
    ),
]

# 日常の療養支援. In the extracted table the 実績 of the four つむぐ会 rows sit one row above
# their 計画; they are aligned here by meaning.
_DAILY = [
    _initiative(
        "daily", ["collaboration"], PROS,
        "介護と医療をつむぐ会を年4回開催する(4つの場面に沿ったテーマで開催する)\n"
        "第1回 7/11 第2回10/4(市民公開講座と合同開催)第3回 12/12 第4回 2/12",
        events=TSUMUGU_ALL,
    ),
    _initiative(
        "daily", ["collaboration"], PROS,
        "介護と医療をつむぐ会の開催内容を情報共有システムやホームページに掲載し、参加できない専門職に情報を発信する。",
        "つむぐ会のグループワークの話し合い内容をまとめて、つむぐ会だより裏面への掲載を今年度より開始した。",
    ),
    _initiative(
        "daily", ["collaboration"], PROS,
        "介護と医療をつむぐ会において、病院関係者や新規開設した事業所等の新規参加者が増え、"
        "会の参加者が拡大するなど、会の活性化を図る。",
        "今年度は第3回を日中開催としたこともあり、普段夜間は参加できないような新規参加の方も多かった。",
        events=TSUMUGU_ALL,
    ),
    _initiative(
        "daily", ["collaboration"], PROS,
        "在宅医療介護連携会議と介護と医療をつむぐ会の間で双方向のやり取りをすることで、PDCAサイクルが循環し、"
        "計画と現場の医療・介護関係者の課題認識の乖離を減らし、現場の声を反映した取り組みにつなげる。",
        "在宅医療介護連携会議で取り上げた議題(ICTや災害対応など)をつむぐ会でもテーマに取り上げて検討を深めた。",
    ),
    _initiative(
        "daily", ["awareness"], SELF_FAMILY,
        "市民公開講座の開催(第2回介護と医療をつむぐ会と合同開催)\n"
        "日時:令和7年10月4日(土)\n"
        "テーマ:未定\n"
        "開催内容:中期目標①市民啓発 ②人生会議(ACP)推進のための内容\n"
        "開催方法:参集型・オンデマンド配信(内容などによって決定)\n"
        "周知方法:若い世代の集客を図るには、情報にアクセスしやすいLINE、メール、QRコードなどを活用する。",
        "※1 講師:三浦靖彦氏、中村恵氏\n"
        "講義の後に、参加者全員でもしバナゲームを行った。講座後、約9割以上の方が人生会議の重要性を周囲に"
        "伝えたいと回答があったため、普及啓発としての効果があったと考えられる。"
        "参加者より後日カードの貸し出しや出前講座開催希望あった。",
        events=["tsumugu-2"],
    ),
    _initiative(
        "daily", ["awareness"], EXPERTS,
        "おうち療養情報紙の発行:市民公開講座の開催内容や人生会議に関する内容を掲載予定。",
        "令和8年3月21日発行予定。\n"
        "※2 表面:市民公開講座の内容(人生会議(ACP)) 裏面:救急隊の仕事紹介+平時の備え(個別避難計画・救急情報カード)",
    ),
    _initiative(
        "daily", ["awareness"], EXPERTS,
        "市民の依頼に基づいて、人生会議(ACP)をテーマとした内容で出前講座を開催する。",
        "※3 もしバナゲーム体験を実施。参加者の9割以上が講座に対して「満足」と回答し、"
        "「人生の最期について考える機会になった」「家に帰って家族と話したい」という回答も多かった。",
        events=DEMAE_ALL,
    ),
    _initiative(
        "daily", ["awareness", "acp"], "本人・家族・専門家",
        "幅広い世代への市民情報発信の方法を検討する。(ホームページやオンデマンド配信などを活用など)",
        "市民公開講座の周知において、CM動画やデジタルサイネージ等を活用するなど周知方法の工夫を行った。"
        "また、オンデマンド配信を行い、17名の申し込みがあった。",
    ),
    _initiative(
        "daily", [], EXPERTS,
        "対応に苦慮する困難ケースなど在宅医療・介護連携に関する相談窓口が介護支援課であることの周知を図る。",
        "周知未実施。",
    ),
    _initiative(
        "daily", ["collaboration"], EXPERTS,
        "困難ケースの支援について、多職種で事例検討をする機会を設ける。(認知症)",
        "第3回つむぐ会では、認知症の事例をもとにグループワークを行った。",
        events=["tsumugu-3"],
    ),
    _initiative(
        "daily", [], EXPERTS,
        "認知症初期集中支援チームで支援を行い、支援を行ったケースについて振り返るため、"
        "年1回認知症初期集中支援チーム検討部会を開催する。(認知症)",
        "ケース対応件数:4件(モニタリング1件)",
        events=["ninchisho-1"], prose_first=True,
    ),
]

_ADMISSION = [
    _initiative(
        "admission", ["sharing"], EXPERTS,
        "「流山版千葉県地域生活連携シート」のアンケート結果を受け、様式の改訂や今後の運用など検討する。",
        "活用実態に関するアンケート調査(令和6年度)および病院相談員連絡会・シルバー事業者連絡会居宅介護支援事業部"
        "合同研修会(令和7年11月)での意見聴取を踏まえ、令和7年度第4回連携会議にて改訂について検討。"
        "令和8年3月に改訂版発行予定。新たに入退院時多職種連携フロー表の作成を検討し、発行予定。",
    ),
    _initiative(
        "admission", ["collaboration"], EXPERTS,
        "病院相談員連絡会に参加し、入退院支援の実態把握や連携に関する課題の抽出を行い、連携促進につなげる。(3回/年)",
        "年間テーマ:権利擁護",
        events=["soudanin-1", "soudanin-2", "soudanin-3"], prose_first=True,
    ),
]

_EMERGENCY = [
    _initiative(
        "emergency", ["awareness"], EXPERTS,
        "本人・家族・在宅関係者間で急変時の対応に関する取り決めを行うことを推進する。",
        "令和7年度おうち療養情報紙に救急情報カードに関する記事を掲載予定。",
    ),
    _initiative(
        "emergency", ["sharing"], EXPERTS,
        "救急情報カードの定期更新の呼びかけと位置への保管について推進する。",
    ),
    _initiative(
        "emergency", ["collaboration"], SELF_FAMILY,
        "市民公開講座、出前講座、おうち療養情報紙等で人生会議(ACP)の普及啓発を図る。",
        "※1、※2、※3と同じ",
    ),
]

_END_OF_LIFE = [
    _initiative(
        "end_of_life", ["collaboration"], EXPERTS,
        "高齢者住まい看取りケア研修会の開催し、看取りに対する職員の不安軽減につなげる。(1回/年)",
        "※4 参加者は入所施設の介護職員が多かった。アンケートからは、看取りにおける課題について、"
        "本人や家族への関わりなど、意思決定支援の難しさについての回答が多くみられた。",
        events=["mitori-care-1"],
    ),
    _initiative(
        "end_of_life", ["collaboration"], EXPERTS,
        "在宅療養・看取り推進のための症例検討会の開催により、圏域ごとのチーム作りを推進する。(4回/年)",
        "第2回では、市外の大病院との連携に困難さを感じているという課題があげられた。\n"
        "参加者アンケートの在宅看取りの課題については、「本人・家族の意向確認」と答えた方が特に多かった。 ※5",
        events=MITORI_CASE_ALL,
    ),
    _initiative(
        "end_of_life", ["collaboration"], EXPERTS,
        "本人・家族が今後の看取りの経過や支援などについて共有できるように、医療・介護関係者向けに"
        "人生会議実践の対応力の向上のための研修会や、事例検討を開催する。",
        "※4、※5と同じ",
    ),
]

_DISASTER = [
    _initiative(
        "disaster", ["sharing"], EXPERTS,
        "地域支え合い活動及び要配慮者の個別避難計画作成について推進する。",
        "令和7年度から福祉政策課や健康増進課が連携会議に参加。「福祉と防災の連携について」を議題にあげて"
        "地域連携に向けた課題や取り組みの検討を行った。\n"
        "第1回:地域における支え合い活動/個別避難計画/福祉避難所/要配慮者の安否確認、福祉避難所への移送\n"
        "第2回:安否確認/個別避難計画/災害発生時の業務・対応リスト/BCP、地域連携の推進、協定締結\n"
        "第3回:個別避難計画/安否確認/地域BCP/災害対応研修",
    ),
    _initiative(
        "disaster", ["collaboration"], EXPERTS,
        "災害時における要配慮者の安否確認及び福祉避難所への移送等について検討をする。",
        "災害時における取組の検討を行うため、在宅医療介護連携会議・臨時会を開催。",
        events=["renkei-extra-1", "tsumugu-4"], prose_first=True,
    ),
]

INITIATIVES = [*_RESOURCES, *_COMMON, *_DAILY, *_ADMISSION, *_EMERGENCY, *_END_OF_LIFE, *_DISASTER]


# --- synthetic: not in the report ----------------------------------------------------

# Counts for the FY2025 events whose participants the report does not state.
SYNTHETIC_ATTENDED = {"soudanin-1": 12, "soudanin-2": 24, "soudanin-3": 11, "ninchisho-1": 9}


def _past(key: str, series: str, title: str, day: str, start: str, end: str, in_person: int, **more) -> dict:
    """A fiscal-2024 event of the synthetic history, with its attendance count."""
    return _event(key, series, title, day, start, end, attended=_attended(in_person, more.pop("on_demand", None)),
                  description="令和6年度の開催記録（デモ用の架空データ）。", **more)


# Fiscal 2024 (April 2024 - March 2025): a few events per series, dates and counts synthetic.
HISTORY_EVENTS = [
    _past("fy24-tsumugu-1", TSUMUGU, "入退院支援における多職種連携", "2024-07-12", "18:30", "20:30", 52,
          venue=LEARNING_CENTRE, scenes=["admission"]),
    _past("fy24-tsumugu-2", TSUMUGU, "急変時の対応を考える", "2024-10-18", "18:30", "20:30", 47,
          venue=LEARNING_CENTRE, scenes=["emergency"]),
    _past("fy24-tsumugu-3", TSUMUGU, "在宅での看取りを支えるチーム", "2024-12-13", "18:30", "20:30", 55,
          venue=LEARNING_CENTRE, scenes=["end_of_life"]),
    _past("fy24-tsumugu-4", TSUMUGU, "日常の療養支援と情報共有", "2025-02-14", "18:30", "20:30", 58,
          venue=LEARNING_CENTRE),
    _past("fy24-koukai-1", KOUKAI, "もしものときのために～人生会議を始めよう～", "2024-10-19", "14:00", "16:00", 70,
          on_demand=12, venue="文化会館 大ホール", format=HYBRID),
    _past("fy24-demae-1", DEMAE, "人生会議（ACP）のお話（あおば町内会）", "2024-06-19", "10:00", "11:30", 20,
          venue="あおば町内会集会所"),
    _past("fy24-demae-2", DEMAE, "人生会議（ACP）ともしバナゲーム（いちょうサロン）", "2024-09-25", "10:00", "11:30", 18,
          venue="南部公民館 講座室"),
    _past("fy24-demae-3", DEMAE, "人生会議（ACP）ともしバナゲーム（かえで会）", "2025-01-22", "10:00", "11:30", 22,
          venue="かえで台集会所"),
    *(
        _past(f"fy24-mitori-case-{slug}", MITORI_CASE, f"看取り症例検討会（{area}）", day, "18:00", "19:30", count,
              venue=venue, area=area, capacity=30)
        for slug, area, day, venue, count in (
            ("east", "東部", "2024-09-18", "東部公民館 講座室", 18),
            ("south", "南部", "2024-10-24", "南部公民館 講座室", 17),
            ("central", "中部", "2025-02-06", CITY_HALL, 15),
            ("north", "北部", "2025-02-19", "北部公民館 講座室", 12),
        )
    ),
    _past("fy24-mitori-care-1", MITORI_CARE, "施設での看取りケアの基本", "2024-07-03", "10:00", "12:00", 20,
          venue=LEARNING_CENTRE, capacity=40),
    _past("fy24-ict-1", ICT, "情報共有システムの使い方", "2024-09-11", "14:00", "15:30", 12, capacity=20),
    _past("fy24-soudanin-1", SOUDANIN, "入退院支援の実態と課題", "2024-07-11", "10:00", "11:30", 14),
    _past("fy24-soudanin-2", SOUDANIN, "地域生活連携シートの活用", "2024-11-14", "14:00", "15:30", 18),
    _past("fy24-soudanin-3", SOUDANIN, "退院前カンファレンスの進め方", "2025-03-11", "09:30", "11:00", 13),
    _past("fy24-renkei-1", RENKEI, "第1回 在宅医療介護連携会議", "2024-06-20", "14:00", "16:00", 16),
    _past("fy24-renkei-2", RENKEI, "第2回 在宅医療介護連携会議", "2024-10-17", "14:00", "16:00", 15),
    _past("fy24-renkei-3", RENKEI, "第3回 在宅医療介護連携会議", "2025-02-20", "14:00", "16:00", 16),
    _past("fy24-ninchisho-1", NINCHISHO, "支援ケースの振り返り（令和6年度）", "2025-03-12", "15:00", "16:00", 8),
]
